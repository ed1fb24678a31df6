"""dlguide.gradcheck: finite differences find right gradients right and wrong ones wrong."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.gradcheck import gradient_check, numerical_gradient, relative_error


def test_numerical_gradient_of_a_known_function():
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    numeric = numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    np.testing.assert_allclose(numeric, np.cos(x), rtol=1e-9)


def test_numerical_gradient_leaves_its_input_unchanged():
    x = np.array([1.0, 2.0])
    numerical_gradient(lambda v: float(v @ v), x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_relative_error_is_scale_free():
    a, b = np.array([1.0, 2.0]), np.array([1.0, 2.1])
    assert relative_error(a, b) == pytest.approx(relative_error(1e6 * a, 1e6 * b))
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_gradient_check_accepts_right_and_rejects_wrong_gradients():
    rng = np.random.default_rng(0)
    params = {"w": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}
    x = rng.normal(size=(4, 3))

    def loss(p):
        return float(np.sum(np.tanh(x @ p["w"] + p["b"])))

    slope = 1 - np.tanh(x @ params["w"] + params["b"]) ** 2
    right = {"w": x.T @ slope, "b": slope.sum(axis=0)}
    wrong = {"w": x.T @ slope, "b": slope.sum(axis=0) * 1.01}
    assert gradient_check(loss, params, right) < 1e-8
    assert gradient_check(loss, params, wrong) > 1e-3


def test_bad_arguments_are_named():
    params = {"w": np.ones(2)}
    with pytest.raises(ValueError, match="grads must have the keys of params"):
        gradient_check(lambda p: 0.0, params, {"v": np.ones(2)})
    with pytest.raises(ValueError, match="a and b must have the same shape"):
        relative_error(np.ones(2), np.ones(3))
