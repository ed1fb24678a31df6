"""dlguide.losses: values equal Keras's losses, gradients equal finite differences."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide import losses
from dlguide.gradcheck import numerical_gradient


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


def test_mean_squared_error_equals_keras(rng):
    y_true, y_pred = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    expected = float(keras.losses.MeanSquaredError()(y_true, y_pred))
    assert losses.mean_squared_error(y_true, y_pred) == pytest.approx(expected, rel=1e-6)


def test_binary_cross_entropy_equals_keras_from_logits(rng):
    y_true = rng.integers(0, 2, size=(8, 1)).astype(float)
    logits = rng.normal(scale=3.0, size=(8, 1))
    expected = float(keras.losses.BinaryCrossentropy(from_logits=True)(y_true, logits))
    assert losses.binary_cross_entropy(y_true, logits) == pytest.approx(expected, rel=1e-6)


def test_softmax_cross_entropy_equals_keras_sparse_from_logits(rng):
    labels = rng.integers(0, 4, size=9)
    logits = rng.normal(scale=3.0, size=(9, 4))
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    expected = float(keras_loss(labels, logits))
    assert losses.softmax_cross_entropy(labels, logits) == pytest.approx(expected, rel=1e-6)


def test_softmax_rows_are_probabilities_and_shift_invariant(rng):
    logits = rng.normal(size=(5, 3))
    probabilities = losses.softmax(logits)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(losses.softmax(logits + 100.0), probabilities, rtol=1e-12)


def test_losses_from_huge_logits_stay_finite_and_exact():
    logits = np.array([[1000.0, 0.0], [0.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert losses.softmax_cross_entropy(np.array([1, 1]), logits) == pytest.approx(500.0)
        assert losses.binary_cross_entropy([0.0, 1.0], [800.0, -800.0]) == pytest.approx(800.0)
        assert losses.logsumexp(logits) == pytest.approx([1000.0, 1000.0])


@pytest.mark.parametrize("seed", range(4))
def test_gradients_equal_central_differences_for_random_shapes(seed):
    rng = np.random.default_rng(seed)
    batch, n_classes = rng.integers(1, 6), rng.integers(2, 6)
    labels = rng.integers(0, n_classes, size=batch)
    logits = rng.normal(scale=2.0, size=(batch, n_classes))
    targets = rng.normal(size=(batch, n_classes))
    bits = rng.integers(0, 2, size=(batch, n_classes)).astype(float)
    cases = [
        (
            lambda z: losses.softmax_cross_entropy(labels, z),
            losses.softmax_cross_entropy_grad,
            labels,
        ),
        (lambda z: losses.mean_squared_error(targets, z), losses.mean_squared_error_grad, targets),
        (lambda z: losses.binary_cross_entropy(bits, z), losses.binary_cross_entropy_grad, bits),
    ]
    for loss, grad, target in cases:
        numeric = numerical_gradient(loss, logits)
        np.testing.assert_allclose(grad(target, logits), numeric, rtol=1e-6, atol=1e-9)


def test_batch_of_one_gives_per_example_values():
    assert losses.softmax_cross_entropy([0], [[np.log(3.0), 0.0]]) == pytest.approx(np.log(4 / 3))
    np.testing.assert_allclose(
        losses.softmax_cross_entropy_grad([0], [[np.log(3.0), 0.0]]), [[-0.25, 0.25]]
    )


def test_out_of_range_labels_are_rejected():
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\]"):
        losses.softmax_cross_entropy([0, 3], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="labels must lie"):
        losses.softmax_cross_entropy_grad([-1], np.zeros((1, 3)))


def test_float_labels_are_rejected():
    with pytest.raises(TypeError, match="labels must be integer class indices"):
        losses.softmax_cross_entropy([0.0, 1.0], np.zeros((2, 2)))


def test_label_count_must_match_logits():
    with pytest.raises(ValueError, match=r"labels must have shape \[2\]"):
        losses.softmax_cross_entropy([0, 1, 1], np.zeros((2, 2)))


def test_mismatched_shapes_name_both_arguments():
    with pytest.raises(ValueError, match="y_true and y_pred must have the same shape"):
        losses.mean_squared_error([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(2, 1\)"):
        losses.mean_squared_error_grad([1.0, 2.0], [[1.0], [2.0]])  # would broadcast to [2, 2]
    with pytest.raises(ValueError, match="y_true and logits must have the same shape"):
        losses.binary_cross_entropy([1.0, 0.0], [[1.0, 0.0]])


def test_logits_without_a_batch_axis_are_rejected():
    with pytest.raises(ValueError, match=r"logits must have 2 dimensions, got shape \(3,\)"):
        losses.softmax_cross_entropy([1], [0.0, 1.0, 2.0])
