"""Training a Keras model with our own loop: ``tf.GradientTape`` inside a ``tf.function``.

``model.fit`` does the same work behind one call; writing the loop out shows each
step: forward pass, loss, gradients, optimizer update, metrics.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from dlguide.pipeline import batches

__all__ = ["fit_custom", "make_train_step"]


def make_train_step(
    model: keras.Model,
    loss_fn: keras.losses.Loss,
    optimizer: keras.optimizers.Optimizer,
    metrics: list[keras.metrics.Metric] = (),
) -> Callable[[tf.Tensor, tf.Tensor], tf.Tensor]:
    """Return a compiled training step ``step(x, y) -> loss`` for ``model``.

    One call runs the model on the batch under a ``tf.GradientTape``,
    takes the gradient of the batch-mean loss with respect to every trainable
    weight, lets ``optimizer`` apply it, and updates each metric with
    ``metric.update_state(y, predictions)``.

    Examples
    --------
    >>> keras.utils.set_random_seed(0)
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    >>> step = make_train_step(model, keras.losses.MeanSquaredError(), keras.optimizers.SGD(0.1))
    >>> x, y = tf.constant([[1.0], [2.0]]), tf.constant([[2.0], [4.0]])
    >>> losses = [float(step(x, y)) for _ in range(300)]
    >>> losses[0] > 1.0, losses[-1] < 1e-4  # it learns y = 2x
    (True, True)
    """

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            predictions = model(x, training=True)
            loss = loss_fn(y, predictions)
        gradients = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(gradients, model.trainable_weights, strict=True))
        for metric in metrics:
            metric.update_state(y, predictions)
        return loss

    return train_step


def fit_custom(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int = 10,
    batch_size: int = 32,
    learning_rate: float = 1e-3,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Train a logits classifier with Adam and our own loop; return the history.

    Each epoch takes batches of ``batch_size`` from
    :func:`dlguide.pipeline.batches`, shuffled with ``seed`` in a new order every
    epoch, and runs one :func:`make_train_step` step per batch. The history holds the mean training
    loss and the training accuracy of every epoch, like ``model.fit``'s.

    Raises
    ------
    ValueError
        If ``x`` and ``y`` differ in length.

    Examples
    --------
    >>> from dlguide.data import digits
    >>> from dlguide.models import sequential_classifier
    >>> keras.utils.set_random_seed(0)
    >>> (x, y) = digits()["train"]
    >>> history = fit_custom(sequential_classifier(64, 10), x, y, epochs=3)
    >>> sorted(history), len(history["loss"])
    (['accuracy', 'loss'], 3)
    >>> history["loss"][2] < history["loss"][0]
    True
    """
    mean_loss = keras.metrics.Mean()
    accuracy = keras.metrics.SparseCategoricalAccuracy()
    step = make_train_step(
        model,
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        keras.optimizers.Adam(learning_rate),
        [accuracy],
    )
    dataset = batches(x, y, batch_size=batch_size, shuffle_seed=seed)

    @tf.function  # the loss bookkeeping runs in the graph too, not op by op in Python
    def step_and_track(x_batch, y_batch):
        mean_loss.update_state(step(x_batch, y_batch), sample_weight=tf.shape(x_batch)[0])

    history = {"loss": [], "accuracy": []}
    for _ in range(epochs):
        for metric in (mean_loss, accuracy):
            metric.reset_state()
        for x_batch, y_batch in dataset:
            step_and_track(x_batch, y_batch)
        history["loss"].append(float(mean_loss.result()))
        history["accuracy"].append(float(accuracy.result()))
    return history
