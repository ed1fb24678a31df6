"""Toy sequence tasks generated on the fly, small enough to train a Transformer on a CPU."""

from __future__ import annotations

from importlib.resources import files

import numpy as np

__all__ = [
    "START",
    "VOCAB_SIZE",
    "encode_characters",
    "founding_texts",
    "next_token_windows",
    "reversal_task",
]

START = 10  #: the token that starts every decoder input; digits are tokens 0-9
VOCAB_SIZE = 11  #: ten digits and the start token


def reversal_task(
    n_samples: int, length: int = 8, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random digit sequences and their reversals, ready for teacher forcing.

    The model reads ``source`` and must write ``target``, the same digits in
    reverse order. During training the decoder sees ``decoder_input``, the
    target shifted right by one position behind the :data:`START` token, and
    learns to predict the next target token at every position.

    Returns
    -------
    source, decoder_input, target : numpy.ndarray
        Integer arrays of shape ``[n_samples, length]``.

    Examples
    --------
    >>> source, decoder_input, target = reversal_task(n_samples=2, length=4, seed=0)
    >>> source
    array([[8, 6, 5, 2],
           [3, 0, 0, 0]])
    >>> target
    array([[2, 5, 6, 8],
           [0, 0, 0, 3]])
    >>> decoder_input
    array([[10,  2,  5,  6],
           [10,  0,  0,  0]])
    """
    source = np.random.default_rng(seed).integers(0, 10, size=(n_samples, length))
    target = source[:, ::-1].copy()
    decoder_input = np.concatenate([np.full((n_samples, 1), START), target[:, :-1]], axis=1)
    return source, decoder_input, target


def encode_characters(text: str) -> tuple[np.ndarray, list[str]]:
    """Token ids for the characters of ``text``, and the vocabulary (sorted characters).

    Character ``vocabulary[i]`` has id ``i``; ``"".join(vocabulary[i] for i in ids)``
    gives back ``text``.

    Examples
    --------
    >>> ids, vocabulary = encode_characters("abba")
    >>> ids, vocabulary
    (array([0, 1, 1, 0]), ['a', 'b'])
    """
    vocabulary = sorted(set(text))
    index = {character: i for i, character in enumerate(vocabulary)}
    return np.array([index[character] for character in text]), vocabulary


def next_token_windows(ids: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """All windows of ``length`` consecutive ids, and the same windows shifted by one.

    A language model reads ``inputs[n]`` and must predict ``targets[n]``: at every
    position, the id that comes next in ``ids``.

    Returns
    -------
    inputs, targets : numpy.ndarray
        Shape ``[len(ids) - length, length]``.

    Raises
    ------
    ValueError
        If ``ids`` is not one-dimensional or not longer than ``length``.

    Examples
    --------
    >>> inputs, targets = next_token_windows(np.arange(5), length=3)
    >>> inputs
    array([[0, 1, 2],
           [1, 2, 3]])
    >>> targets
    array([[1, 2, 3],
           [2, 3, 4]])
    """
    if np.ndim(ids) != 1 or len(ids) <= length:
        raise ValueError(f"ids must be 1-D and longer than length={length}, got {np.shape(ids)}")
    windows = np.lib.stride_tricks.sliding_window_view(ids, length + 1)
    return windows[:, :-1].copy(), windows[:, 1:].copy()


def founding_texts() -> str:
    """A small public-domain text that ships with ``dlguide``, for character-level models.

    The Preamble of the US Constitution (1787), the opening of the second paragraph of
    the Declaration of Independence (1776) and the Gettysburg Address (1863, Bliss copy),
    about 2,100 characters; official US texts, in the public domain.

    Examples
    --------
    >>> founding_texts()[:22]
    'We the People of the U'
    """
    return (files("dlguide") / "texts" / "us-founding-texts.txt").read_text(encoding="utf-8")
