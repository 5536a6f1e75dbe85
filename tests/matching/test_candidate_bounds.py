"""The pruned matcher certifies its bound without scoring every pair again: each row keeps
a bound on the pairs it left unlisted, valid at later prices. These tests check that
bound pair by pair, so that a bound taken over the candidates only, or one that forgets
how far prices fell since a row was scored, fails here."""

import numpy as np
import pytest

from matching.assignment import (
    _Candidates,
    _scan,
    assign,
    assign_pruned,
    dense_score_rows,
    total_score,
)


def scores_with_holes(n, m, seed):
    rng = np.random.default_rng(seed)
    scores = rng.random((n, m)) + rng.gamma(2.0, size=m) * 0.3
    scores[rng.random((n, m)) < 0.05] = -np.inf
    return scores


def unlisted_best(scores, prices, rows, cols):
    """Each row's best reduced score over the pairs not in rows/cols (-inf if none)."""
    reduced = scores - prices
    reduced[rows, cols] = -np.inf
    return reduced.max(axis=1)


def test_scan_outside_bounds_every_pair_it_leaves_out():
    scores = scores_with_holes(300, 40, seed=1)
    capacity = np.full(40, 10)
    rng = np.random.default_rng(2)
    prices = rng.random(40)
    # Some pairs are listed already: the scan must skip them and may not count them.
    listed_rows = np.repeat(np.arange(300), 2)
    listed_cols = rng.integers(0, 40, size=600)
    key = np.unique(listed_rows * 40 + listed_cols)
    listed_rows, listed_cols = key // 40, key % 40
    found = _scan(
        dense_score_rows(scores),
        np.arange(300),
        capacity,
        prices,
        64,
        3,
        np.full(300, -np.inf),
        listed_rows,
        listed_cols,
        0,
        rng,
    )
    assert not np.isin(found.rows * 40 + found.cols, key).any()
    assert np.all(np.bincount(found.rows, minlength=300) <= 3)
    left = unlisted_best(
        scores,
        prices,
        np.concatenate([listed_rows, found.rows]),
        np.concatenate([listed_cols, found.cols]),
    )
    # Exact source: the bound is the best pair left out, neither less nor more.
    assert np.array_equal(found.outside, left)
    # The new pairs are each row's best unlisted ones.
    new_best = np.full(300, -np.inf)
    np.maximum.at(new_best, found.rows, found.values - prices[found.cols])
    assert np.all(new_best >= left)


def test_unlisted_bound_follows_falling_prices():
    scores = scores_with_holes(400, 50, seed=3)
    capacity = np.full(50, 8)
    rng = np.random.default_rng(4)
    cands = _Candidates(dense_score_rows(scores), capacity, 100, rng)
    first = rng.random(50)
    cands.scan(np.arange(400), first, 4, np.full(400, -np.inf))
    # Later prices: most rise, a few fall a lot.
    later = first + 0.2
    later[:3] -= 0.9
    bound = cands.unlisted(later)
    truth = unlisted_best(scores, later, cands.rows, cands.cols)
    assert np.all(truth <= bound + 1e-12)
    # Without the fall of the prices the bound would not hold: the test can fail.
    assert np.any(truth > cands.outside + 1e-9)


def test_first_prices_bound_the_optimum_before_any_round():
    """With a loose max_gap the solver may stop on the bound at its first prices: that
    bound must still cover the optimum over all pairs."""
    scores = scores_with_holes(3000, 60, seed=5)
    scores[~np.isfinite(scores)] = 0.0
    capacity = np.full(60, 50)
    optimum = total_score(scores, assign(scores, capacity))
    result = assign_pruned(
        dense_score_rows(scores), 3000, capacity, candidates=2, sample_size=500, max_gap=0.5
    )
    assert result.rounds == 1
    assert result.upper_bound >= optimum - 1e-9
    assert result.total <= optimum + 1e-9
    assert result.gap == pytest.approx(1 - result.total / result.upper_bound)
