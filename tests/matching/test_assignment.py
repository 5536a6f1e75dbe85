"""The assignment of entrepreneurs to experts' places: exact, within capacity, prunable."""

import itertools

import numpy as np
import pytest
from scipy import sparse

from matching.assignment import (
    assign,
    assign_greedy,
    assign_greedy_rows,
    assign_pruned,
    dense_score_rows,
    dual_prices,
    factor_score_rows,
    total_score,
)


def brute_force(scores, capacity):
    """(most entrepreneurs matched, best total among those) over every assignment."""
    n, m = scores.shape
    best = (0, 0.0)
    for choice in itertools.product(range(-1, m), repeat=n):
        chosen = [(i, j) for i, j in enumerate(choice) if j >= 0]
        if any(not np.isfinite(scores[i, j]) for i, j in chosen):
            continue
        if np.any(np.bincount([j for _, j in chosen], minlength=m) > capacity):
            continue
        value = (len(chosen), sum(scores[i, j] for i, j in chosen))
        if value[0] > best[0] or (value[0] == best[0] and value[1] > best[1] + 1e-9):
            best = value
    return best


def check_against_brute_force(scores, capacity):
    choice = assign(scores, capacity)
    n, m = scores.shape
    assert choice.shape == (n,)
    assert choice.dtype.kind == "i"
    assert np.all((choice >= -1) & (choice < m))
    matched = np.flatnonzero(choice >= 0)
    assert np.all(np.isfinite(scores[matched, choice[matched]])), "a forbidden pair was used"
    assert np.all(np.bincount(choice[matched], minlength=m) <= capacity), "over capacity"
    most, best = brute_force(scores, capacity)
    assert matched.size == most
    assert total_score(scores, choice) == pytest.approx(best, abs=1e-6)


@pytest.mark.parametrize("seed", range(150))
def test_assign_equals_brute_force_on_small_random_instances(seed):
    """Integer scores make ties common; NaN and -inf both forbid; places may be zero."""
    rng = np.random.default_rng(seed)
    n, m = rng.integers(0, 6), rng.integers(0, 4)
    scores = rng.integers(-2, 4, size=(n, m)).astype(float)
    scores[rng.random((n, m)) < 0.2] = np.nan
    scores[rng.random((n, m)) < 0.1] = -np.inf
    capacity = rng.integers(0, 3, size=m)
    check_against_brute_force(scores, capacity)


@pytest.mark.parametrize("seed", range(40))
def test_assign_equals_brute_force_with_real_valued_scores(seed):
    rng = np.random.default_rng(1000 + seed)
    n, m = rng.integers(1, 7), rng.integers(1, 4)
    scores = rng.random((n, m)) * 3 - 0.5
    scores[rng.random((n, m)) < 0.15] = np.nan
    check_against_brute_force(scores, rng.integers(0, 4, size=m))


def test_more_matches_beat_a_higher_total():
    """Matching both entrepreneurs is worth more than the one great pair."""
    scores = np.array([[10.0, 0.0], [1.0, np.nan]])
    choice = assign(scores, np.array([1, 1]))
    np.testing.assert_array_equal(choice, [1, 0])


def test_more_experts_than_entrepreneurs():
    scores = np.array([[0.1, 0.9, 0.5, 0.3], [0.2, 0.8, 0.7, 0.1]])
    choice = assign(scores, np.array([1, 1, 1, 1]))
    np.testing.assert_array_equal(choice, [1, 2])


def test_more_entrepreneurs_than_places():
    scores = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.6], [0.1, 0.5]])
    choice = assign(scores, np.array([1, 1]))
    assert (choice >= 0).sum() == 2
    assert total_score(scores, choice) == pytest.approx(0.9 + 0.6)


def test_zero_capacity_and_all_forbidden():
    scores = np.array([[1.0, np.nan], [2.0, -np.inf]])
    np.testing.assert_array_equal(assign(scores, np.array([0, 3])), [-1, -1])
    np.testing.assert_array_equal(assign(np.full((3, 2), np.nan), [2, 2]), [-1, -1, -1])


def test_empty_inputs():
    assert assign(np.zeros((0, 3)), np.array([1, 1, 1])).shape == (0,)
    np.testing.assert_array_equal(assign(np.zeros((2, 0)), np.zeros(0, int)), [-1, -1])


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        assign(np.zeros((2, 2)), np.array([1, -1]))
    with pytest.raises(ValueError):
        assign(np.zeros((2, 2)), np.array([1]))
    with pytest.raises(ValueError):
        assign(np.array([[np.inf]]), np.array([1]))


def test_greedy_is_not_optimal():
    """The brute-force check would catch greedy: the best pair blocks two good ones."""
    scores = np.array([[1.0, 0.9], [0.9, 0.0]])
    capacity = np.array([1, 1])
    greedy = assign_greedy(scores, capacity)
    optimal = assign(scores, capacity)
    assert total_score(scores, greedy) == pytest.approx(1.0)
    assert total_score(scores, optimal) == pytest.approx(1.8)
    assert brute_force(scores, capacity) == (2, pytest.approx(1.8))


def market(n, m, places_ratio, seed):
    """Scores with popular experts and a per-entrepreneur spread, like real scores."""
    rng = np.random.default_rng(seed)
    popularity = rng.gamma(2.0, size=m)
    scores = rng.random((n, m)) + 0.5 * popularity + 0.3 * rng.random((n, 1))
    capacity = rng.multinomial(int(places_ratio * n), np.ones(m) / m)
    return scores, capacity


@pytest.mark.parametrize("places_ratio", [0.8, 1.0, 1.25])
def test_pruned_solver_is_exact_on_a_medium_instance(places_ratio):
    scores, capacity = market(3000, 40, places_ratio, seed=7)
    exact = assign(scores, capacity)
    result = assign_pruned(dense_score_rows(scores), 3000, capacity, candidates=4, sample_size=500)
    optimum = total_score(scores, exact)
    assert (result.choice >= 0).sum() == (exact >= 0).sum()
    assert np.all(np.bincount(result.choice[result.choice >= 0], minlength=40) <= capacity)
    assert result.upper_bound >= optimum - 1e-6
    assert result.total == pytest.approx(total_score(scores, result.choice))
    assert result.total >= optimum * (1 - result.gap) - 1e-6
    assert result.exact
    assert result.total == pytest.approx(optimum, rel=1e-7)


def test_pruned_bound_is_valid_and_honest_when_stopped_early():
    """Stopped after one round on two candidates, the result need not be exact, but the
    bound must still hold over all pairs and the gap must say how far off it may be."""
    scores, capacity = market(2000, 30, 1.0, seed=3)
    optimum = total_score(scores, assign(scores, capacity))
    result = assign_pruned(
        dense_score_rows(scores), 2000, capacity, candidates=2, max_rounds=1, sample_size=None
    )
    assert result.upper_bound >= optimum - 1e-6
    assert result.total <= optimum + 1e-6
    assert result.gap == pytest.approx(1 - result.total / result.upper_bound)
    assert not result.exact or result.total == pytest.approx(optimum, rel=1e-7)


def test_pruned_solver_from_sparse_factors():
    rng = np.random.default_rng(5)
    left = rng.random((500, 6))
    right = rng.random((25, 6))
    capacity = np.full(25, 24)
    result = assign_pruned(
        factor_score_rows(sparse.csr_matrix(left), sparse.csr_matrix(right)),
        500,
        capacity,
        candidates=3,
        chunk_size=64,
    )
    scores = left @ right.T
    assert result.exact
    assert result.total == pytest.approx(total_score(scores, assign(scores, capacity)), rel=1e-7)


def test_pruned_solver_leaves_forbidden_pairs_and_zero_places_alone():
    scores, capacity = market(400, 10, 1.0, seed=11)
    scores[np.random.default_rng(0).random(scores.shape) < 0.3] = np.nan
    capacity[0] = 0
    result = assign_pruned(dense_score_rows(scores), 400, capacity, candidates=3)
    matched = np.flatnonzero(result.choice >= 0)
    assert np.all(np.isfinite(scores[matched, result.choice[matched]]))
    assert not np.any(result.choice == 0)
    assert result.upper_bound >= total_score(scores, assign(scores, capacity)) - 1e-6


def test_dual_prices_prove_the_optimum():
    """Prices in complementary slackness with the optimum close the duality gap."""
    scores, capacity = market(300, 8, 0.9, seed=2)
    choice = assign(scores, capacity)
    rows, cols = np.nonzero(np.isfinite(scores))
    prices = dual_prices(rows, cols, scores[rows, cols], choice, capacity)
    assert prices is not None and np.all(prices >= -1e-9)
    bound = np.maximum((scores - prices).max(axis=1), 0).sum() + capacity @ prices
    assert bound == pytest.approx(total_score(scores, choice), rel=1e-9)


def test_dual_prices_refuse_a_suboptimal_assignment():
    scores = np.array([[1.0, 0.9], [0.9, 0.0]])
    rows, cols = np.nonzero(np.isfinite(scores))
    greedy = assign_greedy(scores, np.array([1, 1]))
    assert dual_prices(rows, cols, scores[rows, cols], greedy, np.array([1, 1])) is None


def test_large_greedy_respects_capacity_and_matches_everyone_it_can():
    scores, capacity = market(1000, 20, 1.0, seed=4)
    choice = assign_greedy_rows(dense_score_rows(scores), 1000, capacity, candidates=3)
    assert (choice >= 0).sum() == min(1000, capacity.sum())
    assert np.all(np.bincount(choice[choice >= 0], minlength=20) <= capacity)
