"""Toy sequence tasks generated on the fly, small enough to train a Transformer on a CPU."""

from __future__ import annotations

import numpy as np

from dlguide._validation import check_positive_int

__all__ = ["START", "VOCAB_SIZE", "reversal_task"]

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

    Raises
    ------
    TypeError, ValueError
        If ``n_samples`` or ``length`` is not a positive integer.

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
    n_samples = check_positive_int(n_samples, "n_samples")
    length = check_positive_int(length, "length")
    source = np.random.default_rng(seed).integers(0, 10, size=(n_samples, length))
    target = source[:, ::-1].copy()
    decoder_input = np.concatenate([np.full((n_samples, 1), START), target[:, :-1]], axis=1)
    return source, decoder_input, target
