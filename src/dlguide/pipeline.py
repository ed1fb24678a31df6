"""Input pipelines with ``tf.data``: feeding a model batches while it trains."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

__all__ = ["batches"]


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
    ValueError
        If ``x`` and ``y`` differ in length.

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
    if len(x) != len(y):
        raise ValueError(f"y must have one label per row of x, got {len(y)} and {len(x)} rows")
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    if shuffle_seed is not None:
        dataset = dataset.shuffle(len(x), seed=shuffle_seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
