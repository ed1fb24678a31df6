"""Time dlguide's attention against Keras', and our training loop against ``fit``.

Run from the repository root: ``.venv/bin/python bench/kernels.py``. Prints times and
ratios measured side by side in one run (targets from the project: attention at most
1.1x Keras' time, custom loop at least 0.9x the throughput of ``fit``). Nothing is
asserted: timings depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import math
import time

import keras
import numpy as np
import tensorflow as tf

from dlguide.attention import MultiHeadAttention, copy_weights_to_keras
from dlguide.data import digits
from dlguide.models import sequential_classifier
from dlguide.timing import seconds_per_call
from dlguide.training import fit_custom

SIZES = [(8, 16, 32, 4), (16, 64, 64, 8), (32, 128, 128, 8)]  # batch, seq, d_model, heads


def attention_ratios() -> None:
    """Ours / Keras per call, eager and inside tf.function, on equal weights and inputs."""
    print("attention: batch seq d_model heads | ours ms  keras ms  ratio (eager, graph)")
    for batch, seq, d_model, heads in SIZES:
        x = tf.random.normal([batch, seq, d_model], seed=0)
        ours = MultiHeadAttention(d_model=d_model, num_heads=heads)
        theirs = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=d_model // heads)
        ours(x, x), theirs(x, x)
        copy_weights_to_keras(ours, theirs)
        row = [time_pair(ours, theirs, x, graph) for graph in (False, True)]
        print(f"           {batch:5d} {seq:3d} {d_model:7d} {heads:5d} | " + " | ".join(row))


def time_pair(
    ours: keras.layers.Layer, theirs: keras.layers.Layer, x: tf.Tensor, graph: bool
) -> str:
    """One table cell: both layers' milliseconds per self-attention call and their ratio."""
    calls = [lambda layer=layer: layer(x, x) for layer in (ours, theirs)]
    if graph:
        calls = [tf.function(call) for call in calls]
    ours_s, theirs_s = (seconds_per_call(call) for call in calls)
    return f"{ours_s * 1e3:7.2f} {theirs_s * 1e3:9.2f} {ours_s / theirs_s:6.2f}"


def training_throughput(repeats: int = 3) -> None:
    """Examples per second of fit_custom and model.fit: same model, data, seed, epochs.

    Both track the loss and the accuracy. Each is timed ``repeats`` times, alternating,
    and the best time counts: the first training in a process also pays TensorFlow's
    one-off start-up, which would otherwise be charged to whichever runs first.
    """
    x_train, y_train = digits()["train"]
    epochs, batch_size = 5, 32
    seconds = {"custom loop": math.inf, "fit": math.inf}
    for _ in range(repeats):
        for name in seconds:
            keras.utils.set_random_seed(0)
            model = sequential_classifier(x_train.shape[1], 10)
            start = time.perf_counter()
            if name == "fit":
                model.compile(
                    optimizer=keras.optimizers.Adam(1e-3),
                    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                    metrics=["accuracy"],
                )
                model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
            else:
                fit_custom(model, x_train, y_train, epochs=epochs, batch_size=batch_size)
            seconds[name] = min(seconds[name], time.perf_counter() - start)
    n = epochs * len(x_train)
    for name, s in seconds.items():
        print(f"{name:12s} {n / s:10,.0f} examples/s (best of {repeats})")
    print(f"custom loop / fit throughput: {seconds['fit'] / seconds['custom loop']:.2f}")


if __name__ == "__main__":
    np.random.seed(0)
    attention_ratios()
    print()
    training_throughput()
