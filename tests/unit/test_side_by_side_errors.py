"""dlguide.side_by_side rejects labels that do not fit the model, naming the problem.

(Its agreement with PyTorch is tested in test_side_by_side.py, which needs PyTorch.)
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.side_by_side import make_keras_mlp, train_step


@pytest.fixture
def model() -> keras.Sequential:
    keras.utils.set_random_seed(0)
    return make_keras_mlp(n_in=3, n_hidden=5, n_out=4)


def test_one_step_lowers_the_loss_on_its_batch(model):
    x = np.random.default_rng(0).normal(size=(8, 3))
    y = np.arange(8) % 4
    _, first, _ = train_step(model, keras.optimizers.SGD(0.5), x, y)
    _, second, _ = train_step(model, keras.optimizers.SGD(0.5), x, y)
    assert float(second) < float(first)


@pytest.mark.parametrize(
    ("x", "y", "error", "message"),
    [
        (np.ones((4, 3)), [0, 1, 2], ValueError, r"y must have shape \[4\], got \(3,\)"),
        (np.ones((2, 3)), [0.0, 1.0], TypeError, "y must be integer class indices"),
        (
            np.ones((2, 3)),
            [0, 4],
            ValueError,
            r"y must lie in \[0, 3\] for 4 classes, got values from 0 to 4",
        ),
        (
            np.ones((2, 3)),
            [-1, 0],
            ValueError,
            r"y must lie in \[0, 3\] for 4 classes, got values from -1 to 0",
        ),
    ],
)
def test_labels_that_do_not_fit_are_rejected(model, x, y, error, message):
    with pytest.raises(error, match=message):
        train_step(model, keras.optimizers.SGD(0.1), x, y)
