"""dlguide.training: the custom loop does what model.fit does."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlguide.data import digits
from dlguide.models import sequential_classifier
from dlguide.training import batches, fit_custom, make_train_step, seconds_per_call


def test_one_step_applies_minus_learning_rate_times_the_gradient():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    x, y = tf.constant([[1.0, 2.0], [3.0, -1.0]]), tf.constant([[1.0], [0.0]])
    w, b = (v.numpy().copy() for v in model.trainable_weights)
    residual = x.numpy() @ w + b - y.numpy()
    grad_w = 2 * x.numpy().T @ residual / 2  # mean squared error over the batch
    grad_b = 2 * residual.mean(axis=0)
    step = make_train_step(model, keras.losses.MeanSquaredError(), keras.optimizers.SGD(0.1))
    loss = step(x, y)
    assert float(loss) == pytest.approx(float(np.mean(residual**2)), rel=1e-6)
    np.testing.assert_allclose(model.trainable_weights[0].numpy(), w - 0.1 * grad_w, atol=1e-6)
    np.testing.assert_allclose(model.trainable_weights[1].numpy(), b - 0.1 * grad_b, atol=1e-6)


def test_metrics_are_updated_with_the_predictions_of_the_step():
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(2)])
    accuracy = keras.metrics.SparseCategoricalAccuracy()
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    step = make_train_step(model, loss_fn, keras.optimizers.SGD(0.0), [accuracy])
    x, y = tf.constant([[1.0], [-1.0], [2.0]]), tf.constant([0, 1, 1])
    predicted = np.argmax(model(x).numpy(), axis=1)
    step(x, y)
    assert float(accuracy.result()) == pytest.approx(np.mean(predicted == y.numpy()))


def test_custom_loop_learns_the_digits_as_well_as_fit():
    splits = digits()
    (x, y), (x_test, y_test) = splits["train"], splits["test"]
    keras.utils.set_random_seed(0)
    model = sequential_classifier(64, 10)
    history = fit_custom(model, x, y, epochs=10, learning_rate=3e-3)
    custom_accuracy = np.mean(np.argmax(model.predict(x_test, verbose=0), axis=1) == y_test)
    keras.utils.set_random_seed(0)
    reference = sequential_classifier(64, 10)
    reference.compile(
        keras.optimizers.Adam(3e-3),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    reference.fit(x, y, epochs=10, batch_size=32, verbose=0)
    fit_accuracy = reference.evaluate(x_test, y_test, verbose=0)[1]
    assert history["loss"][-1] < history["loss"][0] / 5
    assert custom_accuracy >= 0.93 and fit_accuracy >= 0.93
    assert abs(custom_accuracy - fit_accuracy) < 0.03


def test_custom_loop_is_deterministic_for_a_seed():
    (x, y) = digits()["train"]
    histories = []
    for _ in range(2):
        keras.utils.set_random_seed(0)
        histories.append(fit_custom(sequential_classifier(64, 10), x[:200], y[:200], epochs=2))
    assert histories[0] == histories[1]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"y": np.zeros(3)}, ValueError, r"y must have shape \[4\] to match x"),
        ({"epochs": 0}, ValueError, "epochs must be a positive integer, got 0"),
        ({"batch_size": 1.5}, TypeError, "batch_size must be an integer, got float"),
        ({"x": np.zeros(4)}, ValueError, "x must have 2 dimension"),
        ({"y": np.zeros(4)}, TypeError, "y must be integer class indices, got dtype float64"),
        ({"learning_rate": -1.0}, ValueError, "learning_rate must be a finite number > 0"),
        ({"learning_rate": float("nan")}, ValueError, "learning_rate must be a finite number"),
        ({"seed": 1.5}, TypeError, "seed must be an integer, got float"),
        ({"seed": -1}, ValueError, r"seed must be an integer in \[0, 2\*\*32\), got -1"),
    ],
)
def test_fit_custom_bad_arguments(kwargs, error, message):
    arguments = {"x": np.zeros((4, 64), "float32"), "y": np.zeros(4, "int64"), **kwargs}
    with pytest.raises(error, match=message):
        fit_custom(
            sequential_classifier(64, 10), arguments.pop("x"), arguments.pop("y"), **arguments
        )


def test_make_train_step_rejects_a_non_model():
    with pytest.raises(TypeError, match=r"model must be a keras\.Model, got function"):
        make_train_step(lambda x: x, keras.losses.MeanSquaredError(), keras.optimizers.SGD())


def test_seconds_per_call_measures_the_calls_and_rejects_bad_arguments():
    calls = []
    assert seconds_per_call(lambda: calls.append(1), repeats=2, number=3) >= 0
    assert len(calls) == 1 + 2 * 3  # one warm-up call, then the timed ones
    with pytest.raises(TypeError, match="function must be callable, got int"):
        seconds_per_call(3)
    with pytest.raises(ValueError, match="repeats must be a positive integer"):
        seconds_per_call(print, repeats=0)


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


@pytest.mark.parametrize(
    ("x", "y", "batch_size", "error", "message"),
    [
        (np.zeros((4, 2)), np.zeros(3), 2, ValueError, "y must have one label per row of x"),
        (np.zeros((4, 2)), np.zeros(4), 0, ValueError, "batch_size must be a positive integer"),
        (np.array(["a", "b"]), np.zeros(2), 1, TypeError, "x must be a real-valued numeric"),
        (np.zeros((2, 2)), np.array(["a", "b"]), 1, TypeError, "y must hold numeric labels"),
        (np.zeros((2, 2)), np.array([None, 1]), 1, TypeError, "y must hold numeric labels"),
    ],
)
def test_batches_bad_arguments(x, y, batch_size, error, message):
    with pytest.raises(error, match=message):
        batches(x, y, batch_size=batch_size)


@pytest.mark.parametrize(
    ("shuffle_seed", "error", "message"),
    [
        (1.5, TypeError, "shuffle_seed must be an integer, got float"),
        ("a", TypeError, "shuffle_seed must be an integer, got str"),
        (-3, ValueError, r"shuffle_seed must be an integer in \[0, 2\*\*32\), got -3"),
    ],
)
def test_batches_reject_a_shuffle_seed_that_is_not_a_seed(shuffle_seed, error, message):
    with pytest.raises(error, match=message):
        batches(np.zeros((4, 2)), np.zeros(4), shuffle_seed=shuffle_seed)
