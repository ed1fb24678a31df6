"""Rotary position embeddings (RoPE) of Su et al. (2021): positions as rotations of q and k."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

__all__ = ["rotary_embedding"]


def rotary_embedding(x: tf.Tensor, positions: np.ndarray) -> tf.Tensor:
    r"""Rotate feature pair :math:`i` of the vector at position :math:`p` by :math:`p\,\omega_i`.

    ``x`` has shape ``[..., seq, depth]`` (queries or keys) and ``positions``
    holds one position per row, shape ``[seq]``. The frequencies are those of
    the sinusoidal encoding, :math:`\omega_i = 10000^{-2i/d}`. The result has
    the shape and dtype of ``x``; the dot product of a query rotated at
    position :math:`m` and a key rotated at position :math:`n` depends on the
    positions only through :math:`n - m`.

    Raises
    ------
    ValueError
        If the depth (last axis of ``x``) is odd: features are rotated in pairs.

    Examples
    --------
    >>> x = tf.constant([[1.0, 0.0], [1.0, 0.0]])
    >>> np.round(rotary_embedding(x, np.array([0, 1])).numpy(), 4)  # (cos 1, sin 1)
    array([[1.    , 0.    ],
           [0.5403, 0.8415]], dtype=float32)
    >>> rotary_embedding(tf.zeros([2, 3]), np.arange(2))
    Traceback (most recent call last):
    ...
    ValueError: the depth of x (its last axis) must be even (features rotate in pairs), got 3
    """
    if x.shape[-1] % 2:
        raise ValueError(
            "the depth of x (its last axis) must be even (features rotate in pairs), "
            f"got {x.shape[-1]}"
        )
    depth = x.shape[-1]
    omegas = 1.0 / 10000.0 ** (np.arange(0, depth, 2) / depth)
    angles = tf.cast(np.asarray(positions)[:, np.newaxis] * omegas, x.dtype)  # [seq, depth / 2]
    cos, sin = tf.cos(angles), tf.sin(angles)
    even, odd = x[..., 0::2], x[..., 1::2]
    rotated = tf.stack([even * cos - odd * sin, even * sin + odd * cos], axis=-1)
    return tf.reshape(rotated, tf.shape(x))  # interleave the pairs again
