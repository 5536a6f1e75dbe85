"""Balanced load (均衡分配): an expert's k-th entrepreneur costs penalty × (k - 1). The
optimum is exact (brute force on small cases, the pruned solver on larger ones), stays
within the places, and a balanced run shows what it cost on the run page."""

import itertools
import re

import numpy as np
import pytest
from django.urls import reverse

from matching.assignment import (
    assign,
    assign_pruned,
    dense_score_rows,
    load_cost,
    places_worth,
    total_score,
)
from matching.bench import main as bench_main
from matching.models import MatchingRun
from matching.runs import execute_run
from tests.mentors.factories import make_entrepreneur, make_expert, make_mentoring_staff


def loads(choice, m):
    return np.bincount(choice[choice >= 0], minlength=m)


def objective(scores, choice, penalty):
    """(entrepreneurs matched, total score minus the balancing cost)."""
    matched = int((choice >= 0).sum())
    return matched, total_score(scores, choice) - load_cost(loads(choice, scores.shape[1]), penalty)


def brute_force(scores, capacity, penalty):
    """The lexicographic optimum over every assignment: most matched, then best objective."""
    n, m = scores.shape
    best = (0, 0.0)
    for choice in itertools.product(range(-1, m), repeat=n):
        choice = np.array(choice, dtype=np.int64)
        matched = np.flatnonzero(choice >= 0)
        if not np.all(np.isfinite(scores[matched, choice[matched]])):
            continue
        if np.any(loads(choice, m) > capacity):
            continue
        value = objective(scores, choice, penalty)
        if value[0] > best[0] or (value[0] == best[0] and value[1] > best[1]):
            best = value
    return best


@pytest.mark.parametrize("seed", range(40))
def test_balanced_optimum_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, m = 5, 3
    scores = rng.random((n, m)) * 2
    scores[rng.random((n, m)) < 0.15] = np.nan
    capacity = rng.integers(0, 5, size=m)
    penalty = float(rng.choice([0.05, 0.3, 1.0, 3.0]))
    choice = assign(scores, capacity, penalty=penalty)
    assert np.all(loads(choice, m) <= capacity), "over capacity"
    matched = np.flatnonzero(choice >= 0)
    assert np.all(np.isfinite(scores[matched, choice[matched]])), "a forbidden pair was used"
    most, best = brute_force(scores, capacity, penalty)
    found = objective(scores, choice, penalty)
    assert found[0] == most
    assert found[1] == pytest.approx(best, abs=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_penalty_zero_is_the_unbalanced_optimum(seed):
    rng = np.random.default_rng(100 + seed)
    scores = rng.random((6, 3))
    capacity = rng.integers(1, 5, size=3)
    balanced = assign(scores, capacity, penalty=0.0)
    assert total_score(scores, balanced) == pytest.approx(
        total_score(scores, assign(scores, capacity)), abs=1e-9
    )
    assert brute_force(scores, capacity, 0.0)[1] == pytest.approx(
        total_score(scores, balanced), abs=1e-9
    )


def skewed(n=12, m=4, seed=0):
    """Expert 0 is everyone's best by a little; everyone has room for all."""
    rng = np.random.default_rng(seed)
    scores = 1.0 + 0.05 * rng.random((n, m))
    scores[:, 0] += 0.3
    return scores, np.full(m, n)


def test_balancing_lowers_the_max_load_when_one_expert_is_best_for_everyone():
    scores, capacity = skewed()
    piled = assign(scores, capacity)
    spread = assign(scores, capacity, penalty=0.1)
    assert loads(piled, 4).max() == 12  # today's optimum: everyone on expert 0
    assert loads(spread, 4).max() < 12
    assert np.all(loads(spread, 4) >= 1)
    assert (spread >= 0).sum() == 12  # balancing never costs a match
    assert total_score(scores, spread) < total_score(scores, piled)


def test_balancing_never_costs_a_match_nor_exceeds_places():
    """Only expert 0 is allowed for the first three; balancing must still match them."""
    scores = np.full((5, 3), 1.0)
    scores[:3, 1:] = np.nan
    capacity = np.array([3, 1, 1])
    choice = assign(scores, capacity, penalty=100.0)
    assert (choice >= 0).sum() == 5
    assert np.all(loads(choice, 3) <= capacity)


def test_a_negative_or_missing_penalty_is_refused():
    with pytest.raises(ValueError):
        assign(np.ones((2, 2)), [1, 1], penalty=-1)
    with pytest.raises(ValueError):
        assign(np.ones((2, 2)), [1, 1], penalty=float("nan"))


def test_places_worth_sums_what_each_place_is_worth_beyond_its_cost():
    # Price 0.25, penalty 0.1: places cost 0, 0.1, 0.2, 0.3 → worth 0.25 + 0.15 + 0.05.
    assert places_worth([0.25], [4], 0.1) == pytest.approx(0.45)
    assert places_worth([0.25], [2], 0.1) == pytest.approx(0.4)
    assert places_worth([0.25, 1.0], [3, 2], 0.0) == pytest.approx(2.75)


@pytest.mark.parametrize(("places_ratio", "penalty"), [(1.0, 0.01), (1.25, 0.01), (1.25, 0.2)])
def test_pruned_balanced_solver_is_exact(places_ratio, penalty):
    rng = np.random.default_rng(7)
    n, m = 2000, 30
    popularity = rng.gamma(2.0, size=m)
    scores = rng.random((n, m)) + 0.5 * popularity + 0.3 * rng.random((n, 1))
    capacity = rng.multinomial(int(places_ratio * n), np.ones(m) / m)
    dense = assign(scores, capacity, penalty=penalty)
    result = assign_pruned(
        dense_score_rows(scores), n, capacity, candidates=4, sample_size=400, penalty=penalty
    )
    optimum = objective(scores, dense, penalty)
    found = objective(scores, result.choice, penalty)
    assert np.all(loads(result.choice, m) <= capacity)
    assert found[0] == optimum[0]
    assert result.load_cost == pytest.approx(load_cost(loads(result.choice, m), penalty))
    assert result.upper_bound >= optimum[1] - 1e-6
    assert result.exact
    assert found[1] == pytest.approx(optimum[1], rel=1e-7)


# Runs and the run page ----------------------------------------------------------------


@pytest.fixture
def star_and_others(db):
    """One expert best for all six entrepreneurs; three others with room for all."""
    star = make_expert(
        "微店王",
        tags=("微店运营",),
        capacity=6,
        introduction="专做微信小店和微店运营，教农户拍照写文案。",
    )
    others = [make_expert(f"专家{k}", tags=("冷链物流",), capacity=6) for k in range(3)]
    for k in range(6):
        make_entrepreneur(f"创业者{k}", needs="想开微店卖沙糖桔", channels=("微信小店/微店",))
    return star, others  # fmt: skip


def run_now(**options):
    return execute_run(MatchingRun.objects.create(**options).pk)


def test_a_run_without_balancing_gives_the_unbalanced_optimum(star_and_others, settings):
    settings.MATCHING_BALANCE_PENALTY = 0.2
    star, _ = star_and_others
    run = run_now(balanced=False)
    assert run.proposals.filter(expert=star).count() == 6
    figures = run.figures
    assert figures["max_load"] == 6 and figures["idle_experts"] == 3
    assert figures["total_score"] == pytest.approx(figures["total_score_unbalanced"], abs=1e-3)
    assert run.parameters["balanced"] is False


def test_a_balanced_run_spreads_the_load_and_reports_both_optima(star_and_others, settings):
    settings.MATCHING_BALANCE_PENALTY = 0.2
    star, _ = star_and_others
    run = run_now()
    assert run.balanced
    figures = run.figures
    assert run.proposals.count() == 6
    assert run.proposals.filter(expert=star).count() < 6
    assert figures["max_load"] < 6
    assert figures["unbalanced"]["max_load"] == 6
    assert figures["total_score"] == pytest.approx(figures["total_score_balanced"], abs=1e-3)
    assert figures["total_score_balanced"] < figures["total_score_unbalanced"]
    histogram = {
        row["load"]: (row["balanced"], row["unbalanced"]) for row in figures["load_histogram"]
    }
    assert histogram[0][1] == 3 and histogram[6] == (0, 1)
    assert sum(b for b, _ in histogram.values()) == 4
    assert run.parameters["solver"]["method"] == "dense"


def test_a_run_too_big_to_hold_balances_the_same_on_candidate_lists(star_and_others, settings):
    """Above MATCHING_DENSE_PAIRS the pruned solver balances too, and proves it exact."""
    settings.MATCHING_BALANCE_PENALTY = 0.2
    dense = run_now()
    settings.MATCHING_DENSE_PAIRS = 0
    pruned = run_now()
    solver = pruned.parameters["solver"]
    # Proven optimal; the certified gap is the single-precision rows' rounding bound
    # (about 1e-5 of the total), which the bound adds.
    assert solver["method"] == "pruned" and solver["exact"] and solver["gap"] < 1e-4
    assert pruned.figures["max_load"] == dense.figures["max_load"] < 6
    assert pruned.figures["total_score"] == pytest.approx(dense.figures["total_score"], abs=1e-3)
    assert pruned.figures["load_histogram"] == dense.figures["load_histogram"]


def test_the_run_page_shows_the_load_histogram(client, star_and_others, settings):
    settings.MATCHING_BALANCE_PENALTY = 0.2
    client.force_login(make_mentoring_staff())
    run = run_now()
    html = client.get(reverse("matching_runs:run", args=[run.pk])).content.decode()
    assert "matching-load-histogram" in html
    assert '<tr data-load="6"><th scope="row">6</th><td data-balanced="0">0</td>' in html
    assert '<td data-unbalanced="1">1</td>' in html
    assert f"{run.figures['total_score_unbalanced']:.2f}" in html
    assert f"{run.figures['total_score_balanced']:.2f}" in html


def test_the_start_form_has_the_balance_box_checked_and_unchecking_it_turns_it_off(
    client, db, django_capture_on_commit_callbacks
):
    client.force_login(make_mentoring_staff())
    html = client.get(reverse("matching_runs:index")).content.decode()
    box = re.search(r'<input[^>]*name="balanced"[^>]*>', html)
    assert box and " checked" in box.group(0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching_runs:start"), {"balanced": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        MatchingRun.objects.update(status=MatchingRun.Status.DONE)
        client.post(reverse("matching_runs:start"), {})
    assert list(MatchingRun.objects.order_by("pk").values_list("balanced", flat=True)) == [
        True,
        False,
    ]


def test_the_benchmark_prints_balanced_and_unbalanced_rows(capsys):
    assert bench_main(["--sizes", "200x10", "--seed", "3"]) == 0
    header, *rows = capsys.readouterr().out.strip().splitlines()
    table = [dict(zip(header.split(), row.split(), strict=True)) for row in rows]
    by_method = {(row["places"], row["method"]): row for row in table}
    for places in ("200", "250"):
        balanced, piled = by_method[(places, "balanced")], by_method[(places, "matcher")]
        assert balanced["matched"] == piled["matched"] == "200"
        assert balanced["over_cap"] == "0"
        assert int(balanced["max_load"]) <= int(piled["max_load"])
        assert float(balanced["ratio"]) <= float(piled["ratio"]) + 1e-9
