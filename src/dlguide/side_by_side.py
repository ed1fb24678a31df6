"""The Keras half of the page "TensorFlow and PyTorch side by side".

A two-layer perceptron and one step of gradient descent, written the way a Keras
user writes them. The page shows this code next to its PyTorch twin;
``tests/unit/test_side_by_side.py`` copies the weights across and checks that both
compute the same logits, loss, gradients and updated weights.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from numpy.typing import ArrayLike

from dlguide._validation import check_labels

__all__ = ["make_keras_mlp", "train_step"]


def make_keras_mlp(n_in: int, n_hidden: int, n_out: int) -> keras.Sequential:
    """Dense(n_hidden, relu) then Dense(n_out): maps ``[batch, n_in]`` to logits ``[batch, n_out]``.

    Examples
    --------
    >>> model = make_keras_mlp(n_in=4, n_hidden=8, n_out=3)
    >>> [tuple(w.shape) for w in model.trainable_weights]
    [(4, 8), (8,), (8, 3), (3,)]
    """
    return keras.Sequential(
        [
            keras.Input(shape=(n_in,)),
            keras.layers.Dense(n_hidden, activation="relu"),
            keras.layers.Dense(n_out),
        ]
    )


def train_step(
    model: keras.Model, optimizer: keras.optimizers.Optimizer, x: ArrayLike, y: ArrayLike
) -> tuple[tf.Tensor, tf.Tensor, list[tf.Tensor]]:
    """One step of gradient descent on the cross-entropy of ``model``'s logits.

    ``x`` is a batch ``[batch, n_in]``, ``y`` its integer class labels ``[batch]``.
    Returns the logits, the loss and the gradients the optimizer applied.

    Raises
    ------
    TypeError, ValueError
        If ``y`` does not hold one integer label in ``[0, n_out)`` per row of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> keras.utils.set_random_seed(0)
    >>> model = make_keras_mlp(n_in=2, n_hidden=4, n_out=3)
    >>> x, y = np.ones((5, 2), dtype="float32"), np.array([0, 1, 2, 1, 0])
    >>> logits, loss, gradients = train_step(model, keras.optimizers.SGD(0.1), x, y)
    >>> tuple(logits.shape), [tuple(g.shape) for g in gradients]
    ((5, 3), [(2, 4), (4,), (4, 3), (3,)])
    >>> train_step(model, keras.optimizers.SGD(0.1), x, [0, 1, 2, 1, 3])
    Traceback (most recent call last):
    ...
    ValueError: y must lie in [0, 2] for 3 classes, got values from 0 to 3
    """
    check_labels(y, "y", n_examples=len(x), n_classes=model.output_shape[-1])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    with tf.GradientTape() as tape:  # record the forward pass
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    gradients = tape.gradient(loss, model.trainable_weights)  # backward pass
    optimizer.apply_gradients(zip(gradients, model.trainable_weights, strict=True))
    return logits, loss, gradients
