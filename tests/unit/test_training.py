"""dlguide.training: the custom loop does what model.fit does."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlguide.data import digits
from dlguide.models import sequential_classifier
from dlguide.training import fit_custom, make_train_step


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


@pytest.mark.build  # trains for seconds: left out of the quick run
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


@pytest.mark.build  # trains for seconds: left out of the quick run
def test_custom_loop_is_deterministic_for_a_seed():
    (x, y) = digits()["train"]
    histories = []
    for _ in range(2):
        keras.utils.set_random_seed(0)
        histories.append(fit_custom(sequential_classifier(64, 10), x[:200], y[:200], epochs=2))
    assert histories[0] == histories[1]
