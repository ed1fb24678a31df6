"""Activation functions and their derivatives, in NumPy.

Each function takes an array (or anything :func:`numpy.asarray` accepts), applies
itself element-wise and returns an array of the same shape. Floating-point input
keeps its dtype; integer input is computed in ``float64``. :data:`ACTIVATIONS` pairs
each function with its derivative, by name.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from dlguide._validation import check_array

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
]


def relu(x: ArrayLike) -> np.ndarray:
    """Rectified linear unit, ``max(x, 0)``.

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    check_array(x, "x")
    return np.maximum(x, 0.0)


def relu_grad(x: ArrayLike) -> np.ndarray:
    """Derivative of :func:`relu`: 1 where ``x > 0``, else 0 (0 at ``x = 0``, as in TensorFlow).

    Examples
    --------
    >>> relu_grad([-2.0, 0.0, 3.0])
    array([0., 0., 1.])
    """
    check_array(x, "x")
    return np.heaviside(x, 0.0)  # the step function: 0 for x < 0, the given 0.0 at x = 0, 1 above


def sigmoid(x: ArrayLike) -> np.ndarray:
    """Logistic sigmoid, ``1 / (1 + exp(-x))``, without overflow for large ``|x|``.

    ``exp`` is only ever applied to ``-|x|``, which is at most 0, so it cannot
    overflow; the two algebraically equal forms ``1 / (1 + e^-x)`` (for x >= 0)
    and ``e^x / (1 + e^x)`` (for x < 0) are chosen by sign.

    Examples
    --------
    >>> sigmoid([0.0, 2.0])
    array([0.5       , 0.88079708])
    >>> sigmoid([-1000.0, 1000.0])
    array([0., 1.])
    """
    check_array(x, "x")
    x = np.asarray(x)
    decay = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + decay), decay / (1 + decay))


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    """Derivative of :func:`sigmoid`, ``s(x) * (1 - s(x))``; at most 0.25, at ``x = 0``.

    It is computed as ``s(x) * s(-x)`` (the same value, since ``1 - s(x) = s(-x)``),
    which keeps tiny gradients in the saturated tails instead of rounding
    ``1 - s(x)`` to 0.

    Examples
    --------
    >>> sigmoid_grad([0.0, 50.0])
    array([2.50000000e-01, 1.92874985e-22])
    """
    return sigmoid(x) * sigmoid(np.negative(x))


def tanh(x: ArrayLike) -> np.ndarray:
    """Hyperbolic tangent, ``(e^x - e^-x) / (e^x + e^-x)``, with values in (-1, 1).

    Examples
    --------
    >>> tanh([0.0, 1.0])
    array([0.        , 0.76159416])
    """
    check_array(x, "x")
    return np.tanh(x)


def tanh_grad(x: ArrayLike) -> np.ndarray:
    """Derivative of :func:`tanh`, ``1 - tanh(x)^2``; at most 1, at ``x = 0``.

    Examples
    --------
    >>> tanh_grad([0.0, 1.0])
    array([1.        , 0.41997434])
    """
    t = tanh(x)
    return 1 - t * t


class Activation(NamedTuple):
    """An activation function and its derivative, as a pair with named fields.

    Examples
    --------
    >>> ACTIVATIONS["relu"].derivative([-1.0, 2.0])
    array([0., 1.])
    """

    function: Callable[[ArrayLike], np.ndarray]
    derivative: Callable[[ArrayLike], np.ndarray]


#: Every activation of this module with its derivative, by the name Keras gives it.
ACTIVATIONS = {
    "relu": Activation(relu, relu_grad),
    "sigmoid": Activation(sigmoid, sigmoid_grad),
    "tanh": Activation(tanh, tanh_grad),
}
