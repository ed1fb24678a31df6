"""One worker of a MultiWorkerMirroredStrategy run; tests/test_distributed.py starts two.

Usage: ``TF_CONFIG=... python multiworker_worker.py OUTPUT.npz``. Every worker
trains the same small classifier for STEPS steps on its shard of each global
batch and saves its final weights to OUTPUT.npz.
"""

import sys

import numpy as np

GLOBAL_BATCH, STEPS, LEARNING_RATE = 8, 4, 0.1


def data():
    """The training data every worker (and the single-process reference) uses."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(GLOBAL_BATCH * STEPS, 4)).astype(np.float32)
    return x, rng.integers(0, 3, size=len(x))


def initial_weights(shapes):
    """Identical starting weights on every worker, from a fixed NumPy seed."""
    rng = np.random.default_rng(1)
    return [rng.normal(scale=0.5, size=shape).astype(np.float32) for shape in shapes]


def main(output):
    import keras
    import tensorflow as tf

    from dlguide.distributed import make_distributed_train_step
    from dlguide.models import sequential_classifier

    strategy = tf.distribute.MultiWorkerMirroredStrategy()  # reads TF_CONFIG
    with strategy.scope():
        model = sequential_classifier(4, 3, hidden_units=[8])
        model.set_weights(initial_weights([w.shape for w in model.get_weights()]))
        optimizer = keras.optimizers.SGD(LEARNING_RATE)
    step = make_distributed_train_step(strategy, model, optimizer, GLOBAL_BATCH)
    x, y = data()

    def shard(context):  # worker i reads the i-th half of every global batch
        per_worker = context.get_per_replica_batch_size(GLOBAL_BATCH)
        dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(per_worker)
        return dataset.shard(context.num_input_pipelines, context.input_pipeline_id)

    for batch in strategy.distribute_datasets_from_function(shard):
        step(batch)
    np.savez(output, *model.get_weights())


if __name__ == "__main__":
    main(sys.argv[1])
