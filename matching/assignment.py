"""Assignment of entrepreneurs to experts' mentoring places (帮带名额).

Everything here is plain numpy/OR-Tools: a score matrix (or a way to compute its rows) and
each expert's free places go in, one expert index per entrepreneur (or -1) comes out.

The objective is lexicographic: first match as many entrepreneurs as the places and the
allowed pairs permit, then maximise the total score among those assignments. Both are one
min-cost flow, source -> entrepreneur (1) -> expert (1 per allowed pair) -> sink (places),
solved by OR-Tools' ``SolveMaxFlowWithMinCost``, which finds the maximum flow first and
the cheapest among maximum flows second; so no score can trade against a lost match.

Balanced load (均衡分配): with a ``penalty`` > 0 an expert's k-th entrepreneur costs
``penalty * (k - 1)``, so an expert with load L costs ``penalty * L * (L - 1) / 2`` and the
second objective becomes the total score minus these costs (``load_cost``). The cost is
convex, so it stays one exact min-cost flow: the expert -> sink arc becomes one arc per
place, the k-th with cost ``penalty * (k - 1)``, and the flow fills the cheap places first.
Matching as many entrepreneurs as possible still comes first.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

# OR-Tools needs integer costs. Scores are rounded to a grid of LARGEST_COST steps over
# their largest absolute value (or the dearest balancing place's cost, if larger), so the
# optimum found is exact for the rounded scores and at most
# ``n_matched * max|score| / LARGEST_COST`` below the true optimum (6e-8 of the best
# possible total per matched entrepreneur). A finer grid costs time: the solver's
# cost scaling runs one phase per factor of its cost range. The grid is made coarser for
# very big graphs (and again if OR-Tools reports BAD_COST_RANGE) to stay inside int64.
LARGEST_COST = 2**24
_INT64_HEADROOM = 2**60

# The sample that gives the pruned solver its first prices is solved to this gap only:
# its prices are an estimate of the full problem's anyway.
SAMPLE_GAP = 0.05

ScoreRows = Callable[[np.ndarray], np.ndarray]


def _check_capacity(capacity, n_experts: int) -> np.ndarray:
    capacity = np.asarray(capacity)
    if capacity.shape != (n_experts,):
        raise ValueError(f"capacity must have shape ({n_experts},), got {capacity.shape}")
    if capacity.size and (np.any(capacity < 0) or np.any(capacity != np.round(capacity))):
        raise ValueError("capacity must hold non-negative integers")
    return capacity.astype(np.int64)


def _check_scores(scores) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2:
        raise ValueError(f"scores must be a 2-d array, got {scores.ndim} dimensions")
    if np.any(scores == np.inf):
        raise ValueError("scores must not be +inf; use NaN or -inf for a forbidden pair")
    return scores


def place_costs(capacity, penalty: float) -> np.ndarray:
    """The cost of each expert's k-th entrepreneur, ``penalty * (k - 1)``, for k up to the
    largest capacity (column k - 1)."""
    return penalty * np.arange(int(np.max(capacity, initial=0)), dtype=np.float64)


def penalty_in_score_units(relative: float, weights) -> float:
    """A balancing penalty given relative to the score range (MATCHING_BALANCE_PENALTY)
    in score units: times the largest score a pair can reach, which is the sum of the
    positive weights since every criterion is at most 1."""
    return float(relative) * sum(max(float(w), 0.0) for w in weights.values())


def load_cost(load, penalty: float) -> float:
    """What balancing charges for these loads: ``penalty * Σ L (L - 1) / 2``."""
    load = np.asarray(load, dtype=np.float64)
    return float(penalty * (load * (load - 1) / 2).sum())


def _sink_arcs(col_nodes, capacity, grid_penalty: int):
    """Expert -> sink arcs: one per expert without a penalty, else one per place with
    rising cost. Returns tails, capacities and costs."""
    if grid_penalty == 0:
        return col_nodes, capacity[col_nodes], np.zeros(col_nodes.size, np.int64)
    places = capacity[col_nodes]
    tails = np.repeat(col_nodes, places)
    # The k-th place of each expert (k from 0): cumulative count within its expert.
    rank = np.arange(tails.size) - np.repeat(np.cumsum(places) - places, places)
    return tails, np.ones(tails.size, np.int64), rank.astype(np.int64) * grid_penalty


def _flow_assignment(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    n_rows: int,
    capacity: np.ndarray,
    penalty: float = 0.0,
) -> tuple[np.ndarray, float]:
    """Lexicographically optimal assignment on the listed pairs (see the module's
    docstring for ``penalty``).

    Returns the chosen column per row (-1 if none) and the factor by which scores (and
    the penalty) were multiplied before rounding to integer costs.
    """
    choice = np.full(n_rows, -1, dtype=np.int64)
    keep = capacity[cols] > 0
    rows, cols, values = rows[keep], cols[keep], values[keep]
    if rows.size == 0:
        return choice, 1.0
    n_cols = capacity.size
    source, sink = 0, n_rows + n_cols + 1
    row_nodes = np.unique(rows)
    col_nodes = np.unique(cols)
    largest = max(float(np.max(np.abs(values))), float(place_costs(capacity, penalty)[-1:].sum()))
    n_nodes = n_rows + n_cols + 2
    grid = min(LARGEST_COST, _INT64_HEADROOM // (n_nodes + 1) ** 2)
    while True:
        scale = grid / largest if largest > 0 else 1.0
        costs = -np.rint(values * scale).astype(np.int64)
        tails, place_capacity, place_cost = _sink_arcs(
            col_nodes, capacity, int(np.rint(penalty * scale))
        )
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            np.zeros(row_nodes.size, dtype=np.int64),
            row_nodes + 1,
            np.ones(row_nodes.size, dtype=np.int64),
            np.zeros(row_nodes.size, dtype=np.int64),
        )
        pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
            rows + 1, cols + n_rows + 1, np.ones(rows.size, dtype=np.int64), costs
        )
        flow.add_arcs_with_capacity_and_unit_cost(
            tails + n_rows + 1,
            np.full(tails.size, sink, dtype=np.int64),
            place_capacity,
            place_cost,
        )
        flow.set_node_supply(source, int(row_nodes.size))
        flow.set_node_supply(sink, -int(row_nodes.size))
        status = flow.solve_max_flow_with_min_cost()
        if status == flow.OPTIMAL:
            break
        if status == flow.BAD_COST_RANGE and grid > 2**10:
            grid //= 16
            continue
        raise RuntimeError(f"min-cost flow failed with status {status}")
    chosen = flow.flows(pair_arcs) > 0
    choice[rows[chosen]] = cols[chosen]
    return choice, scale


def assign(scores, capacity, *, penalty: float = 0.0) -> np.ndarray:
    """Assign each entrepreneur (row) to at most one expert (column), optimally.

    ``scores`` is an entrepreneurs × experts array where NaN or -inf marks a pair that is
    not allowed; ``capacity`` the number of free places per expert. Returns, per
    entrepreneur, the chosen expert's index or -1. The assignment matches as many
    entrepreneurs as possible and, among such assignments, has the largest total score
    (up to the rounding documented at ``LARGEST_COST``); no expert gets more than their
    capacity. With ``penalty`` > 0 the second aim is the total score minus ``load_cost``.
    """
    scores = _check_scores(scores)
    capacity = _check_capacity(capacity, scores.shape[1])
    penalty = _check_penalty(penalty)
    rows, cols = np.nonzero(np.isfinite(scores))
    choice, _ = _flow_assignment(rows, cols, scores[rows, cols], scores.shape[0], capacity, penalty)
    return choice


def _check_penalty(penalty) -> float:
    penalty = float(penalty)
    if not np.isfinite(penalty) or penalty < 0:
        raise ValueError(f"penalty must be a non-negative number, got {penalty}")
    return penalty


def assign_greedy(scores, capacity) -> np.ndarray:
    """The baseline the benchmark compares with: best pair first, if both sides are free."""
    scores = _check_scores(scores)
    capacity = _check_capacity(capacity, scores.shape[1])
    rows, cols = np.nonzero(np.isfinite(scores))
    return _greedy_pairs(rows, cols, scores[rows, cols], scores.shape[0], capacity)


def _greedy_pairs(rows, cols, values, n_rows: int, capacity: np.ndarray) -> np.ndarray:
    choice = np.full(n_rows, -1, dtype=np.int64)
    left = capacity.copy()
    # A stable sort keeps ties in row-major order, so the baseline is deterministic.
    for k in np.argsort(-values, kind="stable"):
        i, j = rows[k], cols[k]
        if choice[i] < 0 and left[j] > 0:
            choice[i] = j
            left[j] -= 1
    return choice


def assign_greedy_rows(
    score_rows: ScoreRows, n_rows: int, capacity, *, candidates: int = 50, chunk_size: int = 2000
) -> np.ndarray:
    """The greedy baseline for score matrices too large to hold.

    Greedy over each entrepreneur's ``candidates`` best pairs (where greedy takes nearly
    all of its pairs), then each entrepreneur still unmatched, in order, takes the best
    expert with a place left.
    """
    capacity = _check_capacity(capacity, len(capacity))
    no_prices = np.zeros(capacity.size)
    everyone = np.full(n_rows, -np.inf)
    sweep = _pass(
        score_rows, n_rows, capacity, no_prices, 0.0, chunk_size, candidates, everyone, 0, None
    )
    choice = _greedy_pairs(sweep.rows, sweep.cols, sweep.values, n_rows, capacity)
    left = capacity - np.bincount(choice[choice >= 0], minlength=capacity.size)
    waiting = np.flatnonzero(choice < 0)
    for start in range(0, waiting.size, chunk_size):
        index = waiting[start : start + chunk_size]
        block = np.array(score_rows(index), dtype=np.float64)
        block[~np.isfinite(block)] = -np.inf
        for row, scores in zip(index, block, strict=True):
            scores = np.where(left > 0, scores, -np.inf)
            best = int(np.argmax(scores))
            if np.isfinite(scores[best]):
                choice[row] = best
                left[best] -= 1
    return choice


def total_score(scores, choice) -> float:
    """Sum of the scores of the chosen pairs."""
    scores = np.asarray(scores, dtype=np.float64)
    matched = np.flatnonzero(choice >= 0)
    return float(scores[matched, choice[matched]].sum())


# Large inputs --------------------------------------------------------------------------


def dense_score_rows(scores) -> ScoreRows:
    """Rows of an in-memory score matrix, for ``assign_pruned``."""
    scores = _check_scores(scores)
    return lambda rows: scores[rows]


def factor_score_rows(entrepreneur_vectors, expert_vectors) -> ScoreRows:
    """Rows of the score matrix ``U @ V.T`` computed on demand from its two factors.

    The factors are the sparse matrices of ``PairScorer.transform_entrepreneurs`` and
    ``transform_experts``; at 100,000 × 5,000 the full product would need 4 GB.
    """
    entrepreneur_vectors = entrepreneur_vectors.tocsr()
    # Column-major experts make the row block × experts product about twice as fast.
    expert_vectors_t = expert_vectors.T.tocsc()

    def score_rows(rows: np.ndarray) -> np.ndarray:
        block = entrepreneur_vectors[rows] @ expert_vectors_t
        return block.toarray() if hasattr(block, "toarray") else np.asarray(block)

    return score_rows


@dataclass(frozen=True)
class PrunedAssignment:
    """An assignment found on candidate pairs, with what is proven about it.

    ``upper_bound`` is a certified bound, from the dual prices over all pairs, on the total
    score of every assignment that matches at least as many entrepreneurs as this one, so
    of the lexicographic optimum; ``gap`` is ``1 - total / upper_bound``. ``exact`` is
    True when the reduced scores prove that no pruned pair could improve the assignment
    and it matches as many entrepreneurs as the places allow, i.e. it is the
    lexicographic optimum. ``prices`` are the experts'
    dual prices for the scores plus ``shift`` (see ``assign_pruned``). ``total`` is the
    sum of the chosen scores; with a balancing penalty, ``load_cost`` is what balancing
    charges for the loads and the bound and the gap are for ``total - load_cost``.
    """

    choice: np.ndarray
    total: float
    load_cost: float
    upper_bound: float
    gap: float
    exact: bool
    prices: np.ndarray
    shift: float
    rounds: int
    n_candidates: int


def _relax_prices(n_cols: int, src, dst, weight, max_iter: int) -> np.ndarray | None:
    """Largest prices with p[dst] <= p[src] + weight and p[0] = 0 (Bellman-Ford), or None.

    Node 0 is the zero price; expert j is node j + 1.
    """
    order = np.argsort(dst, kind="stable")
    src, dst, weight = src[order], dst[order], weight[order]
    starts = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]])
    heads = dst[starts]
    dist = np.full(n_cols + 1, np.inf)
    dist[0] = 0.0
    for _ in range(max_iter):
        best = np.minimum.reduceat(dist[src] + weight, starts)
        improved = best < dist[heads]
        if not improved.any():
            return dist[1:]
        dist[heads[improved]] = best[improved]
        if dist[0] < 0:
            return None
    return None


def dual_prices(rows, cols, values, choice, capacity, penalty: float = 0.0) -> np.ndarray | None:
    """Expert prices proving ``choice`` optimal for the max-score LP on the given pairs.

    They satisfy complementary slackness with the assignment: each matched entrepreneur's
    expert is their best at these prices (and worth it), no unmatched entrepreneur has a
    pair worth more than its price, and an expert with free places costs 0. Returns None
    when no such prices exist (the assignment is not max-score optimal on these pairs,
    which happens when matching more entrepreneurs costs score). Experts without capacity
    get an infinite price.

    With a balancing ``penalty`` an expert's price lies between the cost of its last
    place taken and of its next place free: ``penalty * (L - 1) <= p <= penalty * L``
    (below: at least 0; above: no limit when full), which is complementary slackness
    for the places' rising costs (see ``places_worth``).
    """
    capacity = np.asarray(capacity, dtype=np.int64)
    n_cols = capacity.size
    load = np.bincount(choice[choice >= 0], minlength=n_cols)
    assigned = choice[rows]
    matched_pair = assigned == cols
    own_value = np.full(choice.size, np.nan)
    own_value[rows[matched_pair]] = values[matched_pair]
    # A matched entrepreneur must not prefer any other candidate at these prices.
    other = (assigned >= 0) & ~matched_pair
    # An unmatched entrepreneur's candidates must cost at least what they are worth.
    lonely = assigned < 0
    not_full = np.flatnonzero(load < capacity)
    experts = np.arange(n_cols)
    last_taken = penalty * np.maximum(load - 1, 0)
    src = np.concatenate(
        [
            cols[other] + 1,
            np.zeros(matched_pair.sum(), np.int64),
            cols[lonely] + 1,
            np.zeros(not_full.size, np.int64),
            experts + 1,
        ]
    )
    dst = np.concatenate(
        [
            assigned[other] + 1,
            cols[matched_pair] + 1,
            np.zeros(lonely.sum(), np.int64),
            not_full + 1,
            np.zeros(n_cols, np.int64),
        ]
    )
    weight = np.concatenate(
        [
            own_value[rows[other]] - values[other],
            values[matched_pair],
            -values[lonely],
            penalty * load[not_full],
            -last_taken,
        ]
    )
    return _relax_prices(n_cols, src, dst, weight, max_iter=n_cols + 2)


def places_worth(prices, capacity, penalty: float = 0.0) -> float:
    """``Σ_j Σ_k max(0, p_j - penalty * k)`` over each expert's places k = 0 … c_j - 1.

    The dual bound's term for the places: what the places are worth at these prices
    beyond their balancing costs (``c_j * p_j`` without a penalty).
    """
    prices = np.maximum(np.asarray(prices, dtype=np.float64), 0.0)
    capacity = np.asarray(capacity, dtype=np.float64)
    if penalty == 0:
        return float(capacity @ prices)
    taken = np.minimum(np.ceil(prices / penalty), capacity)
    return float((taken * prices - penalty * taken * (taken - 1) / 2).sum())


def _top_candidates(reduced: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    k = min(k, reduced.shape[1])
    top = np.argpartition(-reduced, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(reduced.shape[0]), k)
    cols = top.ravel()
    keep = np.isfinite(reduced[rows, cols])
    return rows[keep], cols[keep]


@dataclass(frozen=True)
class _Sweep:
    """What one pass over all pairs found (see ``_pass``)."""

    best: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    all_allowed: bool


def _pass(score_rows, n_rows, capacity, prices, shift, chunk_size, k, threshold, spread, rng):
    """One sweep over all pairs, chunk by chunk, at the given prices.

    Finds each row's best reduced score ``max(0, max_j s_ij + shift - p_j)`` and, for
    the rows whose best exceeds ``threshold`` (a pair better than what they have), their
    top-k pairs by reduced score, plus ``spread`` experts drawn in proportion to their
    places, with the pairs' scores; and whether every pair with places is allowed.
    """
    best = np.zeros(n_rows)
    found_rows, found_cols, found_values = [], [], []
    usable = capacity > 0
    all_allowed = True
    for start in range(0, n_rows, chunk_size):
        index = np.arange(start, min(start + chunk_size, n_rows))
        block = np.array(score_rows(index), dtype=np.float64)
        block[:, ~usable] = np.nan
        reduced = block + (shift - prices)
        reduced[~np.isfinite(reduced)] = -np.inf
        all_allowed = all_allowed and bool(np.isfinite(block[:, usable]).all())
        row_best = reduced.max(axis=1, initial=-np.inf)
        best[index] = np.maximum(row_best, 0.0)
        wanted = np.flatnonzero(row_best > threshold[index])
        if wanted.size:
            local_rows, local_cols = _top_candidates(reduced[wanted], k)
            if spread and usable.any():
                drawn = rng.choice(
                    capacity.size, size=wanted.size * spread, p=capacity / capacity.sum()
                )
                local_rows = np.concatenate([local_rows, np.repeat(np.arange(wanted.size), spread)])
                local_cols = np.concatenate([local_cols, drawn])
            allowed = np.isfinite(reduced[wanted[local_rows], local_cols])
            local_rows, local_cols = local_rows[allowed], local_cols[allowed]
            found_rows.append(index[wanted[local_rows]])
            found_cols.append(local_cols)
            found_values.append(block[wanted[local_rows], local_cols])
    empty = np.zeros(0, dtype=np.int64)
    return _Sweep(
        best,
        np.concatenate(found_rows) if found_rows else empty,
        np.concatenate(found_cols) if found_cols else empty,
        np.concatenate(found_values) if found_values else np.zeros(0),
        all_allowed,
    )


def _warm_prices(score_rows, n_rows, capacity, candidates, chunk_size, sample_size, rng, penalty):
    """Prices (and their shift) from a random sample with proportionally fewer places.

    Prices are what a place is worth at the margin; a sample with places scaled by the
    same fraction has about the same competition for each expert, so its prices are a
    good start and pruning on ``score - price`` keeps the pairs the optimum uses. Loads
    shrink by the same fraction, so the balancing penalty grows by its inverse to keep
    the same marginal cost at the same share of an expert's places.
    """
    sample = np.sort(rng.choice(n_rows, size=sample_size, replace=False))
    share = capacity * (sample_size / n_rows)
    places = np.floor(share).astype(np.int64)
    places += rng.random(capacity.size) < share - places
    result = assign_pruned(
        lambda rows: score_rows(sample[rows]),
        sample_size,
        places,
        candidates=candidates,
        chunk_size=chunk_size,
        max_gap=SAMPLE_GAP,
        sample_size=None,
        random_state=rng,
        penalty=penalty * n_rows / sample_size,
    )
    # An expert left without a place in the sample has no price of its own; price 0 would
    # make it look free and pull every candidate list onto it, so it gets a typical price.
    known = np.isfinite(result.prices)
    typical = float(np.median(result.prices[known])) if known.any() else 0.0
    return np.where(known, result.prices, typical), result.shift


def assign_pruned(
    score_rows: ScoreRows,
    n_rows: int,
    capacity,
    *,
    candidates: int = 16,
    chunk_size: int = 2000,
    max_rounds: int = 10,
    max_gap: float = 0.0,
    spread: int = 4,
    sample_size: int | None = 10000,
    random_state=0,
    penalty: float = 0.0,
) -> PrunedAssignment:
    """``assign`` for score matrices too large to hold, with a certified optimality gap.

    ``score_rows(rows)`` returns the dense scores of the given entrepreneur rows against
    every expert (NaN or -inf where not allowed; see ``factor_score_rows``); it is called
    ``chunk_size`` rows at a time, so the full matrix never exists at once.

    Each entrepreneur keeps the ``candidates`` experts with the best score minus the
    expert's price (a popular expert's places are scarce, so raw scores would pile every
    list onto the same few experts). The min-cost flow is solved on the candidates and
    dual prices are read off its solution. To make "match as many as possible first" part
    of a plain max-score problem, every pair is worth ``shift`` more, a constant larger
    than any score a further match could cost on the candidates; the prices are for these
    shifted scores. A sweep over all pairs then computes

        bound = Σ_i max(0, max_j (s_ij + shift - p_j)) + Σ_j c_j p_j - shift * matched,

    which by LP duality is at least the total score of the lexicographic optimum (every
    assignment is worth at most the first two sums with the shift, and the optimum
    matches at least ``matched``, or ``min(entrepreneurs, places)`` when every pair is
    allowed). Entrepreneurs with a pruned pair better than their match at these prices
    get new candidates and the flow is solved again, until no such pair is left (exact,
    when everyone who could be matched is), the certified gap is at most ``max_gap``, or
    ``max_rounds`` is reached. The first candidate lists also hold ``spread`` experts
    drawn in proportion to their places, so that the first solution can already match
    everyone. Initial prices come from a random sample of ``sample_size`` entrepreneurs
    solved the same way, to ``SAMPLE_GAP``.

    With a balancing ``penalty`` (see the module's docstring) the flow has a rising cost
    per place, the prices satisfy the places' complementary slackness (``dual_prices``)
    and the bound's ``Σ_j c_j p_j`` becomes ``places_worth``; the bound is then on the
    total score minus ``load_cost``, and so is the gap. Everything else is unchanged.
    """
    capacity = _check_capacity(capacity, len(capacity))
    penalty = _check_penalty(penalty)
    n_cols = capacity.size
    rng = np.random.default_rng(random_state)
    if n_rows == 0 or n_cols == 0:
        return PrunedAssignment(
            choice=np.full(n_rows, -1, dtype=np.int64),
            total=0.0,
            load_cost=0.0,
            upper_bound=0.0,
            gap=0.0,
            exact=True,
            prices=np.zeros(n_cols),
            shift=0.0,
            rounds=0,
            n_candidates=0,
        )
    if sample_size is not None and n_rows > 2 * sample_size:
        prices, shift = _warm_prices(
            score_rows, n_rows, capacity, candidates, chunk_size, sample_size, rng, penalty
        )
    else:
        prices, shift = np.zeros(n_cols), 0.0
    threshold = np.full(n_rows, -np.inf)
    pair_rows = pair_cols = np.zeros(0, dtype=np.int64)
    pair_values = np.zeros(0)
    choice = np.full(n_rows, -1, dtype=np.int64)
    upper_bound, exact, rounds, matched = np.inf, False, 0, 0
    while True:
        sweep = _pass(
            score_rows,
            n_rows,
            capacity,
            prices,
            shift,
            chunk_size,
            candidates,
            threshold,
            spread if rounds == 0 else 0,
            rng,
        )
        new_rows, new_cols, new_values = sweep.rows, sweep.cols, sweep.values
        if rounds:
            usable = capacity > 0
            # With every pair allowed, the optimum matches min(entrepreneurs, places).
            most = min(n_rows, int(capacity.sum())) if sweep.all_allowed else matched
            worth = places_worth(prices[usable], capacity[usable], penalty)
            bound = sweep.best.sum() + worth - shift * most
            upper_bound = min(upper_bound, float(bound))
            if new_rows.size == 0:
                exact = True
                break
            total = _chosen_total(pair_rows, pair_cols, pair_values, choice)
            total -= load_cost(_loads(choice, n_cols), penalty)
            if matched == most and total >= (1 - max_gap) * upper_bound:
                break
        if rounds >= max_rounds:
            break
        pair_rows = np.concatenate([pair_rows, new_rows])
        pair_cols = np.concatenate([pair_cols, new_cols])
        pair_values = np.concatenate([pair_values, new_values])
        unique = np.unique(pair_rows * n_cols + pair_cols, return_index=True)[1]
        pair_rows, pair_cols = pair_rows[unique], pair_cols[unique]
        pair_values = pair_values[unique]
        choice, scale = _flow_assignment(
            pair_rows, pair_cols, pair_values, n_rows, capacity, penalty
        )
        matched = int((choice >= 0).sum())
        rounds += 1
        grid = np.rint(pair_values * scale)
        grid_penalty = float(np.rint(penalty * scale))
        # An augmenting path changes at most every matched pair, each by at most the
        # spread of the grid scores, and takes one more place: a shift above that makes
        # one more match always pay.
        grid_shift = (grid.max() - min(grid.min(), 0.0) + 1.0) * (
            matched + 1
        ) + grid_penalty * float(np.max(capacity))
        solved = dual_prices(
            pair_rows, pair_cols, grid + grid_shift, choice, capacity, grid_penalty
        )
        if solved is None:
            # Cannot happen with exact integer grid scores; should it, the bound from the
            # last prices stays valid, if loose.
            break
        prices, shift = solved / scale, grid_shift / scale
        chosen = choice[pair_rows] == pair_cols
        own = np.zeros(n_rows)
        own[pair_rows[chosen]] = pair_values[chosen] + shift - prices[pair_cols[chosen]]
        # Rounding scores to the grid moves each reduced score by under 1/scale; the
        # shift adds float rounding of its own size times machine precision.
        tolerance = 2.0 / scale + 1e-12 * (shift + float(np.abs(pair_values).max(initial=1.0)))
        threshold = np.maximum(own, 0.0) + tolerance
    total = _chosen_total(pair_rows, pair_cols, pair_values, choice)
    charged = load_cost(_loads(choice, n_cols), penalty)
    # Reduced scores prove the best total among assignments with as many matches; matching
    # everyone who can be matched proves there is none with more.
    exact = exact and matched == min(n_rows, int(capacity.sum()))
    gap = 1.0 - (total - charged) / upper_bound if upper_bound > 0 else 0.0
    return PrunedAssignment(
        choice=choice,
        total=total,
        load_cost=charged,
        upper_bound=float(upper_bound),
        gap=gap,
        exact=exact,
        prices=prices,
        shift=shift,
        rounds=rounds,
        n_candidates=int(pair_rows.size),
    )


def _loads(choice, n_cols: int) -> np.ndarray:
    return np.bincount(choice[choice >= 0], minlength=n_cols)


def _chosen_total(rows, cols, values, choice) -> float:
    chosen = choice[rows] == cols
    return float(values[chosen].sum())
