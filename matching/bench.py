"""Speed and quality of the matcher on synthetic Yunfu data: ``python -m matching.bench``.

For each size and each total of places (equal to, and 25% above, the number of
entrepreneurs) it runs the matcher without balancing (``matcher``), with balancing
(``balanced``, 均衡分配: an expert's k-th entrepreneur costs ``--balance-penalty`` × (k - 1)
× the largest score, as a balanced matching run does) and a greedy baseline, each in a
process of its own forked from a server that has only imported the libraries, and prints
one row per run:

- ``solver``: ``dense`` for the full score matrix, ``pruned`` for candidate lists (the
  matcher's ``assign_pruned``; greedy on each entrepreneur's 50 best pairs, then the best
  expert with a place left, where all pairs would not fit);
- ``time_s``: scoring (fit, vectors, products), assignment and, for the matcher, the
  matched pairs' reasons, not data generation; ``cpu_s`` the processor time of the same
  (all threads), which other load on the machine does not inflate; ``reasons_s`` the
  wall time of the reasons step alone (one batch over all matched pairs, read off the
  vectors already computed for the scores);
- ``peak_mb``: the run's own peak resident memory (``ru_maxrss`` of its process,
  including the interpreter and libraries, about 120 MB);
- ``matched``, ``over_cap`` (experts given more than their places), ``max_load``,
  ``idle`` (experts with places but nobody assigned);
- ``ratio``: total score over ``ref``, the exact (unbalanced) optimum by another method
  where one fits (for ``balanced`` rows, one minus the score balancing gave up)
  (``exact``: the Hungarian method on one column per place, else the min-cost flow on all
  pairs), otherwise the pruned solver's certified upper bound (``bound``);
- ``cert_gap``: the pruned matcher's own certified gap, ``1 - total / bound`` (for
  ``balanced``, on the total minus the balancing cost). Where an
  exact reference exists the matcher runs until it proves its result exact; beyond, it
  stops once the gap is under ``--max-gap`` (0.1%) or after ten rounds.

With every pair allowed and scores non-negative, the Hungarian method on places matches
as many entrepreneurs as there are places and maximises the total: the lexicographic
optimum ``assign`` computes.
"""

import argparse
import multiprocessing
import os
import resource
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

from matching.assignment import (
    assign,
    assign_greedy,
    assign_greedy_rows,
    assign_pruned,
    factor_score_rows,
    penalty_in_score_units,
)
from matching.scoring import DEFAULT_WEIGHTS, PairScorer
from matching.synthetic import make_market

DEFAULT_SIZES = "1000x50,10000x500,100000x5000"
CAPACITY_RATIOS = (1.0, 1.25)
METHODS = ("matcher", "balanced", "greedy")
# Name, width, number format; text columns are left-aligned.
COLUMNS = (
    ("size", 13, ""),
    ("places", 7, "d"),
    ("method", 8, ""),
    ("solver", 7, ""),
    ("time_s", 7, ".1f"),
    ("cpu_s", 7, ".1f"),
    ("reasons_s", 9, ""),
    ("peak_mb", 7, ".0f"),
    ("matched", 7, "d"),
    ("over_cap", 8, "d"),
    ("max_load", 8, "d"),
    ("idle", 5, "d"),
    ("ratio", 8, ".5f"),
    ("ref", 5, ""),
    ("cert_gap", 8, ""),
)


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """ "1000x50,10000x500" -> [(1000, 50), (10000, 500)]."""
    sizes = []
    for item in text.split(","):
        entrepreneurs, _, experts = item.strip().lower().partition("x")
        if not entrepreneurs.isdigit() or not experts.isdigit():
            raise argparse.ArgumentTypeError(f"size {item!r} is not like 1000x50")
        sizes.append((int(entrepreneurs), int(experts)))
    return sizes


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def _case(n, m, ratio, seed):
    entrepreneurs, experts, capacity = make_market(n, m, ratio, random_state=seed)
    return entrepreneurs, experts, capacity


def default_balance_penalty() -> float:
    """MATCHING_BALANCE_PENALTY from the project's settings (a run's default)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunfu.settings.dev")
    from django.conf import settings

    return settings.MATCHING_BALANCE_PENALTY


def _run(method, n, m, ratio, seed, dense_limit, flow_limit, max_gap, penalty) -> dict:
    """One run in its own process: score, assign, and describe the result."""
    entrepreneurs, experts, capacity = _case(n, m, ratio, seed)
    matcher = method in ("matcher", "balanced")
    penalty = penalty_in_score_units(penalty, DEFAULT_WEIGHTS) if method == "balanced" else 0.0
    started, cpu_started = time.perf_counter(), time.process_time()
    scorer = PairScorer().fit(entrepreneurs, experts)
    vectors = scorer.criterion_vectors(entrepreneurs, experts)
    left, right = scorer.factors(vectors)
    bound = cert_gap = reasons_s = None
    # Greedy on all pairs wherever they fit in memory, to make the baseline its best.
    if n * m <= (dense_limit if matcher else flow_limit):
        solver = "dense"
        scores = (left @ right.T).toarray()
        if matcher:
            choice = assign(scores, capacity, penalty=penalty)
        else:
            choice = assign_greedy(scores, capacity)
    elif matcher:
        solver = "pruned"
        # Where an exact reference exists the matcher must reach it; beyond, it may stop
        # at the requested certified gap.
        gap = 0.0 if n * m <= flow_limit else max_gap
        result = assign_pruned(
            factor_score_rows(left, right, np.float32), n, capacity, max_gap=gap, penalty=penalty
        )
        choice, bound = result.choice, result.upper_bound
        cert_gap = result.gap
    else:
        solver = "pruned"
        choice = assign_greedy_rows(factor_score_rows(left, right, np.float32), n, capacity)
    matched = np.flatnonzero(choice >= 0)
    if matcher:
        # What a run stores with each proposal: its criteria and reasons, in one batch.
        reasons_started = time.perf_counter()
        scorer.explain_pairs(
            entrepreneurs, experts, np.column_stack([matched, choice[matched]]), vectors
        )
        reasons_s = time.perf_counter() - reasons_started
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    total = float(factor_score_rows(left, right).pair_scores(matched, choice[matched]).sum())
    load = np.bincount(choice[matched], minlength=m)
    return {
        "time_s": elapsed,
        "cpu_s": cpu,
        "reasons_s": "-" if reasons_s is None else f"{reasons_s:.1f}",
        "solver": solver,
        "peak_mb": _peak_mb(),
        "matched": int(matched.size),
        "over_cap": int((load > capacity).sum()),
        "max_load": int(load.max(initial=0)),
        "idle": int(((load == 0) & (capacity > 0)).sum()),
        "total": total,
        "bound": bound,
        "cert_gap": "-" if cert_gap is None else f"{cert_gap:.5f}",
    }


def _reference(n, m, ratio, seed, hungarian_limit, flow_limit) -> tuple[float, str] | None:
    """The exact optimum by a method other than the matcher's, where one fits, else None.

    Small sizes use the Hungarian method on one column per place; medium sizes the
    min-cost flow on all pairs (the matcher there prunes and certifies instead).
    """
    entrepreneurs, experts, capacity = _case(n, m, ratio, seed)
    if n * m > flow_limit:
        return None
    scores = PairScorer().fit(entrepreneurs, experts).score_matrix(entrepreneurs, experts)
    if n * int(capacity.sum()) <= hungarian_limit:
        places = np.repeat(np.arange(m), capacity)
        rows, slots = linear_sum_assignment(scores[:, places], maximize=True)
        return float(scores[rows, places[slots]].sum()), "exact"
    choice = assign(scores, capacity)
    matched = np.flatnonzero(choice >= 0)
    return float(scores[matched, choice[matched]].sum()), "exact"


def run(
    sizes,
    seed: int,
    dense_limit: int,
    hungarian_limit: int,
    flow_limit: int,
    max_gap: float,
    penalty: float,
    methods=METHODS,
    ratios=CAPACITY_RATIOS,
):
    """The benchmark's rows, one per run, each run measured in a process of its own."""
    # A fork server that has already imported the libraries starts each run quickly, and
    # a run forked from it measures its own peak, not the parent's data from earlier runs;
    # maxtasksperchild=1 gives every run a new process.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        ["matching.assignment", "matching.scoring", "matching.synthetic"]
    )
    with context.Pool(1, maxtasksperchild=1) as pool:
        for n, m in sizes:
            for ratio in ratios:
                case = (n, m, ratio, seed)
                limits = (dense_limit, flow_limit, max_gap, penalty)
                found = {method: pool.apply(_run, (method, *case, *limits)) for method in methods}
                reference = pool.apply(_reference, (*case, hungarian_limit, flow_limit))
                if reference is None:
                    bound = found.get("matcher", {}).get("bound")
                    # Without the plain matcher's bound there is nothing to compare with.
                    reference = (bound, "bound") if bound else (float("nan"), "-")
                value, kind = reference
                for method, result in found.items():
                    yield {
                        "size": f"{n}x{m}",
                        "places": int(round(ratio * n)),
                        "method": method,
                        "ratio": result["total"] / value if not value <= 0 else 1.0,
                        "ref": kind,
                        **result,
                    }


def _choices(allowed, kind):
    """A parser for a comma-separated list of values of ``kind`` (from ``allowed``)."""

    def parse(text: str) -> tuple:
        try:
            values = tuple(kind(item.strip()) for item in text.split(","))
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from error
        if allowed is not None and not set(values) <= set(allowed):
            raise argparse.ArgumentTypeError(f"{text!r}: choose from {', '.join(allowed)}")
        return values

    return parse


def format_header() -> str:
    return " ".join(_cell(name, width, spec) for name, width, spec in COLUMNS)


def format_row(row: dict) -> str:
    return " ".join(_cell(format(row[name], spec), width, spec) for name, width, spec in COLUMNS)


def _cell(text: str, width: int, spec: str) -> str:
    return text.rjust(width) if spec else text.ljust(width)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.bench", description=__doc__)
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes(DEFAULT_SIZES),
        help=f"entrepreneurs x experts, comma-separated (default {DEFAULT_SIZES})",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed of the synthetic data")
    parser.add_argument(
        "--dense-limit",
        type=int,
        default=1_000_000,
        help="largest number of pairs the matcher solves on the full score matrix; above "
        "it, the pruned solver runs and certifies its result",
    )
    parser.add_argument(
        "--hungarian-limit",
        type=int,
        default=20_000_000,
        help="largest entrepreneurs x places for the Hungarian reference",
    )
    parser.add_argument(
        "--flow-limit",
        type=int,
        default=10_000_000,
        help="largest number of pairs for the all-pairs min-cost flow reference",
    )
    parser.add_argument(
        "--max-gap",
        type=float,
        default=0.001,
        help="certified gap at which the pruned matcher may stop, above --flow-limit pairs",
    )
    parser.add_argument(
        "--balance-penalty",
        type=float,
        default=None,
        help="cost of an expert's k-th entrepreneur in the balanced rows, times (k - 1) and "
        "the largest score (default: MATCHING_BALANCE_PENALTY from the settings)",
    )
    parser.add_argument(
        "--methods",
        type=_choices(METHODS, str),
        default=METHODS,
        help="which runs, comma-separated (default: all of " + ",".join(METHODS) + ")",
    )
    parser.add_argument(
        "--places",
        type=_choices(None, float),
        default=CAPACITY_RATIOS,
        help="places per entrepreneur, comma-separated (default 1,1.25)",
    )
    args = parser.parse_args(argv)
    penalty = default_balance_penalty() if args.balance_penalty is None else args.balance_penalty
    if not penalty >= 0:
        parser.error("--balance-penalty must be a non-negative number")
    print(format_header(), flush=True)
    limits = (args.dense_limit, args.hungarian_limit, args.flow_limit, args.max_gap, penalty)
    for row in run(args.sizes, args.seed, *limits, methods=args.methods, ratios=args.places):
        print(format_row(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
