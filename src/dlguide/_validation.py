"""Checks of a reader's arguments, made once where the reader calls into :mod:`dlguide`.

Each helper raises a :class:`TypeError` or :class:`ValueError` that names the argument,
so a likely mistake (a string where an array belongs, a missing batch axis, a label
out of range) is reported where it was made, not deep inside NumPy or TensorFlow.
Internal calls trust their callers and do not check again.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def check_array(value: ArrayLike, name: str, ndim: int | None = None) -> None:
    """Raise unless ``value`` is an array of real numbers (with ``ndim`` axes, if given).

    Examples
    --------
    >>> check_array([[1.0, 2.0]], "x", ndim=2)
    >>> check_array("abc", "x")
    Traceback (most recent call last):
    ...
    TypeError: x must be an array of real numbers, got dtype <U3
    >>> check_array([1.0, 2.0], "x", ndim=2)
    Traceback (most recent call last):
    ...
    ValueError: x must have 2 dimensions, got shape (2,)
    """
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {array.dtype}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {array.shape}")


def check_same_shape(a: ArrayLike, b: ArrayLike, names: str) -> None:
    """Raise unless ``a`` and ``b`` have the same shape; ``names`` names both, e.g. ``"a and b"``.

    Examples
    --------
    >>> check_same_shape([1.0, 2.0], [[1.0], [2.0]], "y_true and y_pred")
    Traceback (most recent call last):
    ...
    ValueError: y_true and y_pred must have the same shape, got (2,) and (2, 1)
    """
    if np.shape(a) != np.shape(b):
        raise ValueError(f"{names} must have the same shape, got {np.shape(a)} and {np.shape(b)}")


def check_labels(labels: ArrayLike, name: str, *, n_examples: int, n_classes: int) -> None:
    """Raise unless ``labels`` holds ``n_examples`` integer class indices in ``[0, n_classes)``.

    Examples
    --------
    >>> check_labels([0, 2], "labels", n_examples=2, n_classes=3)
    >>> check_labels([0, 3], "labels", n_examples=2, n_classes=3)
    Traceback (most recent call last):
    ...
    ValueError: labels must lie in [0, 2] for 3 classes, got values from 0 to 3
    """
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer class indices, got dtype {labels.dtype}")
    if labels.shape != (n_examples,):
        raise ValueError(f"{name} must have shape [{n_examples}], got {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{name} must lie in [0, {n_classes - 1}] for {n_classes} classes, "
            f"got values from {labels.min()} to {labels.max()}"
        )


def check_attention_inputs(query, key, value, mask=None) -> None:
    """Raise unless query, key, value (and mask) fit scaled dot-product attention.

    Query and key need the same depth, key and value the same length, and the mask
    must broadcast to the attention weights ``[batch, ..., seq_q, seq_k]``.

    Examples
    --------
    >>> import tensorflow as tf
    >>> check_attention_inputs(tf.ones([1, 2, 4]), tf.ones([1, 3, 4]), tf.ones([1, 3, 5]))
    >>> check_attention_inputs(tf.ones([1, 2, 4]), tf.ones([1, 3, 8]), tf.ones([1, 3, 5]))
    Traceback (most recent call last):
    ...
    ValueError: query and key must have the same depth, got 4 and 8
    """
    import tensorflow as tf  # here, so NumPy-only modules do not pay TensorFlow's import time

    tensors = {"query": query, "key": key, "value": value}
    for name, tensor in tensors.items():
        if not tf.is_tensor(tensor) and np.asarray(tensor).dtype.kind != "f":
            raise TypeError(f"{name} must be a tensor of floats, got {type(tensor).__name__}")
    q, k, v = (tf.convert_to_tensor(t).shape for t in tensors.values())
    if not _same(q[-1], k[-1]):
        raise ValueError(f"query and key must have the same depth, got {q[-1]} and {k[-1]}")
    if not _same(k[-2], v[-2]):
        raise ValueError(f"key and value must have the same length, got {k[-2]} and {v[-2]}")
    scores = tf.TensorShape([*q[:-1], k[-2]])
    if mask is not None and not _broadcasts(tf.convert_to_tensor(mask).shape, scores):
        raise ValueError(
            f"mask of shape {tf.convert_to_tensor(mask).shape} does not broadcast to the "
            f"attention weights [batch, ..., seq_q, seq_k] = {scores}"
        )


def _same(a: int | None, b: int | None) -> bool:
    """Whether two sizes can be equal (an unknown size, None, fits any)."""
    return a is None or b is None or a == b


def _broadcasts(shape, target) -> bool:
    """Whether ``shape`` broadcasts to ``target`` (unknown sizes count as fitting)."""
    if shape.rank > target.rank:
        return False
    pairs = zip(reversed(list(shape)), reversed(list(target)), strict=False)
    return all(a == 1 or _same(a, b) for a, b in pairs)
