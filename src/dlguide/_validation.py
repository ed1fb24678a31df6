"""Argument checks shared by the public functions of :mod:`dlguide`.

Every public function validates its inputs with these helpers, so a reader who
passes the wrong thing gets an error that names the argument and says what was
expected, instead of a traceback from deep inside NumPy or TensorFlow.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike


def as_float_array(value: ArrayLike, name: str, *, ndim: int | None = None) -> np.ndarray:
    """Return ``value`` as a floating-point array, or raise an error naming ``name``.

    Integer input becomes ``float64``; floating-point input keeps its dtype.
    Booleans, strings, complex numbers and objects are rejected with
    :class:`TypeError`; ragged nested lists, a wrong number of dimensions and
    NaN values (a sign of a bug upstream) with :class:`ValueError`. Infinities
    are allowed: functions such as the sigmoid have well-defined limits there.

    Examples
    --------
    >>> as_float_array([1, 2], "x")
    array([1., 2.])
    >>> as_float_array("abc", "x")
    Traceback (most recent call last):
    ...
    TypeError: x must be a real-valued numeric array, got dtype <U3
    >>> as_float_array([1.0, float("nan")], "x")
    Traceback (most recent call last):
    ...
    ValueError: x contains NaN at index (1,)
    """
    try:
        array = np.asarray(value)
    except ValueError as error:
        raise ValueError(f"{name} must be a rectangular array: {error}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real-valued numeric array, got dtype {array.dtype}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    array = array if array.dtype.kind == "f" else array.astype(np.float64)
    if np.isnan(array).any():
        index = tuple(int(i) for i in np.argwhere(np.isnan(array))[0])
        raise ValueError(f"{name} contains NaN at index {index}")
    return array


def check_positive_int(value: object, name: str, *, maximum: int | None = None) -> int:
    """Return ``value`` if it is a positive integer, or raise an error naming ``name``.

    ``maximum``, if given, is the largest value accepted: sizes beyond it would not fit
    in memory, so they are rejected with a clear error before anything is allocated.

    Examples
    --------
    >>> check_positive_int(3, "n_samples")
    3
    >>> check_positive_int(0, "n_samples")
    Traceback (most recent call last):
    ...
    ValueError: n_samples must be a positive integer, got 0
    >>> check_positive_int(10**12, "n_samples", maximum=10**7)
    Traceback (most recent call last):
    ...
    ValueError: n_samples must be at most 10000000, got 1000000000000
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value}")
    return int(value)


def check_seed(value: object, name: str = "seed") -> int:
    """Return ``value`` if it is an integer in [0, 2**32), which every random generator accepts.

    Examples
    --------
    >>> check_seed(0)
    0
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be an integer in [0, 2**32), got -1
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if not 0 <= value < 2**32:
        raise ValueError(f"{name} must be an integer in [0, 2**32), got {value}")
    return int(value)


def check_non_negative_float(value: object, name: str) -> float:
    """Return ``value`` as a float if it is a finite number >= 0, or raise naming ``name``.

    Examples
    --------
    >>> check_non_negative_float(0.1, "noise")
    0.1
    >>> check_non_negative_float(-1, "noise")
    Traceback (most recent call last):
    ...
    ValueError: noise must be a finite number >= 0, got -1
    """
    number = _as_real(value, name)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return number


def check_positive_float(value: object, name: str) -> float:
    """Return ``value`` as a float if it is a finite number > 0, or raise naming ``name``.

    Examples
    --------
    >>> check_positive_float(0.1, "learning_rate")
    0.1
    >>> check_positive_float(0, "learning_rate")
    Traceback (most recent call last):
    ...
    ValueError: learning_rate must be a finite number > 0, got 0
    """
    number = _as_real(value, name)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return number


def check_fraction(value: object, name: str) -> float:
    """Return ``value`` as a float if it lies in [0, 1), or raise naming ``name``.

    Examples
    --------
    >>> check_fraction(0.9, "momentum")
    0.9
    >>> check_fraction(1.0, "momentum")
    Traceback (most recent call last):
    ...
    ValueError: momentum must be a number in [0, 1), got 1.0
    """
    number = _as_real(value, name)
    if not 0 <= number < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value}")
    return number


def _as_real(value: object, name: str) -> float:
    """``value`` as a float (integers too large for one become infinity), or a TypeError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
