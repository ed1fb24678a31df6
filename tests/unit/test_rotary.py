"""dlguide.rotary: rotary embeddings rotate pairs, keep lengths and make scores relative."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from dlguide.rotary import rotary_embedding
from dlguide.transformer import positional_encoding


def test_each_pair_is_rotated_by_position_times_frequency():
    x = tf.random.stateless_normal([5, 6], seed=[0, 1], dtype=tf.float64)
    positions = np.array([0, 3, 7, 20, 100])
    rotated = rotary_embedding(x, positions).numpy()
    for p, position in enumerate(positions):
        for i in range(3):
            angle = position / 10000 ** (2 * i / 6)
            c, s = np.cos(angle), np.sin(angle)
            a, b = x.numpy()[p, 2 * i : 2 * i + 2]
            np.testing.assert_allclose(
                rotated[p, 2 * i : 2 * i + 2], [c * a - s * b, s * a + c * b]
            )


def test_scores_depend_only_on_the_difference_of_positions():
    q = tf.random.stateless_normal([2, 3, 12, 16], seed=[1, 2], dtype=tf.float64)
    k = tf.random.stateless_normal([2, 3, 12, 16], seed=[3, 4], dtype=tf.float64)
    positions = np.arange(12)

    def scores(offset):
        return tf.matmul(
            rotary_embedding(q, positions + offset),
            rotary_embedding(k, positions + offset),
            transpose_b=True,
        ).numpy()

    np.testing.assert_allclose(scores(0), scores(57), atol=1e-10)
    assert np.max(np.abs(scores(0) - tf.matmul(q, k, transpose_b=True).numpy())) > 0.1


def test_rotation_keeps_lengths_and_dtype():
    x = tf.random.stateless_normal([4, 10, 8], seed=[5, 6])
    rotated = rotary_embedding(x, np.arange(10) * 3)
    assert rotated.dtype == tf.float32 and rotated.shape == x.shape
    np.testing.assert_allclose(tf.norm(rotated, axis=-1), tf.norm(x, axis=-1), rtol=1e-5)


def test_rotating_a_unit_pair_gives_the_sinusoidal_encoding():
    # (0, 1) rotated by p * omega is (-sin, cos); the encoding stores (sin, cos)
    ones = tf.constant([[0.0, 1.0] * 4] * 6, tf.float64)
    rotated = rotary_embedding(ones, np.arange(6)).numpy()
    encoding = positional_encoding(6, 8).numpy()
    np.testing.assert_allclose(-rotated[:, 0::2], encoding[:, 0::2], atol=1e-6)
    np.testing.assert_allclose(rotated[:, 1::2], encoding[:, 1::2], atol=1e-6)


def test_odd_depth_is_rejected_naming_x():
    with pytest.raises(ValueError, match="depth of x"):
        rotary_embedding(tf.zeros([4, 5]), np.arange(4))
