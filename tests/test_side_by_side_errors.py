"""dlguide.side_by_side rejects arguments that do not fit the model, naming the problem.

(Its agreement with PyTorch is tested in test_side_by_side.py, which needs PyTorch.)
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.side_by_side import make_mlp, train_step


@pytest.fixture
def model() -> keras.Sequential:
    keras.utils.set_random_seed(0)
    return make_mlp(n_in=3, n_hidden=5, n_out=4)


def test_one_step_lowers_the_loss_on_its_batch(model):
    x = np.random.default_rng(0).normal(size=(8, 3))
    y = np.arange(8) % 4
    _, first, _ = train_step(model, keras.optimizers.SGD(0.5), x, y)
    _, second, _ = train_step(model, keras.optimizers.SGD(0.5), x, y)
    assert float(second) < float(first)


@pytest.mark.parametrize(
    ("x", "y", "error", "message"),
    [
        (np.ones((4, 2)), [0, 1, 2, 3], ValueError, "x must have 3 features per example, got 2"),
        (np.ones(3), [0], ValueError, r"x must have 2 dimension\(s\), got shape \(3,\)"),
        (np.ones((4, 3)), [0, 1, 2], ValueError, r"y must have shape \[4\] to match x"),
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
def test_a_batch_that_does_not_fit_is_rejected(model, x, y, error, message):
    with pytest.raises(error, match=message):
        train_step(model, keras.optimizers.SGD(0.1), x, y)


@pytest.mark.parametrize("sizes", [(0, 5, 4), (3, -1, 4), (3, 5, 10**6), (3.5, 5, 4)])
def test_layer_sizes_must_be_positive_integers(sizes):
    with pytest.raises((ValueError, TypeError), match="n_"):
        make_mlp(*sizes)


def test_model_and_optimizer_must_be_keras_objects(model):
    x, y = np.ones((2, 3)), [0, 1]
    with pytest.raises(TypeError, match=r"model must be an instance of keras.*Model, got NoneType"):
        train_step(None, keras.optimizers.SGD(0.1), x, y)
    with pytest.raises(TypeError, match=r"optimizer must be an instance of keras.*Optimizer, got"):
        train_step(model, 0.1, x, y)
