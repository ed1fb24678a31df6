"""dlguide.distributed: data-parallel steps equal single-device steps on the whole batch."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlguide import multiworker as worker
from dlguide.distributed import make_distributed_train_step, split_cpu
from dlguide.models import sequential_classifier


def single_device_weights():
    """Plain SGD on each global batch in turn, on one device: what both workers must match."""
    model = sequential_classifier(4, 3, hidden_units=[8])
    model.set_weights(worker.initial_weights([w.shape for w in model.get_weights()]))
    optimizer = keras.optimizers.SGD(worker.LEARNING_RATE)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    x, y = worker.data()
    for start in range(0, len(x), worker.GLOBAL_BATCH):
        batch = slice(start, start + worker.GLOBAL_BATCH)
        with tf.GradientTape() as tape:
            loss = loss_fn(y[batch], model(x[batch]))
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights, strict=True))
    return model.get_weights()


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.mark.build  # trains for seconds: left out of the quick run
def test_two_workers_on_localhost_end_with_the_single_device_weights(tmp_path):
    workers = [f"127.0.0.1:{port}" for port in free_ports(2)]
    processes = []
    for index in range(2):
        config = {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
        env = {**os.environ, "TF_CONFIG": json.dumps(config), "CUDA_VISIBLE_DEVICES": ""}
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "dlguide.multiworker", f"w{index}.npz"],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    try:
        logs = [process.communicate(timeout=400) for process in processes]
    finally:
        for process in processes:
            process.kill()
    for process, (_, err) in zip(processes, logs, strict=True):
        assert process.returncode == 0, err[-3000:]
    finals = []
    for index in range(2):
        with np.load(tmp_path / f"w{index}.npz") as saved:
            finals.append([saved[f"arr_{i}"] for i in range(len(saved.files))])
    reference = single_device_weights()
    for w0, w1, expected in zip(*finals, reference, strict=True):
        np.testing.assert_array_equal(w0, w1)  # the workers stay in sync exactly
        np.testing.assert_allclose(w0, expected, atol=1e-6)
    assert not np.allclose(reference[0], worker.initial_weights([reference[0].shape])[0])


def test_default_strategy_step_equals_a_plain_sgd_step():
    strategy = tf.distribute.get_strategy()
    x, y = worker.data()
    with strategy.scope():
        model = sequential_classifier(4, 3, hidden_units=[8])
        model.set_weights(worker.initial_weights([w.shape for w in model.get_weights()]))
        optimizer = keras.optimizers.SGD(worker.LEARNING_RATE)
    step = make_distributed_train_step(strategy, model, optimizer, worker.GLOBAL_BATCH)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(worker.GLOBAL_BATCH)
    for batch in strategy.experimental_distribute_dataset(dataset):
        step(batch)
    for got, expected in zip(model.get_weights(), single_device_weights(), strict=True):
        np.testing.assert_allclose(got, expected, atol=1e-6)


def test_split_cpu_after_start_up_explains_the_ordering_problem():
    tf.constant(1.0)  # TensorFlow has initialised its devices by now
    current = len(tf.config.list_logical_devices("CPU"))
    with pytest.raises(RuntimeError, match="split_cpu must run before TensorFlow initialises"):
        split_cpu(current + 1)
