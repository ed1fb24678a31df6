"""dlguide.pipeline: batches keep or shuffle the order, and cover every example once."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.pipeline import batches


def test_batches_keep_order_without_a_seed_and_cover_every_example_once():
    x, y = np.arange(14.0).reshape(7, 2), np.arange(7)
    got = list(batches(x, y, batch_size=3).as_numpy_iterator())
    assert [b_y.tolist() for _, b_y in got] == [[0, 1, 2], [3, 4, 5], [6]]
    np.testing.assert_array_equal(np.concatenate([b_x for b_x, _ in got]), x)


def test_batches_shuffle_reproducibly_and_differently_each_epoch():
    x, y = np.zeros((50, 1)), np.arange(50)

    def two_epochs(seed):
        dataset = batches(x, y, batch_size=50, shuffle_seed=seed).repeat(2)
        return [b_y.tolist() for _, b_y in dataset.as_numpy_iterator()]

    first, second = two_epochs(0)
    assert sorted(first) == sorted(second) == list(range(50))
    assert first != second and first != list(range(50))
    assert two_epochs(0) == [first, second]
    assert two_epochs(1) != [first, second]


def test_batches_reject_labels_that_do_not_match_the_examples():
    with pytest.raises(ValueError, match="y must have one label per row of x, got 3 and 4 rows"):
        batches(np.zeros((4, 2)), np.zeros(3), batch_size=2)
