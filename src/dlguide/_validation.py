"""Argument checks shared by the public functions of :mod:`dlguide`.

Every public function validates its inputs with these helpers, so a reader who
passes the wrong thing gets an error that names the argument and says what was
expected, instead of a traceback from deep inside NumPy or TensorFlow.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    import tensorflow as tf


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


def check_int(value: object, name: str) -> int:
    """Return ``value`` as an ``int`` if it is an integer (not a bool), or raise naming ``name``.

    Examples
    --------
    >>> check_int(-1, "pad_id")
    -1
    >>> check_int(1.5, "pad_id")
    Traceback (most recent call last):
    ...
    TypeError: pad_id must be an integer, got float
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    return int(value)


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
    value = check_int(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value}")
    return value


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
    value = check_int(value, name)
    if not 0 <= value < 2**32:
        raise ValueError(f"{name} must be an integer in [0, 2**32), got {value}")
    return value


def check_finite_float(value: object, name: str) -> float:
    """Return ``value`` as a float if it is a finite number, or raise naming ``name``.

    Examples
    --------
    >>> check_finite_float(-5, "x_min")
    -5.0
    >>> check_finite_float(float("inf"), "x_min")
    Traceback (most recent call last):
    ...
    ValueError: x_min must be a finite number, got inf
    """
    number = _as_real(value, name)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return number


def as_class_labels(
    value: ArrayLike, name: str, *, n_examples: int, n_classes: int, against: str
) -> np.ndarray:
    """Return ``value`` as ``n_examples`` integer class labels in [0, n_classes), or raise.

    ``against`` names what the labels must match in length, for the message.

    Examples
    --------
    >>> as_class_labels([0, 2], "labels", n_examples=2, n_classes=3, against="logits")
    array([0, 2])
    >>> as_class_labels([0, 3], "labels", n_examples=2, n_classes=3, against="logits")
    Traceback (most recent call last):
    ...
    ValueError: labels must lie in [0, 2] for 3 classes, got values from 0 to 3
    """
    labels = np.asarray(value)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer class indices, got dtype {labels.dtype}")
    if labels.shape != (n_examples,):
        raise ValueError(
            f"{name} must have shape [{n_examples}] to match {against}, got {labels.shape}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{name} must lie in [0, {n_classes - 1}] for {n_classes} classes, "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return labels


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
    return number + 0.0  # -0.0 becomes 0.0, which NumPy accepts as a scale


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


def check_sequence(value: object, name: str) -> list:
    """Return the items of a list, tuple or 1-D array as a list, or raise naming ``name``.

    Strings and mappings are rejected although Python can iterate over them: a
    string where a list of names was expected is almost always a mistake.

    Examples
    --------
    >>> check_sequence(("loss", "accuracy"), "metrics")
    ['loss', 'accuracy']
    >>> check_sequence("loss", "metrics")
    Traceback (most recent call last):
    ...
    TypeError: metrics must be a sequence (a list, tuple or 1-D array), got str
    """
    is_sequence = isinstance(value, Sequence) and not isinstance(value, str | bytes)
    if not (is_sequence or (isinstance(value, np.ndarray) and value.ndim == 1)):
        raise TypeError(
            f"{name} must be a sequence (a list, tuple or 1-D array), got {type(value).__name__}"
        )
    return list(value)


def check_int_sequence(value: object, name: str, *, maximum: int | None = None) -> list[int]:
    """Return ``value`` as a list of positive integers, or raise naming ``name`` (or an item).

    ``maximum``, if given, is the largest value accepted for each item, as in
    :func:`check_positive_int`.

    Examples
    --------
    >>> check_int_sequence((2, 16, 2), "layer_sizes")
    [2, 16, 2]
    >>> check_int_sequence(16, "layer_sizes")
    Traceback (most recent call last):
    ...
    TypeError: layer_sizes must be a sequence of positive integers, got int
    >>> check_int_sequence([2, 0], "layer_sizes")
    Traceback (most recent call last):
    ...
    ValueError: layer_sizes[1] must be a positive integer, got 0
    """
    try:
        items = check_sequence(value, name)
    except TypeError:
        raise TypeError(
            f"{name} must be a sequence of positive integers, got {type(value).__name__}"
        ) from None
    return [check_positive_int(v, f"{name}[{i}]", maximum=maximum) for i, v in enumerate(items)]


def check_mapping(value: object, name: str) -> Mapping:
    """Return ``value`` if it is a mapping such as a ``dict``, or raise naming ``name``.

    Examples
    --------
    >>> check_mapping({"w1": 1.0}, "params")
    {'w1': 1.0}
    >>> check_mapping([1.0], "params")
    Traceback (most recent call last):
    ...
    TypeError: params must be a mapping (such as a dict), got list
    """
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping (such as a dict), got {type(value).__name__}")
    return value


def check_callable(value: object, name: str) -> Callable:
    """Return ``value`` if it can be called like a function, or raise naming ``name``.

    Examples
    --------
    >>> check_callable(abs, "f")(-2)
    2
    >>> check_callable(None, "f")
    Traceback (most recent call last):
    ...
    TypeError: f must be callable (a function), got NoneType
    """
    if not callable(value):
        raise TypeError(f"{name} must be callable (a function), got {type(value).__name__}")
    return value


def check_instance(value: object, cls: type, name: str) -> object:
    """Return ``value`` if it is an instance of ``cls``, or raise naming ``name``.

    Both classes are named with their module, since libraries reuse class names
    (``keras.layers.MultiHeadAttention`` and ``dlguide.attention.MultiHeadAttention``).

    Examples
    --------
    >>> check_instance(3, int, "n")
    3
    >>> check_instance("3", int, "n")
    Traceback (most recent call last):
    ...
    TypeError: n must be an instance of int, got str
    """
    if not isinstance(value, cls):
        raise TypeError(
            f"{name} must be an instance of {_qualified_name(cls)}, "
            f"got {_qualified_name(type(value))}"
        )
    return value


def as_tensor(value: object, name: str, *, kinds: str = "f") -> tf.Tensor:
    """Return ``value`` as a TensorFlow tensor of the given ``kinds``, or raise naming ``name``.

    ``kinds`` lists the accepted kinds of dtype, with NumPy's letters: ``"b"``
    booleans, ``"i"`` integers (signed or not), ``"f"`` floating point. Values
    that cannot become a tensor, such as ``None`` or ragged lists, raise
    :class:`TypeError`, as do tensors of another kind (strings, say).

    Examples
    --------
    >>> as_tensor([[1.0, 2.0]], "query").shape
    TensorShape([1, 2])
    >>> as_tensor(None, "query")
    Traceback (most recent call last):
    ...
    TypeError: query must be a tensor or an array of numbers, got NoneType
    >>> as_tensor([[1, 2]], "query")
    Traceback (most recent call last):
    ...
    TypeError: query must have a dtype of kind 'f' (b: bool, i: integer, f: float), got int32
    """
    import tensorflow as tf  # here, so NumPy-only modules do not pay TensorFlow's import time

    try:
        tensor = tf.convert_to_tensor(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a tensor or an array of numbers, got {type(value).__name__}"
        ) from None
    dtype = tensor.dtype
    kind = "b" if dtype.is_bool else "f" if dtype.is_floating else "i" if dtype.is_integer else "?"
    if kind not in kinds:
        raise TypeError(
            f"{name} must have a dtype of kind {kinds!r} (b: bool, i: integer, f: float), "
            f"got {dtype.name}"
        )
    return tensor


def _qualified_name(cls: type) -> str:
    """``module.Class``, or just ``Class`` for built-in types such as ``int``."""
    return (
        cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    )


def _as_real(value: object, name: str) -> float:
    """``value`` as a float (integers too large for one become infinity), or a TypeError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
