"""dlguide.optimizers: the update rules are the ones keras.optimizers applies."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlguide import optimizers

CURVATURE = np.diag([1.0, 10.0])  # the loss 0.5 wᵀ A w, an elongated bowl


def run_ours(optimizer, steps: int) -> np.ndarray:
    params = {"w": np.array([1.5, 1.0])}
    for _ in range(steps):
        params = optimizer.update(params, {"w": CURVATURE @ params["w"]})
    return params["w"]


def run_keras(optimizer, steps: int, dtype: str) -> np.ndarray:
    variable = keras.Variable(np.array([1.5, 1.0]), dtype=dtype)
    for _ in range(steps):
        gradient = tf.constant(CURVATURE @ variable.numpy(), dtype=dtype)
        optimizer.apply_gradients([(gradient, variable)])
    return variable.numpy()


# Hyperparameters that float32 represents exactly, because Keras casts them to float32
# before converting them to the variable's dtype: then float64 runs agree to rounding.
EXACT_CASES = [
    (optimizers.SGD(0.0625), keras.optimizers.SGD(0.0625)),
    (optimizers.Momentum(0.0625, 0.875), keras.optimizers.SGD(0.0625, momentum=0.875)),
    (optimizers.Adam(0.125, 0.875, 1 - 2**-10), keras.optimizers.Adam(0.125, 0.875, 1 - 2**-10)),
]


@pytest.mark.parametrize(("ours", "theirs"), EXACT_CASES, ids=["sgd", "momentum", "adam"])
def test_updates_equal_keras_in_float64(ours, theirs):
    np.testing.assert_allclose(
        run_ours(ours, 10), run_keras(theirs, 10, "float64"), rtol=0, atol=1e-14
    )


def test_default_adam_equals_keras_float32_to_its_rounding_of_beta_2():
    ours = run_ours(optimizers.Adam(0.1), 10)
    theirs = run_keras(keras.optimizers.Adam(0.1), 10, "float32")
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=2e-5)


def test_default_momentum_equals_keras_float32():
    ours = run_ours(optimizers.Momentum(0.05, 0.9), 10)
    theirs = run_keras(keras.optimizers.SGD(0.05, momentum=0.9), 10, "float32")
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)


def test_update_does_not_modify_its_arguments():
    params, grads = {"w": np.array([1.0, 2.0])}, {"w": np.array([0.5, 0.5])}
    for optimizer in [optimizers.SGD(0.1), optimizers.Momentum(0.1), optimizers.Adam(0.1)]:
        optimizer.update(params, grads)
        np.testing.assert_array_equal(params["w"], [1.0, 2.0])


def test_adam_first_step_moves_every_parameter_by_the_learning_rate():
    # m / sqrt(v) = g / |g| at step 1 after bias correction: only the sign counts.
    grads = {"w": np.array([1e3, -0.1, 2.0])}
    new = optimizers.Adam(0.01).update({"w": np.zeros(3)}, grads)["w"]
    np.testing.assert_allclose(new, [-0.01, 0.01, -0.01], rtol=1e-3)


def test_gradient_descent_converges_on_a_parabola_for_a_small_rate_and_diverges_for_a_large():
    grad = lambda x: 2 * x  # noqa: E731  f(x) = x**2
    assert abs(optimizers.gradient_descent(grad, [1.0], 0.1, 50)[-1, 0]) < 1e-4
    assert abs(optimizers.gradient_descent(grad, [1.0], 1.1, 50)[-1, 0]) > 1e3


def test_minibatches_cover_every_index_once_with_a_short_last_batch():
    batches = list(optimizers.minibatches(10, 4, np.random.default_rng(0)))
    assert [len(batch) for batch in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))


def test_train_with_full_batch_is_gradient_descent():
    x = np.array([[1.0], [2.0], [3.0]])
    y = np.array([2.0, 4.0, 6.0])

    def loss_and_grads(params, xb, yb):
        error = xb[:, 0] * params["w"] - yb
        return float(np.mean(error**2)), {"w": 2 * np.mean(error * xb[:, 0])}

    trained, losses = optimizers.train(
        loss_and_grads, {"w": 0.0}, x, y, optimizers.SGD(0.05), batch_size=3, epochs=5
    )
    path = optimizers.gradient_descent(
        lambda w: 2 * np.mean((x[:, 0] * w - y) * x[:, 0]), 0.0, 0.05, 5
    )
    assert trained["w"] == pytest.approx(path[-1])
    assert losses.shape == (5,)
    assert np.all(np.diff(losses) < 0)


def test_train_with_batch_size_one_takes_one_step_per_example():
    steps = []

    def loss_and_grads(params, xb, yb):
        steps.append(len(xb))
        return 0.0, {"w": 0.0}

    optimizers.train(
        loss_and_grads,
        {"w": 0.0},
        np.zeros((4, 1)),
        np.zeros(4),
        optimizers.SGD(0.1),
        batch_size=1,
        epochs=2,
    )
    assert steps == [1] * 8


def test_train_rejects_inputs_and_labels_of_different_lengths():
    with pytest.raises(ValueError, match="x and y must have the same length, got 3 and 2"):
        optimizers.train(
            lambda p, x, y: (0.0, p), {}, np.zeros((3, 1)), np.zeros(2), optimizers.SGD(0.1), 1, 1
        )
