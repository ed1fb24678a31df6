"""Checking analytic gradients against central finite differences.

A hand-written backward pass is easy to get subtly wrong. Nudging each
parameter by ``±h`` and watching the loss change gives an independent estimate
of every partial derivative; if the two agree to many digits, the backward pass
is right.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import ArrayLike

from dlguide._validation import check_same_shape

__all__ = ["gradient_check", "numerical_gradient", "relative_error"]


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-6
) -> np.ndarray:
    """Estimate the gradient of a scalar function ``f`` at ``x`` by central differences.

    Each entry is ``(f(x + h e_i) - f(x - h e_i)) / (2 h)``, whose error shrinks
    like ``h**2``. ``x`` is not modified; it should be ``float64``, since in
    ``float32`` the rounding error of ``f`` swamps the estimate.

    Examples
    --------
    >>> numerical_gradient(lambda v: float(np.sum(v**2)), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    x = np.asarray(x)
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        shifted = x.copy()
        shifted[index] = x[index] + h
        f_plus = f(shifted)
        shifted[index] = x[index] - h
        grad[index] = (f_plus - f(shifted)) / (2 * h)
    return grad


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    """``‖a - b‖ / (‖a‖ + ‖b‖)``: 0 for equal arrays, 1 for opposite ones.

    Unlike the absolute difference it does not depend on the scale of the
    gradients. Two zero arrays have relative error 0.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> relative_error([1.0], [-1.0])
    1.0
    """
    check_same_shape(a, b, "a and b")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(np.subtract(a, b)) / scale)


def gradient_check(
    loss: Callable[[dict[str, np.ndarray]], float],
    params: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    h: float = 1e-6,
) -> float:
    """Relative error between analytic ``grads`` and finite differences of ``loss``.

    ``loss`` maps a dict of parameter arrays to a number; ``grads`` holds the
    claimed gradient for every key of ``params``. All gradients are compared
    together, as one long vector, with :func:`relative_error`. In ``float64``,
    a correct backward pass gives about 1e-8 or less; a wrong one, 1e-2 or more.

    Raises
    ------
    ValueError
        If ``grads`` does not have exactly the keys of ``params``.

    Examples
    --------
    >>> params = {"w": np.array([1.0, 2.0])}
    >>> loss = lambda p: float(np.sum(p["w"] ** 3))
    >>> gradient_check(loss, params, {"w": 3 * params["w"] ** 2}) < 1e-8
    True
    >>> gradient_check(loss, params, {"w": 2 * params["w"]}) > 0.1
    True
    """
    if set(grads) != set(params):
        raise ValueError(
            f"grads must have the keys of params {sorted(params)}, got {sorted(grads)}"
        )
    analytic, numeric = [], []
    for name, value in params.items():
        numeric.append(
            numerical_gradient(lambda v, name=name: loss({**params, name: v}), value, h).ravel()
        )
        analytic.append(np.ravel(grads[name]))
    return relative_error(np.concatenate(analytic), np.concatenate(numeric))
