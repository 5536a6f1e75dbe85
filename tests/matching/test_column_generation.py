"""The pruned matcher's certificate is real: its bound holds over ALL pairs, not only the
candidates it solved on, and single-precision blocks do not weaken it."""

import numpy as np
import pytest
from scipy import sparse

from matching.assignment import (
    assign,
    assign_pruned,
    dense_score_rows,
    factor_score_rows,
    load_cost,
    total_score,
)
from matching.scoring import PairScorer
from matching.synthetic import make_market


def market(n, m, places_ratio, seed):
    rng = np.random.default_rng(seed)
    popularity = rng.gamma(2.0, size=m)
    scores = rng.random((n, m)) + 0.5 * popularity + 0.3 * rng.random((n, 1))
    capacity = rng.multinomial(int(places_ratio * n), np.ones(m) / m)
    return scores, capacity


@pytest.fixture(scope="module")
def synthetic():
    """2,000 entrepreneurs × 100 experts scored by the real scorer, places for everyone."""
    entrepreneurs, experts, capacity = make_market(2000, 100, 1.0, random_state=4)
    scorer = PairScorer().fit(entrepreneurs, experts)
    left, right = scorer.factors(scorer.criterion_vectors(entrepreneurs, experts))
    return left, right, capacity, (left @ right.T).toarray()


@pytest.mark.parametrize("penalty", [0.0, 0.05])
def test_certified_gap_against_the_dense_optimum(synthetic, penalty):
    left, right, capacity, scores = synthetic
    dense = assign(scores, capacity, penalty=penalty)
    optimum = total_score(scores, dense) - load_cost(np.bincount(dense, minlength=100), penalty)
    result = assign_pruned(
        factor_score_rows(left, right, np.float32),
        2000,
        capacity,
        candidates=3,
        max_gap=0.001,
        sample_size=500,
        penalty=penalty,
    )
    found = total_score(scores, result.choice) - result.load_cost
    assert (result.choice >= 0).sum() == 2000
    assert result.total == pytest.approx(total_score(scores, result.choice), rel=1e-12)
    assert result.upper_bound >= optimum - 1e-9
    assert found <= optimum + 1e-9
    assert result.gap <= 0.001
    assert found >= (1 - result.gap) * result.upper_bound - 1e-9


def test_single_precision_blocks_still_prove_the_exact_optimum(synthetic):
    left, right, capacity, scores = synthetic
    result = assign_pruned(factor_score_rows(left, right, np.float32), 2000, capacity, candidates=3)
    assert result.exact
    assert result.total == pytest.approx(total_score(scores, assign(scores, capacity)), rel=1e-7)


def test_the_bound_covers_pairs_outside_the_candidates():
    """After one flow on each entrepreneur's single best pair the assignment is poor; a
    bound computed on the candidates alone would be its own total, below the optimum."""
    scores, capacity = market(2000, 100, 1.0, seed=8)
    optimum = total_score(scores, assign(scores, capacity))
    result = assign_pruned(
        dense_score_rows(scores),
        2000,
        capacity,
        candidates=1,
        spread=2,
        max_rounds=1,
        sample_size=None,
    )
    assert result.total < optimum * 0.99
    assert result.upper_bound >= optimum - 1e-9
    assert not result.exact
    assert result.gap == pytest.approx(1 - result.total / result.upper_bound)


def test_column_generation_reaches_the_optimum_it_certifies():
    scores, capacity = market(2000, 100, 1.0, seed=9)
    optimum = total_score(scores, assign(scores, capacity))
    result = assign_pruned(dense_score_rows(scores), 2000, capacity, candidates=2, max_rounds=30)
    assert result.exact and result.rounds > 1
    assert result.total == pytest.approx(optimum, rel=1e-7)
    assert result.upper_bound == pytest.approx(optimum, rel=1e-6)


def test_single_precision_error_bound_holds():
    rng = np.random.default_rng(2)
    # Large and small entries, many terms: the case where float32 loses most.
    left = sparse.random(300, 400, density=0.3, random_state=3, format="csr") * 1e3
    right = sparse.random(50, 400, density=0.5, random_state=4, format="csr")
    rows = rng.permutation(300)[:120]
    source = factor_score_rows(left, right, np.float32)
    exact = (left[rows] @ right.T).toarray()
    error = np.abs(source(rows).astype(np.float64) - exact)
    assert source(rows).dtype == np.float32
    assert np.all(error <= source.row_error[rows, None])
    assert error.max() > 0  # the bound is not vacuous: single precision did round
    cols = rng.integers(0, 50, size=rows.size)
    assert np.allclose(
        source.pair_scores(rows, cols), exact[np.arange(rows.size), cols], rtol=1e-13
    )


def test_double_precision_factor_rows_claim_no_error():
    left = sparse.random(40, 30, density=0.3, random_state=5, format="csr")
    right = sparse.random(10, 30, density=0.3, random_state=6, format="csr")
    source = factor_score_rows(left, right, dtype=np.float64)
    assert np.array_equal(source(np.arange(40)), (left @ right.T).toarray())
    assert not source.row_error.any()


def test_forbidden_pairs_stay_out_of_single_precision_rows():
    rng = np.random.default_rng(12)
    left, right = rng.random((300, 5)), rng.random((12, 5))
    scores = left @ right.T
    forbidden = {i: [int(np.argmax(scores[i]))] for i in range(0, 300, 3)}
    for i, cols in forbidden.items():
        scores[i, cols] = -np.inf
    capacity = np.full(12, 25)
    source = factor_score_rows(
        sparse.csr_matrix(left), sparse.csr_matrix(right), np.float32, forbidden=forbidden
    )
    result = assign_pruned(source, 300, capacity, candidates=3)
    matched = np.flatnonzero(result.choice >= 0)
    assert np.all(np.isfinite(scores[matched, result.choice[matched]]))
    assert result.exact
    assert result.total == pytest.approx(total_score(scores, assign(scores, capacity)), rel=1e-7)
