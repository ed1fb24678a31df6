"""dlguide._validation: the few checks made where a reader calls in, naming the argument."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from dlguide._validation import check_array, check_attention_inputs, check_labels


@pytest.mark.parametrize("value", [[1, 2], np.ones((2, 2), np.float32), np.uint8(3), 2.5])
def test_check_array_accepts_real_numbers(value):
    check_array(value, "x")


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("abc", TypeError, "points must be an array of real numbers, got dtype <U3"),
        ([True], TypeError, "points must be an array of real numbers, got dtype bool"),
        ([1j], TypeError, "got dtype complex128"),
        ([None], TypeError, "got dtype object"),
        ([1.0, 2.0], ValueError, r"points must have 2 dimensions, got shape \(2,\)"),
    ],
)
def test_check_array_names_the_argument(value, error, message):
    with pytest.raises(error, match=message):
        check_array(value, "points", ndim=2)


@pytest.mark.parametrize(
    ("labels", "error", "message"),
    [
        ([0.0, 1.0], TypeError, "y must be integer class indices, got dtype float64"),
        ([[0], [1]], ValueError, r"y must have shape \[2\], got \(2, 1\)"),
        ([0, 3], ValueError, r"y must lie in \[0, 2\] for 3 classes, got values from 0 to 3"),
        ([-1, 0], ValueError, r"y must lie in \[0, 2\] for 3 classes, got values from -1 to 0"),
    ],
)
def test_check_labels_names_the_argument(labels, error, message):
    check_labels([0, 2], "y", n_examples=2, n_classes=3)
    with pytest.raises(error, match=message):
        check_labels(labels, "y", n_examples=2, n_classes=3)


@pytest.mark.parametrize(
    ("shapes", "mask", "message"),
    [
        (([1, 2, 4], [1, 3, 8], [1, 3, 5]), None, "query and key must have the same depth"),
        (([1, 2, 4], [1, 3, 4], [1, 6, 5]), None, "key and value must have the same length, got 3"),
        (([1, 2, 4], [1, 3, 4], [1, 3, 5]), [3, 2], r"mask of shape \(3, 2\) does not broadcast"),
        (([1, 2, 4], [1, 3, 4], [1, 3, 5]), [2, 1, 2, 3], "does not broadcast"),
    ],
)
def test_check_attention_inputs_names_what_does_not_fit(shapes, mask, message):
    query, key, value = (tf.zeros(shape) for shape in shapes)
    mask = None if mask is None else tf.ones(mask, tf.bool)
    with pytest.raises(ValueError, match=message):
        check_attention_inputs(query, key, value, mask)


@pytest.mark.parametrize("mask", [None, [3], [2, 3], [1, 1, 3], [4, 2, 3]])
def test_check_attention_inputs_accepts_masks_that_broadcast(mask):
    q, k, v = tf.zeros([4, 2, 8]), tf.zeros([4, 3, 8]), tf.zeros([4, 3, 5])
    check_attention_inputs(q, k, v, None if mask is None else tf.ones(mask, tf.bool))


def test_check_attention_inputs_rejects_a_string_where_a_tensor_belongs():
    with pytest.raises(TypeError, match="key must be a tensor of floats, got str"):
        check_attention_inputs(tf.zeros([1, 2, 4]), "keys", tf.zeros([1, 3, 5]))
