"""Loss functions and their gradients, in NumPy.

Every loss is the mean over the examples of a batch, as in Keras. Each loss has
a ``*_grad`` partner that returns the gradient of that mean with respect to the
predictions (or logits), the starting point of backpropagation.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlguide._validation import check_array, check_labels, check_same_shape
from dlguide.activations import sigmoid

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "log_softmax",
    "logsumexp",
    "mean_squared_error",
    "mean_squared_error_grad",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
]


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean of ``(y_pred - y_true)**2`` over all entries (shapes must match).

    Examples
    --------
    >>> mean_squared_error([1.0, 2.0], [1.0, 4.0])
    2.0
    """
    check_same_shape(y_true, y_pred, "y_true and y_pred")
    return float(np.mean((np.asarray(y_pred) - y_true) ** 2))


def mean_squared_error_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """Gradient of :func:`mean_squared_error` with respect to ``y_pred``.

    It is ``2 (y_pred - y_true) / N`` with ``N`` the number of entries.

    Examples
    --------
    >>> mean_squared_error_grad([1.0, 2.0], [1.0, 4.0])
    array([0., 2.])
    """
    check_same_shape(y_true, y_pred, "y_true and y_pred")
    y_pred = np.asarray(y_pred)
    return 2 * (y_pred - y_true) / y_pred.size


def binary_cross_entropy(y_true: ArrayLike, logits: ArrayLike) -> float:
    """Mean binary cross-entropy of targets in [0, 1] and logits (pre-sigmoid scores).

    With ``p = sigmoid(logits)`` the loss per entry is
    ``-(y log p + (1 - y) log(1 - p))``. It is computed from the logits as
    ``max(z, 0) - z y + log(1 + exp(-|z|))``, the same value without ever
    forming ``p``, so it stays finite for any logit.

    Examples
    --------
    >>> round(binary_cross_entropy([1.0, 0.0], [0.0, 0.0]), 6)  # p = 0.5: log 2
    0.693147
    >>> binary_cross_entropy([1.0], [-1000.0])  # p would round to 0, the loss is still exact
    1000.0
    """
    check_same_shape(y_true, logits, "y_true and logits")
    logits = np.asarray(logits)
    per_entry = np.maximum(logits, 0) - logits * y_true + np.log1p(np.exp(-np.abs(logits)))
    return float(np.mean(per_entry))


def binary_cross_entropy_grad(y_true: ArrayLike, logits: ArrayLike) -> np.ndarray:
    """Gradient of :func:`binary_cross_entropy` with respect to ``logits``.

    It is ``(sigmoid(logits) - y_true) / N``: the prediction error, averaged.

    Examples
    --------
    >>> binary_cross_entropy_grad([1.0, 0.0], [0.0, 0.0])
    array([-0.25,  0.25])
    """
    check_same_shape(y_true, logits, "y_true and logits")
    logits = np.asarray(logits)
    return (sigmoid(logits) - y_true) / logits.size


def logsumexp(logits: ArrayLike) -> np.ndarray:
    """``log(sum(exp(logits)))`` over the last axis, without overflow.

    Subtracting the row maximum ``m`` first, ``m + log(sum(exp(logits - m)))``,
    only ever exponentiates numbers <= 0.

    Examples
    --------
    >>> logsumexp([[0.0, 0.0], [1000.0, 1000.0]]) - [0.0, 1000.0]  # log 2 both times
    array([0.69314718, 0.69314718])
    """
    top = np.max(logits, axis=-1, keepdims=True)
    return (top + np.log(np.sum(np.exp(logits - top), axis=-1, keepdims=True)))[..., 0]


def log_softmax(logits: ArrayLike) -> np.ndarray:
    """Logarithm of :func:`softmax`, computed stably as ``logits - logsumexp(logits)``.

    Examples
    --------
    >>> log_softmax([[0.0, 0.0]])
    array([[-0.69314718, -0.69314718]])
    """
    return logits - logsumexp(logits)[..., None]


def softmax(logits: ArrayLike) -> np.ndarray:
    """Turn scores into probabilities over the last axis: ``exp(z_k) / sum_j exp(z_j)``.

    Examples
    --------
    >>> softmax([[1.0, 1.0], [0.0, np.log(3.0)]])
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    >>> softmax([[1000.0, 0.0]])  # no overflow
    array([[1., 0.]])
    """
    return np.exp(log_softmax(logits))


def softmax_cross_entropy(labels: ArrayLike, logits: ArrayLike) -> float:
    """Mean cross-entropy of integer labels under ``softmax(logits)``.

    ``labels`` has shape ``[batch]`` with values in ``[0, n_classes)`` and
    ``logits`` has shape ``[batch, n_classes]``. The loss per example is
    ``-log softmax(logits)[label]``, computed with :func:`log_softmax` so that
    large logits neither overflow nor give ``log(0)``. This is Keras's
    ``SparseCategoricalCrossentropy(from_logits=True)``.

    Raises
    ------
    TypeError
        If ``labels`` are not integers.
    ValueError
        If shapes do not match or a label is out of range.

    Examples
    --------
    >>> round(softmax_cross_entropy([0, 1], [[0.0, 0.0], [0.0, 0.0]]), 6)  # log 2
    0.693147
    >>> softmax_cross_entropy([2], [[0.0, 0.0]])
    Traceback (most recent call last):
    ...
    ValueError: labels must lie in [0, 1] for 2 classes, got values from 2 to 2
    """
    check_array(logits, "logits", ndim=2)
    check_labels(labels, "labels", n_examples=len(logits), n_classes=np.shape(logits)[1])
    picked = log_softmax(logits)[np.arange(len(labels)), labels]
    return float(-np.mean(picked))


def softmax_cross_entropy_grad(labels: ArrayLike, logits: ArrayLike) -> np.ndarray:
    """Gradient of :func:`softmax_cross_entropy` with respect to ``logits``.

    It is ``(softmax(logits) - one_hot(labels)) / batch``, shape ``[batch, n_classes]``.

    Examples
    --------
    >>> softmax_cross_entropy_grad([1], [[0.0, 0.0]])
    array([[ 0.5, -0.5]])
    """
    check_array(logits, "logits", ndim=2)
    check_labels(labels, "labels", n_examples=len(logits), n_classes=np.shape(logits)[1])
    grad = softmax(logits)
    grad[np.arange(len(labels)), labels] -= 1
    return grad / len(labels)
