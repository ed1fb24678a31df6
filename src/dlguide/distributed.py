"""Data-parallel training with ``tf.distribute``: one model, copies on several devices.

Each replica computes the loss on its share of the global batch; the gradients
are summed across replicas (an all-reduce) before every replica applies the
same update, so all copies stay equal and the step equals one step on the whole
batch on a single device.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import tensorflow as tf

__all__ = ["make_distributed_train_step", "split_cpu"]


def split_cpu(n_devices: int) -> list[str]:
    """Split the first physical CPU into ``n_devices`` logical CPUs; return their names.

    Logical devices let one machine pretend to have several devices, enough to
    run a ``tf.distribute`` strategy for real. TensorFlow fixes its devices when
    it first runs an operation, so call this before anything else touches
    TensorFlow; afterwards it raises :class:`RuntimeError` unless the CPU is
    already split the same way.
    """
    (cpu, *_) = tf.config.list_physical_devices("CPU")
    configuration = [tf.config.LogicalDeviceConfiguration() for _ in range(n_devices)]
    try:
        tf.config.set_logical_device_configuration(cpu, configuration)
    except RuntimeError:
        current = tf.config.get_logical_device_configuration(cpu) or [None]
        if len(current) != n_devices:
            raise RuntimeError(
                "split_cpu must run before TensorFlow initialises its devices "
                f"(the CPU is already split into {len(current)})"
            ) from None
    return [device.name for device in tf.config.list_logical_devices("CPU")]


def make_distributed_train_step(
    strategy: tf.distribute.Strategy,
    model: keras.Model,
    optimizer: keras.optimizers.Optimizer,
    global_batch_size: int,
) -> Callable[[object], tf.Tensor]:
    """Return ``step(distributed_batch) -> loss``: one data-parallel step of a logits classifier.

    ``model`` and ``optimizer`` must be created inside ``strategy.scope()``.
    The argument is one element of
    ``strategy.experimental_distribute_dataset(dataset)``, a batch of
    ``(x, y)`` already split across the replicas. Each replica sums its
    per-example cross-entropy and divides by ``global_batch_size`` (not by its
    own share), so the gradients summed across replicas are the gradient of the
    mean loss over the whole global batch.

    Examples
    --------
    >>> strategy = tf.distribute.get_strategy()  # the default: one device
    >>> with strategy.scope():
    ...     model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    ...     optimizer = keras.optimizers.SGD(0.1)
    >>> step = make_distributed_train_step(strategy, model, optimizer, global_batch_size=4)
    >>> data = tf.data.Dataset.from_tensor_slices(([[1.0, 0.0]] * 4, [0, 1, 0, 1])).batch(4)
    >>> loss = step(next(iter(strategy.experimental_distribute_dataset(data))))
    >>> loss.shape
    TensorShape([])
    """
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")

    def replica_step(x, y):
        with tf.GradientTape() as tape:
            per_example = loss_fn(y, model(x, training=True))
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=global_batch_size)
        gradients = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(gradients, model.trainable_weights, strict=True))
        return loss

    @tf.function
    def step(batch):
        per_replica = strategy.run(replica_step, args=batch)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    return step
