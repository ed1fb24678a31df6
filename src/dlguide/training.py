"""Training a Keras model with our own loop: ``tf.GradientTape`` inside a ``tf.function``.

``model.fit`` does the same work behind one call; writing the loop out shows each
step: forward pass, loss, gradients, optimizer update, metrics.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from dlguide._validation import (
    as_float_array,
    check_positive_float,
    check_positive_int,
    check_seed,
)

__all__ = ["batches", "fit_custom", "make_train_step", "seconds_per_call"]


def batches(
    x: np.ndarray, y: np.ndarray, batch_size: int = 32, shuffle_seed: int | None = None
) -> tf.data.Dataset:
    """A ``tf.data`` pipeline over ``(x, y)``: cache, shuffle, batch, prefetch.

    The arrays are cut into examples along their first axis and cached in
    memory. With ``shuffle_seed`` set, the whole data set is shuffled (a buffer
    as large as the data) in a new, reproducible order each epoch; with
    ``None`` the order is kept, as for evaluation. Batches hold ``batch_size``
    examples, the last one possibly fewer, and the next batch is prepared while
    the current one is used (prefetch).

    Raises
    ------
    TypeError, ValueError
        If ``x`` or ``y`` is not a numeric array, ``y`` does not have one label
        per row of ``x``, ``batch_size`` is not a positive integer, or
        ``shuffle_seed`` is neither None nor an integer in [0, 2**32).

    Examples
    --------
    >>> x, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> [b.tolist() for _, b in batches(x, y, batch_size=2).as_numpy_iterator()]
    [[0, 1], [2, 3], [4]]
    >>> epochs = batches(x, y, batch_size=5, shuffle_seed=0).repeat(2)
    >>> first, second = (b.tolist() for _, b in epochs.as_numpy_iterator())
    >>> sorted(first) == sorted(second) == [0, 1, 2, 3, 4], first != second
    (True, True)
    """
    x = as_float_array(x, "x")
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise TypeError(f"y must hold numeric labels or targets, got dtype {y.dtype}")
    if x.ndim == 0 or y.shape[:1] != x.shape[:1]:
        raise ValueError(f"y must have one label per row of x, got shapes {x.shape} and {y.shape}")
    batch_size = check_positive_int(batch_size, "batch_size")
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    if shuffle_seed is not None:
        seed = check_seed(shuffle_seed, "shuffle_seed")
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


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
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")

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
    :func:`batches`, shuffled with ``seed`` in a new order every
    epoch, and runs one :func:`make_train_step` step per batch. The history holds the mean training
    loss and the training accuracy of every epoch, like ``model.fit``'s.

    Raises
    ------
    TypeError, ValueError
        If ``x`` is not a numeric ``[N, features]`` array, ``y`` is not ``N``
        integer labels, ``epochs`` or ``batch_size`` is not a positive integer,
        ``learning_rate`` is not a positive number, or ``seed`` is not an integer
        in [0, 2**32).

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
    x = as_float_array(x, "x", ndim=2)
    y = np.asarray(y)
    if y.shape != (x.shape[0],):
        raise ValueError(f"y must have shape [{x.shape[0]}] to match x, got {y.shape}")
    if y.dtype.kind not in "iu":
        raise TypeError(f"y must be integer class indices, got dtype {y.dtype}")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    seed = check_seed(seed)
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


def seconds_per_call(
    function: Callable[[], object], *, repeats: int = 5, number: int = 10
) -> float:
    """Time ``function()``: the best of ``repeats`` runs of ``number`` calls, per call.

    The first call is made before timing, so one-off costs (such as tracing a
    ``tf.function``) are not counted. Taking the best run filters out the noise
    of other programs sharing the machine.

    Examples
    --------
    >>> seconds_per_call(lambda: sum(range(100))) < 1.0
    True
    """
    if not callable(function):
        raise TypeError(f"function must be callable, got {type(function).__name__}")
    repeats = check_positive_int(repeats, "repeats")
    number = check_positive_int(number, "number")
    function()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            function()
        best = min(best, (time.perf_counter() - start) / number)
    return best
