"""One worker of a two-machine ``MultiWorkerMirroredStrategy`` run.

Run one process per worker, each with its own ``TF_CONFIG`` (the cluster's
addresses and this worker's index), as a fresh Python process:
``TF_CONFIG=... python -m dlguide.multiworker OUTPUT.npz``. Every worker trains
the same small classifier for ``STEPS`` steps on its share of each global batch
and saves its final weights to ``OUTPUT.npz``. ``tests/unit/test_distributed.py``
starts two workers on one machine and checks that both end with the weights of
single-device training on the whole batches.
"""

from __future__ import annotations

import sys

import keras
import numpy as np
import tensorflow as tf

from dlguide.distributed import make_distributed_train_step
from dlguide.models import sequential_classifier

__all__ = ["GLOBAL_BATCH", "LEARNING_RATE", "STEPS", "data", "initial_weights", "main"]

GLOBAL_BATCH, STEPS, LEARNING_RATE = 8, 4, 0.1


def data() -> tuple[np.ndarray, np.ndarray]:
    """The training data every worker (and a single-device reference) uses.

    Examples
    --------
    >>> x, y = data()
    >>> x.shape, y.shape
    ((32, 4), (32,))
    """
    rng = np.random.default_rng(0)
    x = rng.normal(size=(GLOBAL_BATCH * STEPS, 4)).astype(np.float32)
    return x, rng.integers(0, 3, size=len(x))


def initial_weights(shapes: list[tuple[int, ...]]) -> list[np.ndarray]:
    """Identical starting weights on every worker, from a fixed NumPy seed.

    Examples
    --------
    >>> [w.shape for w in initial_weights([(4, 8), (8,)])]
    [(4, 8), (8,)]
    """
    rng = np.random.default_rng(1)
    return [rng.normal(scale=0.5, size=shape).astype(np.float32) for shape in shapes]


def main(output: str) -> None:
    """Train on this worker's shard of every global batch; save the weights to ``output``."""
    strategy = tf.distribute.MultiWorkerMirroredStrategy()  # reads TF_CONFIG
    with strategy.scope():
        model = sequential_classifier(4, 3, hidden_units=[8])
        model.set_weights(initial_weights([w.shape for w in model.get_weights()]))
        optimizer = keras.optimizers.SGD(LEARNING_RATE)
    step = make_distributed_train_step(strategy, model, optimizer, GLOBAL_BATCH)
    x, y = data()

    def shard(context):  # worker i reads the i-th part of every global batch
        per_worker = context.get_per_replica_batch_size(GLOBAL_BATCH)
        dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(per_worker)
        return dataset.shard(context.num_input_pipelines, context.input_pipeline_id)

    for batch in strategy.distribute_datasets_from_function(shard):
        step(batch)
    np.savez(output, *model.get_weights())


if __name__ == "__main__":
    main(sys.argv[1])
