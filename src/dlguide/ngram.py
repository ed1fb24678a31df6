"""Counting baselines for a language model: unigram and bigram tables with add-alpha smoothing.

A unigram model predicts every token from its frequency alone; a bigram model from the
token just before it. Both are fitted by counting, so they show what a trained network
must beat. Token ids are integers in ``0 .. vocab_size - 1``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cross_entropy", "fit_bigram", "fit_unigram", "longest_shared_run"]


def _check_smoothing(alpha: float) -> None:
    """Raise unless ``alpha`` is positive: a zero count would give probability 0."""
    if not alpha > 0:
        raise ValueError(f"alpha must be > 0 (unseen tokens would get probability 0), got {alpha}")


def _check_probabilities(probabilities: np.ndarray) -> None:
    """Raise unless every probability lies in ``(0, 1]``: ``log 0`` is infinite."""
    probabilities = np.asarray(probabilities)
    if np.any(probabilities <= 0) or np.any(probabilities > 1):
        raise ValueError("probabilities must lie in (0, 1]")


def fit_unigram(ids: np.ndarray, vocab_size: int, alpha: float = 1.0) -> np.ndarray:
    """Probability of each token, ``[vocab_size]``: its count plus ``alpha``, normalized.

    ``alpha = 1`` is Laplace's add-one smoothing; any ``alpha > 0`` keeps tokens that
    never occur in ``ids`` at a small non-zero probability.

    Raises
    ------
    ValueError
        If ``alpha`` is not positive.

    Examples
    --------
    >>> fit_unigram(np.array([0, 0, 1]), vocab_size=3)  # counts 2, 1, 0 plus one each
    array([0.5       , 0.33333333, 0.16666667])
    """
    _check_smoothing(alpha)
    counts = np.bincount(ids, minlength=vocab_size) + alpha
    return counts / counts.sum()


def fit_bigram(ids: np.ndarray, vocab_size: int, alpha: float = 1.0) -> np.ndarray:
    """Probability of each next token given the previous one, ``[vocab_size, vocab_size]``.

    Row ``a`` holds ``P(next | previous = a)``: the count of each pair ``(a, next)``
    in ``ids`` plus ``alpha``, divided by the row's total, so every row sums to 1.

    Raises
    ------
    ValueError
        If ``alpha`` is not positive.

    Examples
    --------
    >>> table = fit_bigram(np.array([0, 1, 0, 1, 1]), vocab_size=2, alpha=1.0)
    >>> table  # pairs 01, 10, 01, 11: after 0, one 1 twice; after 1, one 0 and one 1
    array([[0.25, 0.75],
           [0.5 , 0.5 ]])
    """
    _check_smoothing(alpha)
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (ids[:-1], ids[1:]), 1)
    counts += alpha
    return counts / counts.sum(axis=1, keepdims=True)


def cross_entropy(probabilities: np.ndarray) -> float:
    """Mean of ``-log p`` over the probabilities a model gave the tokens that came.

    This is the loss in nats per token; ``exp`` of it is the perplexity.

    Raises
    ------
    ValueError
        If a probability is not in ``(0, 1]`` (the loss would be infinite or meaningless).

    Examples
    --------
    >>> table = fit_bigram(np.array([0, 1, 0, 1, 1]), vocab_size=2)
    >>> previous, targets = np.array([0, 1]), np.array([1, 1])
    >>> round(cross_entropy(table[previous, targets]), 4)  # -(log 0.75 + log 0.5) / 2
    0.4904
    """
    _check_probabilities(probabilities)
    return float(-np.mean(np.log(probabilities)))


def longest_shared_run(text: str, source: str) -> str:
    """The longest run of consecutive characters of ``text`` that occurs verbatim in ``source``.

    A measure of copying: a model that memorized its training text ``source`` writes
    ``text`` with long runs taken from it.

    Examples
    --------
    >>> longest_shared_run("the people rule", "of the people, by")
    'the people'
    """
    longest = ""
    for start in range(len(text)):
        end = start + len(longest) + 1  # only longer runs can change the answer
        while end <= len(text) and text[start:end] in source:
            longest, end = text[start:end], end + 1
    return longest
