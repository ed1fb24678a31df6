"""dlguide.activations: values and derivatives against TensorFlow and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from dlguide import activations

PAIRS = [
    (activations.relu, activations.relu_grad, tf.nn.relu),
    (activations.sigmoid, activations.sigmoid_grad, tf.sigmoid),
    (activations.tanh, activations.tanh_grad, tf.tanh),
]
IDS = ["relu", "sigmoid", "tanh"]


@pytest.fixture
def points() -> np.ndarray:
    """Float64 points over a wide range, avoiding ReLU's kink at 0."""
    x = np.random.default_rng(0).normal(scale=4.0, size=(7, 5))
    return np.where(np.abs(x) < 1e-3, 0.5, x)


@pytest.mark.parametrize(("function", "derivative", "tf_function"), PAIRS, ids=IDS)
def test_values_equal_tensorflow(function, derivative, tf_function, points):
    np.testing.assert_allclose(function(points), tf_function(points).numpy(), rtol=0, atol=1e-15)


@pytest.mark.parametrize(("function", "derivative", "tf_function"), PAIRS, ids=IDS)
def test_derivatives_equal_gradient_tape(function, derivative, tf_function, points):
    variable = tf.constant(points)
    with tf.GradientTape() as tape:
        tape.watch(variable)
        output = tf_function(variable)
    expected = tape.gradient(output, variable).numpy()
    np.testing.assert_allclose(derivative(points), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("function", "derivative", "tf_function"), PAIRS, ids=IDS)
def test_derivatives_equal_central_differences(function, derivative, tf_function, points):
    h = 1e-6
    numeric = (function(points + h) - function(points - h)) / (2 * h)
    np.testing.assert_allclose(derivative(points), numeric, rtol=1e-6, atol=1e-9)


def test_relu_gradient_at_zero_is_zero_like_tensorflow():
    x = tf.constant([0.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.relu(x)
    assert tape.gradient(y, x).numpy()[0] == activations.relu_grad([0.0])[0] == 0.0


def test_sigmoid_is_stable_for_large_inputs():
    x = np.array([-1000.0, -745.0, -40.0, 40.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        values = activations.sigmoid(x)
        grads = activations.sigmoid_grad(x)
    assert values[0] == 0.0 and values[-1] == 1.0
    # Far in the tails the value is exp(x); the naive 1 - s(x) would give 0 for x = 40.
    np.testing.assert_allclose(values[2], np.exp(-40.0), rtol=1e-12)
    np.testing.assert_allclose(grads[2:4], np.exp(-40.0), rtol=1e-12)


def test_maximum_derivatives():
    assert activations.sigmoid_grad(0.0) == 0.25
    assert activations.tanh_grad(0.0) == 1.0
    x = np.linspace(-10, 10, 2001)
    assert activations.sigmoid_grad(x).max() == 0.25
    assert activations.tanh_grad(x).max() == 1.0


@pytest.mark.parametrize("function", [f for pair in PAIRS for f in pair[:2]])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtype_and_shape_are_kept(function, dtype):
    x = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 2, 2)
    result = function(x)
    assert result.dtype == dtype
    assert result.shape == x.shape


@pytest.mark.parametrize("function", [f for pair in PAIRS for f in pair[:2]])
def test_integers_and_scalars_are_computed_in_float64(function):
    assert function([1, -2]).dtype == np.float64
    assert function(3).shape == ()


@pytest.mark.parametrize("function", [f for pair in PAIRS for f in pair[:2]])
@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ("3", TypeError, "x must be an array of real numbers, got dtype <U1"),
        ([1 + 2j], TypeError, "got dtype complex128"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_error(function, bad, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(")):
        function(bad)
