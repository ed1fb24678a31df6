"""dlguide.ngram: counting baselines equal hand counts, and the copying measure."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.ngram import cross_entropy, fit_bigram, fit_unigram, longest_shared_run


def test_unigram_is_smoothed_frequency():
    ids = np.array([2, 2, 2, 0])  # counts 1, 0, 3
    np.testing.assert_allclose(
        fit_unigram(ids, vocab_size=3, alpha=0.5), np.array([1.5, 0.5, 3.5]) / 5.5
    )


def test_bigram_probabilities_equal_hand_counts():
    ids = np.array([0, 1, 1, 2, 0, 1])  # pairs 01, 11, 12, 20, 01
    table = fit_bigram(ids, vocab_size=3, alpha=1.0)
    after_0 = np.array([0 + 1, 2 + 1, 0 + 1]) / 5  # 0 is followed by 1 twice
    after_1 = np.array([0 + 1, 1 + 1, 1 + 1]) / 5
    after_2 = np.array([1 + 1, 0 + 1, 0 + 1]) / 4
    np.testing.assert_allclose(table, [after_0, after_1, after_2])


def test_smoothing_keeps_unseen_pairs_finite():
    table = fit_bigram(np.array([0, 0, 0]), vocab_size=4, alpha=0.1)
    assert table[3, 2] == pytest.approx(0.25)  # a row never seen is uniform
    assert np.isfinite(cross_entropy(table[[0, 3], [1, 2]]))


def test_cross_entropy_is_mean_negative_log_probability():
    assert cross_entropy(np.array([0.5, 0.25])) == pytest.approx((np.log(2) + np.log(4)) / 2)
    assert cross_entropy(np.ones(3)) == 0.0


@pytest.mark.parametrize("alpha", [0, -1.0])
def test_fitting_rejects_a_smoothing_that_is_not_positive(alpha):
    with pytest.raises(ValueError, match="alpha must be > 0"):
        fit_bigram(np.array([0, 1]), vocab_size=2, alpha=alpha)
    with pytest.raises(ValueError, match="alpha must be > 0"):
        fit_unigram(np.array([0, 1]), vocab_size=2, alpha=alpha)


def test_cross_entropy_rejects_zero_probability():
    with pytest.raises(ValueError, match=r"probabilities must lie in \(0, 1\]"):
        cross_entropy(np.array([0.5, 0.0]))


def test_longest_shared_run_finds_the_longest_copy():
    source = "four score and seven years ago"
    assert longest_shared_run("and seven years later", source) == "and seven years "
    assert longest_shared_run("qxz", source) == ""
    assert longest_shared_run("our scores", source) == "our score"
