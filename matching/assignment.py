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

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import NegativeCycleError, bellman_ford

# OR-Tools needs integer costs. Scores are rounded to a grid of LARGEST_COST steps over
# their largest absolute value (or the dearest balancing place's cost, if larger), so the
# optimum found is exact for the rounded scores and at most
# ``n_matched * max|score| / LARGEST_COST`` below the true optimum (6e-8 of the best
# possible total per matched entrepreneur). A finer grid costs time: the solver's
# cost scaling runs one phase per factor of its cost range. The grid is made coarser for
# very big graphs (and again if OR-Tools reports BAD_COST_RANGE) to stay inside int64.
LARGEST_COST = 2**24
_INT64_HEADROOM = 2**60

# The first prices come from a random sample of entrepreneurs: the dual of the sample's
# transportation problem (places scaled to the sample) smoothed by entropy at falling
# temperatures, relative to the spread of the sample's scores, with this many passes each.
# A smoothed dual is well-posed with fractional places, which a sample of 5,000 experts'
# places needs; its prices only choose the first candidates, so rough ones are fine.
SMOOTHING = ((0.1, 6), (0.03, 6), (0.01, 6), (0.003, 6), (0.001, 6))

ScoreRows = Callable[[np.ndarray], np.ndarray]

logger = logging.getLogger(__name__)


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
    largest: float = 0.0,
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
    # ``largest`` fixes the grid from outside, so that rounds share one scale.
    largest = max(
        largest,
        float(np.max(np.abs(values))),
        float(place_costs(capacity, penalty)[-1:].sum()),
    )
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
    found_rows, found_cols, found_values = [], [], []
    for start in range(0, n_rows, chunk_size):
        index = np.arange(start, min(start + chunk_size, n_rows))
        block = np.array(score_rows(index), dtype=np.float64)
        block[:, capacity == 0] = -np.inf
        block[~np.isfinite(block)] = -np.inf
        local_rows, local_cols = _top_candidates(block, candidates)
        found_rows.append(index[local_rows])
        found_cols.append(local_cols)
        found_values.append(block[local_rows, local_cols])
    choice = _greedy_pairs(
        np.concatenate(found_rows or [np.zeros(0, np.int64)]),
        np.concatenate(found_cols or [np.zeros(0, np.int64)]),
        np.concatenate(found_values or [np.zeros(0)]),
        n_rows,
        capacity,
    )
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

# Single-precision rounding, doubled for safety: a float32 dot product of n terms is off
# by at most about (n + 2) unit roundoffs (2**-24) of the sum of its terms' magnitudes.
SINGLE_ERROR = 2.0**-23

# The expert factor is held dense (single precision) up to this size: a sparse row block
# times a dense matrix is several times faster than a sparse × sparse product, and the
# sweeps over all pairs are most of the pruned solver's time.
DENSE_FACTOR_BYTES = 512 * 2**20


def dense_score_rows(scores) -> ScoreRows:
    """Rows of an in-memory score matrix, for ``assign_pruned``."""
    scores = _check_scores(scores)
    score_rows = lambda rows: scores[rows]  # noqa: E731
    score_rows.pair_scores = lambda rows, cols: scores[rows, cols]
    return score_rows


class FactorScoreRows:
    """Rows of the score matrix ``U @ V.T`` computed on demand from its two factors.

    The factors are the sparse matrices of ``PairScorer.transform_entrepreneurs`` and
    ``transform_experts``; at 100,000 × 5,000 the full product would need 4 GB. Blocks of
    rows are computed against a dense copy of the expert factor, in single precision
    with ``dtype=np.float32`` (about 2.6 times faster than double; keep the source as it
    is, not wrapped in another function, so that the solver sees its error bound);
    ``forbidden`` maps a row to the columns it must not take (-inf). ``row_error`` bounds
    each row's rounding error, which the pruned solver adds to its certified bound, and
    ``pair_scores`` computes the chosen pairs exactly (double precision) for the totals.
    """

    def __init__(self, entrepreneur_vectors, expert_vectors, dtype=np.float64, forbidden=None):
        left = entrepreneur_vectors.tocsr().astype(np.float64)
        right = expert_vectors.tocsr().astype(np.float64)
        self.dtype = np.dtype(dtype)
        self._forbidden = {int(row): list(cols) for row, cols in (forbidden or {}).items()}
        self._left64, self._right64 = left, right
        self._left = left.astype(self.dtype)
        if right.shape[0] * right.shape[1] * self.dtype.itemsize <= DENSE_FACTOR_BYTES:
            self._right_t = np.ascontiguousarray(right.T.toarray(), dtype=self.dtype)
        else:
            # Column-major experts make the row block × experts product about twice as fast.
            self._right_t = right.T.tocsc().astype(self.dtype)
        # By Cauchy-Schwarz no sum Σ_k |u_ik v_jk| of the row's products exceeds this, so
        # neither does any of its scores.
        longest = float(np.sqrt(np.asarray(right.multiply(right).sum(axis=1)).max(initial=0.0)))
        self.row_magnitude = np.sqrt(np.asarray(left.multiply(left).sum(axis=1)).ravel()) * longest
        if self.dtype == np.float64:
            self.row_error = np.zeros(left.shape[0])
        else:
            terms = np.diff(left.indptr)
            self.row_error = (terms + 4) * SINGLE_ERROR * self.row_magnitude

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        block = self._left[rows] @ self._right_t
        block = block.toarray() if hasattr(block, "toarray") else np.asarray(block)
        for k, row in enumerate(np.asarray(rows).tolist()):
            if row in self._forbidden:
                block[k, self._forbidden[row]] = -np.inf
        return block

    def pair_scores(self, rows: np.ndarray, cols: np.ndarray, chunk_size: int = 200_000):
        """The exact scores of the given pairs."""
        values = np.zeros(len(rows))
        for start in range(0, len(rows), chunk_size):
            part = slice(start, start + chunk_size)
            product = self._left64[rows[part]].multiply(self._right64[cols[part]])
            values[part] = np.asarray(product.sum(axis=1)).ravel()
        for k in np.flatnonzero(np.isin(rows, list(self._forbidden))):
            if cols[k] in self._forbidden[int(rows[k])]:
                values[k] = -np.inf
        return values


def factor_score_rows(
    entrepreneur_vectors, expert_vectors, dtype=np.float64, forbidden=None
) -> FactorScoreRows:
    """Rows of ``U @ V.T`` for ``assign_pruned`` (see ``FactorScoreRows``)."""
    return FactorScoreRows(entrepreneur_vectors, expert_vectors, dtype, forbidden)


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
    ``timings`` holds the seconds spent sweeping all pairs, solving flows and computing
    prices.
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
    timings: dict = field(default_factory=dict)


def _relax_prices(n_cols: int, src, dst, weight) -> np.ndarray | None:
    """Largest prices with p[dst] <= p[src] + weight and p[0] = 0, or None if none exist.

    Node 0 is the zero price; expert j is node j + 1. These are the shortest distances
    from node 0 (SciPy's Bellman-Ford, which relaxes in place and stops when nothing
    changes); a negative cycle means no prices exist.
    """
    n_nodes = n_cols + 1
    # Parallel arcs: only the tightest constraint matters (a sparse matrix would add them).
    order = np.lexsort((weight, src * n_nodes + dst))
    key = (src * n_nodes + dst)[order]
    first = np.r_[True, key[1:] != key[:-1]]
    src, dst, weight = src[order][first], dst[order][first], weight[order][first]
    graph = csr_matrix((weight, (src, dst)), shape=(n_nodes, n_nodes))
    try:
        dist = bellman_ford(graph, directed=True, indices=0)
    except NegativeCycleError:
        return None
    return dist[1:]


def dual_prices(rows, cols, values, choice, capacity, penalty: float = 0.0) -> np.ndarray | None:
    """Expert prices proving ``choice`` optimal for the max-score LP on the given pairs.

    They satisfy complementary slackness with the assignment: each matched entrepreneur's
    expert is their best at these prices (and worth it), no unmatched entrepreneur has a
    pair worth more than its price, and an expert with free places costs 0. Returns None
    when no such prices exist (the assignment is not max-score optimal on these pairs,
    which happens when matching more entrepreneurs costs score). Experts without capacity
    get an infinite price. Of all such prices these are the largest, which leaves the
    fewest pairs outside ``rows``/``cols`` looking better than an entrepreneur's match.

    With a balancing ``penalty`` an expert's price lies between the cost of its last
    place taken and of its next place free: ``penalty * (L - 1) <= p <= penalty * L``
    (below: at least 0; above: no limit when full), which is complementary slackness
    for the places' rising costs (see ``places_worth``).
    """
    capacity = np.asarray(capacity, dtype=np.int64)
    rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
    values = np.asarray(values, np.float64)
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
    return _relax_prices(n_cols, src, dst, weight)


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
    if k <= 0 or reduced.shape[0] == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    top = np.argpartition(-reduced, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(reduced.shape[0]), k)
    cols = top.ravel()
    keep = np.isfinite(reduced[rows, cols])
    return rows[keep], cols[keep]


@dataclass(frozen=True)
class _Scan:
    """What a pass over some rows' pairs found (see ``_scan``)."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    outside: np.ndarray
    all_allowed: bool
    high: float
    low: float


def _listed(pair_rows: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in the row-sorted candidate arrays of the pairs of rows ``index``, and
    each one's position in ``index``."""
    starts = np.searchsorted(pair_rows, index, side="left")
    lengths = np.searchsorted(pair_rows, index, side="right") - starts
    offsets = np.cumsum(lengths) - lengths
    local = np.repeat(np.arange(index.size), lengths)
    return np.arange(lengths.sum()) - np.repeat(offsets, lengths) + starts[local], local


def _scan(
    score_rows, rows, capacity, prices, chunk_size, k, threshold, pair_rows, pair_cols, spread, rng
):
    """Scores the pairs of ``rows`` (sorted), chunk by chunk, at the given prices (less
    the shift), for the pairs not yet listed (``pair_rows``/``pair_cols``, sorted by row).

    For each row: up to ``k`` new pairs, best reduced score ``s_ij - p_j`` first, among
    those whose reduced score may exceed ``threshold`` (a pair better than what the row
    has), plus ``spread`` experts drawn in proportion to their places; and ``outside``,
    an upper bound on the reduced score at these prices of every pair of the row left
    unlisted: the best reduced score not taken plus what single-precision rounding may
    hide (the source's ``row_error``), -inf when there is none. Also whether every pair
    with places is allowed, and the largest and smallest finite score seen.
    """
    n_cols = capacity.size
    usable = capacity > 0
    n_usable = int(usable.sum())
    unshifted = np.where(usable, prices, np.inf)
    error = getattr(score_rows, "row_error", None)
    outside = np.full(rows.size, -np.inf)
    found_rows, found_cols, found_values = [], [], []
    all_allowed, high, low = True, -np.inf, np.inf
    width = min(k + 1, n_cols)
    for start in range(0, rows.size, chunk_size):
        index = rows[start : start + chunk_size]
        block = np.asarray(score_rows(index))
        margin = error[index] if error is not None else np.zeros(index.size)
        # In double precision: prices reach the size of the shift (an expert with free
        # places costs 0, so its reduced scores are s + shift), where single precision
        # would blur the reduced scores by more than the scores' own differences.
        reduced = np.subtract(block, unshifted, dtype=np.float64)
        finite = np.isfinite(reduced)
        reduced[~finite] = -np.inf
        if all_allowed:
            all_allowed = int(finite.sum()) == index.size * n_usable
        high = max(high, float(np.max(block, where=finite, initial=-np.inf)))
        low = min(low, float(np.min(block, where=finite, initial=np.inf)))
        del finite
        # Listed pairs are the flow's and the bound counts them on their own.
        at, local = _listed(pair_rows, index)
        reduced[local, pair_cols[at]] = -np.inf
        picked_rows, picked_cols = [], []
        if spread and n_usable:
            drawn = rng.choice(n_cols, size=index.size * spread, p=capacity / capacity.sum())
            drawn_rows = np.repeat(np.arange(index.size), spread)
            keep = np.isfinite(reduced[drawn_rows, drawn])
            key = np.unique(drawn_rows[keep] * n_cols + drawn[keep])
            picked_rows.append(key // n_cols)
            picked_cols.append(key % n_cols)
            reduced[key // n_cols, key % n_cols] = -np.inf
        if width > 0:
            top = np.argpartition(-reduced, width - 1, axis=1)[:, :width]
            values = np.take_along_axis(reduced, top, axis=1)
            order = np.argsort(-values, axis=1)
            top = np.take_along_axis(top, order, axis=1)
            values = np.take_along_axis(values, order, axis=1)
            # Sorted best first, so the pairs taken are a prefix of each row's list and the
            # first pair not taken bounds every other unlisted pair.
            take = (np.arange(width) < k) & (values > (threshold[index] - margin)[:, None])
            count = take.sum(axis=1)
            left = count < width
            outside[start : start + index.size][left] = (
                values[np.flatnonzero(left), count[left]] + margin[left]
            )
            local_rows, slot = np.nonzero(take)
            picked_rows.append(local_rows)
            picked_cols.append(top[local_rows, slot])
        local_rows = np.concatenate(picked_rows) if picked_rows else np.zeros(0, np.int64)
        local_cols = np.concatenate(picked_cols) if picked_cols else np.zeros(0, np.int64)
        found_rows.append(index[local_rows])
        found_cols.append(local_cols)
        found_values.append(block[local_rows, local_cols].astype(np.float64))
    empty = np.zeros(0, dtype=np.int64)
    return _Scan(
        np.concatenate(found_rows) if found_rows else empty,
        np.concatenate(found_cols) if found_cols else empty,
        np.concatenate(found_values) if found_values else np.zeros(0),
        outside,
        all_allowed,
        high,
        low,
    )


def _listed_best(pair_rows, pair_cols, pair_values, prices, n_rows) -> np.ndarray:
    """Each row's best reduced score over its listed pairs (-inf for a row without)."""
    best = np.full(n_rows, -np.inf)
    if pair_rows.size:
        present, starts = np.unique(pair_rows, return_index=True)
        best[present] = np.maximum.reduceat(pair_values - prices[pair_cols], starts)
    return best


def _sorted_pairs(rows, cols, values, n_cols: int):
    """The candidate pairs sorted by row, then column (as ``_listed`` needs)."""
    order = np.argsort(rows * n_cols + cols, kind="stable")
    return rows[order], cols[order], values[order]


class _Candidates:
    """The candidate pairs (sorted by row, then column) and, for each row, a bound on the
    reduced score of its unlisted pairs.

    ``outside[i]`` bounds ``s_ij - P_j`` over row i's unlisted pairs at the prices P of the
    pass that last scanned the row (its epoch). At other prices p, ``s_ij - p_j`` is at
    most ``outside[i] + max_j (P_j - p_j)`` (the epoch's ``drift``), so a certificate at
    any prices needs no pass over all pairs: only rows whose bound may beat what they
    have are scored again.
    """

    def __init__(self, score_rows, capacity, chunk_size, rng):
        self.score_rows, self.capacity, self.chunk_size, self.rng = (
            score_rows,
            capacity,
            chunk_size,
            rng,
        )
        self.usable = capacity > 0
        self.rows = self.cols = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0)
        self.epoch_prices: list[np.ndarray] = []
        self.outside = self.epoch = None
        self.all_allowed, self.high, self.low = True, 0.0, 0.0

    def scan(self, rows, prices, k, threshold, spread=0) -> int:
        """Scores ``rows`` at ``prices`` and lists up to ``k`` new pairs each (see
        ``_scan``); returns the number of new pairs."""
        found = _scan(
            self.score_rows,
            rows,
            self.capacity,
            prices,
            self.chunk_size,
            k,
            threshold,
            self.rows,
            self.cols,
            spread,
            self.rng,
        )
        if self.outside is None:
            self.outside = np.full(threshold.size, -np.inf)
            self.epoch = np.zeros(threshold.size, dtype=np.int64)
            self.all_allowed = found.all_allowed
            self.high = found.high if np.isfinite(found.high) else 0.0
            self.low = found.low if np.isfinite(found.low) else 0.0
        self.outside[rows] = found.outside
        self.epoch[rows] = len(self.epoch_prices)
        self.epoch_prices.append(np.where(self.usable, prices, 0.0))
        n_cols = self.capacity.size
        self.rows, self.cols, self.values = _sorted_pairs(
            np.concatenate([self.rows, found.rows]),
            np.concatenate([self.cols, found.cols]),
            np.concatenate([self.values, found.values]),
            n_cols,
        )
        return int(found.rows.size)

    def unlisted(self, prices) -> np.ndarray:
        """Each row's bound on its unlisted pairs' reduced scores at ``prices``."""
        current = np.where(self.usable, prices, 0.0)
        # Negative when every price rose: the unlisted pairs lost value too.
        drift = np.array(
            [
                float(np.max((past - current)[self.usable], initial=-np.inf))
                for past in self.epoch_prices
            ]
        )
        return self.outside + drift[self.epoch]

    def listed(self, prices, n_rows) -> np.ndarray:
        return _listed_best(self.rows, self.cols, self.values, prices, n_rows)


def _warm_prices(score_rows, n_rows, capacity, chunk_size, sample_size, rng, penalty):
    """Unshifted prices from a random sample of rows with proportionally fewer places.

    Prices are what a place is worth at the margin; a sample with places scaled by the
    same fraction has about the same competition for each expert, so its prices are a
    good start and choosing candidates on ``score - price`` keeps the pairs the optimum
    uses. Loads shrink by the same fraction, so the balancing penalty grows by its
    inverse to keep the same marginal cost at the same share of an expert's places.
    """
    sample = np.sort(rng.choice(n_rows, size=sample_size, replace=False))
    usable = capacity > 0
    block = np.concatenate(
        [
            np.asarray(score_rows(sample[start : start + chunk_size]), dtype=np.float32)[:, usable]
            for start in range(0, sample_size, chunk_size)
        ]
    )
    block[~np.isfinite(block)] = -np.inf
    prices = np.zeros(capacity.size)
    prices[usable] = _smoothed_prices(
        block, capacity[usable] * (sample_size / n_rows), penalty * n_rows / sample_size
    )
    return prices


def _smoothed_prices(block: np.ndarray, places: np.ndarray, penalty: float) -> np.ndarray:
    """Prices p >= 0 that nearly minimise the sample's dual
    ``Σ_i max(0, max_j (s_ij - p_j)) + Σ_j places_j p_j`` (with a balancing penalty, an
    expert's places are only worth taking up to ``p_j / penalty``).

    Alternating exact minimisation of the dual smoothed at temperature tau (each max
    becomes ``tau * log Σ exp(·/tau)``, the 0 being the option to stay unmatched): each
    entrepreneur's utility, then each expert's price so that the share of entrepreneurs
    it attracts matches its places, at falling temperatures.
    """
    finite = block[np.isfinite(block)]
    if not finite.size:
        return np.zeros(block.shape[1])
    spread = float(finite.max() - np.median(finite)) or 1.0
    del finite
    prices = np.zeros(block.shape[1], dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        for relative, passes in SMOOTHING:
            tau = np.float32(relative * spread)
            for _ in range(passes):
                reduced = (block - prices) / tau
                top = np.maximum(reduced.max(axis=1), 0.0)
                utility = top + np.log(np.exp(reduced - top[:, None]).sum(axis=1) + np.exp(-top))
                reduced -= utility[:, None]
                top = reduced.max(axis=0)
                top = np.where(np.isfinite(top), top, 0.0)
                attracted = top + np.log(np.exp(reduced - top).sum(axis=0))
                wanted = (
                    places
                    if penalty <= 0
                    else np.minimum(places, np.maximum(prices / penalty, 1e-3 * places))
                )
                step = tau * (attracted - np.log(wanted))
                prices = np.maximum(prices + np.where(np.isfinite(step), step, -prices), 0.0)
                prices = prices.astype(np.float32)
    return prices.astype(np.float64)


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
    sample_size: int | None = 3000,
    random_state=0,
    penalty: float = 0.0,
    first_candidates: int | None = None,
) -> PrunedAssignment:
    """``assign`` for score matrices too large to hold, with a certified optimality gap.

    ``score_rows(rows)`` returns the dense scores of the given entrepreneur rows against
    every expert (NaN or -inf where not allowed; see ``factor_score_rows``); it is called
    ``chunk_size`` rows at a time, so the full matrix never exists at once. A source may
    have ``row_error`` (per row, a bound on the error of its blocks, added to the bound)
    and ``pair_scores(rows, cols)`` (the exact scores of pairs, for the totals).

    Column generation. First prices come from a random sample of ``sample_size``
    entrepreneurs (``_warm_prices``). One pass over all pairs gives each entrepreneur the
    ``first_candidates`` (default ``candidates``) experts with the best score minus the
    expert's price (a popular expert's places are scarce, so raw scores would pile every
    list onto the same few experts), plus ``spread`` experts drawn in proportion to their
    places, so that the first solution can already match everyone; and ``outside``, a
    bound on the reduced score of every pair left out (the next best, plus rounding).
    At any later prices p an unlisted pair's reduced score is at most ``outside`` plus
    the largest fall of a price since the row was scored (see ``_Candidates``), so

        bound = Σ_i max(0, best listed s_ij + shift - p_j, outside bound) + Σ_j c_j p_j
                - shift * matched

    is certified without scoring all pairs again. By LP duality it is at least the total
    score of the lexicographic optimum (every assignment is worth at most the first two
    sums with the shift, and the optimum matches at least ``matched``, or
    ``min(entrepreneurs, places)`` when every pair is allowed; with shift 0, the first
    prices' bound holds for every assignment). The min-cost flow is solved on the
    candidate pairs and the largest dual prices are read off its solution. To make
    "match as many as possible first" part of a plain max-score problem, every pair is
    worth ``shift`` more, a constant larger than any score a further match could cost;
    the prices are for these shifted scores. Only the rows whose outside bound may beat
    their match at these prices are scored again; their pairs better than their match
    (up to ``candidates`` of them, best first) join the candidates and the flow is
    solved again, until no such pair is left (exact, when everyone who could be matched
    is), the certified gap is at most ``max_gap``, or ``max_rounds`` flows have been
    solved.

    With a balancing ``penalty`` (see the module's docstring) the flow has a rising cost
    per place, the prices satisfy the places' complementary slackness (``dual_prices``)
    and the bound's ``Σ_j c_j p_j`` becomes ``places_worth``; the bound is then on the
    total score minus ``load_cost``, and so is the gap. Everything else is unchanged.
    """
    capacity = _check_capacity(capacity, len(capacity))
    penalty = _check_penalty(penalty)
    n_cols = capacity.size
    rng = np.random.default_rng(random_state)
    timings = {"sample": 0.0, "sweeps": 0.0, "flows": 0.0, "prices": 0.0}
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
            timings=timings,
        )
    clock = time.perf_counter()
    if sample_size is not None and n_rows > 2 * sample_size:
        prices = _warm_prices(score_rows, n_rows, capacity, chunk_size, sample_size, rng, penalty)
    else:
        prices = np.zeros(n_cols)
    timings["sample"] = time.perf_counter() - clock
    # ``prices`` are the dual prices less the shift, so the reduced score of a pair,
    # s_ij + shift - p_j, is s_ij - prices_j: blocks need no shift added.
    shift = 0.0
    choice = np.full(n_rows, -1, dtype=np.int64)
    upper_bound, exact, rounds, matched = np.inf, False, 0, 0
    usable = capacity > 0
    error = getattr(score_rows, "row_error", None)
    margin = np.zeros(n_rows) if error is None else np.asarray(error, dtype=np.float64)
    clock = time.perf_counter()
    cands = _Candidates(score_rows, capacity, chunk_size, rng)
    cands.scan(
        np.arange(n_rows), prices, first_candidates or candidates, np.full(n_rows, -np.inf), spread
    )
    timings["sweeps"] += time.perf_counter() - clock
    # One scale and one shift for every round (from the extremes of all scores, which
    # bound the candidates'), so prices of different rounds differ by real changes only.
    high, low = cands.high, cands.low
    largest = max(abs(high), abs(low))
    most = min(n_rows, int(capacity.sum())) if cands.all_allowed else None

    def certify(prices, shift, most, threshold, k):
        """Scores again the rows whose unlisted pairs may beat ``threshold`` at these
        prices, lists their best new pairs and returns the certified bound and the
        number of rows scored and of new pairs."""
        clock = time.perf_counter()
        stale = np.flatnonzero(cands.unlisted(prices) > threshold)
        new = cands.scan(stale, prices, k, threshold) if stale.size else 0
        timings["sweeps"] += time.perf_counter() - clock
        # Each row's best over its listed pairs and its bound on the unlisted ones, each
        # raised by what rounding may hide.
        best = np.maximum(cands.listed(prices, n_rows) + margin, cands.unlisted(prices))
        worth = places_worth(prices[usable] + shift, capacity[usable], penalty)
        return float(np.maximum(best, 0.0).sum() + worth - shift * most), stale.size, new

    # The first prices, with shift 0, already bound every assignment's score, however
    # many it matches: a certificate before any flow, from the pass just made.
    upper_bound, _, _ = certify(prices, 0.0, 0, np.full(n_rows, np.inf), candidates)
    while True:
        clock = time.perf_counter()
        choice, scale = _flow_assignment(
            cands.rows, cands.cols, cands.values, n_rows, capacity, penalty, largest=largest
        )
        timings["flows"] += time.perf_counter() - clock
        matched = int((choice >= 0).sum())
        rounds += 1
        total = _total(score_rows, cands.rows, cands.cols, cands.values, choice)
        total -= load_cost(_loads(choice, n_cols), penalty)
        if (most is None or matched == most) and total >= (1 - max_gap) * upper_bound:
            break
        grid = np.rint(cands.values * scale)
        grid_penalty = float(np.rint(penalty * scale))
        # An augmenting path changes at most every matched pair, each by at most the
        # spread of the grid scores, and takes one more place: a shift above that makes
        # one more match always pay.
        grid_shift = (np.rint(high * scale) - min(np.rint(low * scale), 0.0) + 1.0) * (
            n_rows + 1
        ) + grid_penalty * float(np.max(capacity))
        clock = time.perf_counter()
        solved = dual_prices(
            cands.rows, cands.cols, grid + grid_shift, choice, capacity, grid_penalty
        )
        del grid
        timings["prices"] += time.perf_counter() - clock
        if solved is None:
            # Cannot happen with exact integer grid scores; should it, the bound from the
            # last prices stays valid, if loose.
            break
        prices, shift = (solved - grid_shift) / scale, grid_shift / scale
        chosen = choice[cands.rows] == cands.cols
        own = np.zeros(n_rows)
        own[cands.rows[chosen]] = np.maximum(cands.values[chosen] - prices[cands.cols[chosen]], 0.0)
        # Rounding scores to the grid moves each reduced score by under 1/scale; the
        # shift adds float rounding of its own size times machine precision.
        tolerance = 2.0 / scale + 1e-12 * (shift + float(np.abs(cands.values).max(initial=1.0)))
        # With every pair allowed, the optimum matches min(entrepreneurs, places).
        bound, n_stale, n_new = certify(
            prices, shift, matched if most is None else most, own + tolerance, candidates
        )
        upper_bound = min(upper_bound, bound)
        logger.info(
            "pruned assignment round %d: %d candidates, %d matched, %d rows scored again, "
            "%d new pairs, total %.8g, bound %.8g, seconds %s",
            rounds,
            cands.rows.size - n_new,
            matched,
            n_stale,
            n_new,
            total,
            upper_bound,
            {name: round(seconds, 1) for name, seconds in timings.items()},
        )
        if n_new == 0:
            exact = True
            break
        if (most is None or matched == most) and total >= (1 - max_gap) * upper_bound:
            break
        if rounds >= max_rounds:
            break
    pair_rows, pair_cols, pair_values = cands.rows, cands.cols, cands.values
    total = _total(score_rows, pair_rows, pair_cols, pair_values, choice)
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
        prices=prices + shift,
        shift=shift,
        rounds=rounds,
        n_candidates=int(pair_rows.size),
        timings=timings,
    )


def _loads(choice, n_cols: int) -> np.ndarray:
    return np.bincount(choice[choice >= 0], minlength=n_cols)


def _total(score_rows, rows, cols, values, choice) -> float:
    """The chosen pairs' total: exact where the source computes pairs exactly (the
    candidates' scores may come from single-precision blocks)."""
    if hasattr(score_rows, "pair_scores"):
        matched = np.flatnonzero(choice >= 0)
        return float(np.sum(score_rows.pair_scores(matched, choice[matched])))
    chosen = choice[rows] == cols
    return float(values[chosen].sum())
