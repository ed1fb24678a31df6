"""dlguide.models: the Keras classifier builder, and that depth is what the moons need."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.data import two_moons
from dlguide.models import (
    SubclassedClassifier,
    binary_classifier,
    functional_classifier,
    sequential_classifier,
)


def test_architecture_follows_the_arguments():
    model = binary_classifier(n_features=3, hidden_units=[8, 4], activation="tanh")
    assert model.input_shape == (None, 3)
    assert [layer.units for layer in model.layers] == [8, 4, 1]
    assert [layer.activation.__name__ for layer in model.layers] == ["tanh", "tanh", "sigmoid"]
    assert model.count_params() == (3 * 8 + 8) + (8 * 4 + 4) + (4 + 1)


def test_outputs_are_probabilities():
    keras.utils.set_random_seed(0)
    model = binary_classifier(n_features=2, hidden_units=[4])
    p = model.predict(np.random.default_rng(0).normal(size=(50, 2)), verbose=0)
    assert p.shape == (50, 1)
    assert ((p > 0) & (p < 1)).all()


def fit_and_score(hidden_units: list[int]) -> float:
    keras.utils.set_random_seed(0)
    x, y = two_moons(n_samples=600, noise=0.1, seed=0)
    x_test, y_test = two_moons(n_samples=300, noise=0.1, seed=1)
    model = binary_classifier(n_features=2, hidden_units=hidden_units)
    model.compile(
        optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"]
    )
    model.fit(x, y, epochs=10, batch_size=32, verbose=0)
    return model.evaluate(x_test, y_test, verbose=0)[1]


@pytest.mark.build  # trains for seconds: left out of the quick run
def test_a_hidden_layer_separates_the_moons_and_a_linear_model_cannot():
    assert fit_and_score([16, 16]) >= 0.95
    assert fit_and_score([]) < 0.90


def build_three_ways():
    builders = {
        "sequential": lambda: sequential_classifier(64, 10, hidden_units=[32, 16]),
        "functional": lambda: functional_classifier(64, 10, hidden_units=[32, 16]),
        "subclassed": lambda: SubclassedClassifier(10, hidden_units=[32, 16]),
    }
    models = {}
    for name, build in builders.items():
        keras.utils.set_random_seed(0)
        models[name] = build()
    return models


def test_the_three_digits_classifiers_compute_the_same_function_from_the_same_seed():
    x = np.random.default_rng(0).random((7, 64)).astype("float32")
    outputs = {name: np.asarray(model(x)) for name, model in build_three_ways().items()}
    assert outputs["sequential"].shape == (7, 10)
    np.testing.assert_allclose(outputs["functional"], outputs["sequential"], atol=1e-6)
    np.testing.assert_allclose(outputs["subclassed"], outputs["sequential"], atol=1e-6)


def test_digits_classifier_outputs_logits_of_the_right_shape_and_size():
    for model in build_three_ways().values():
        model(np.zeros((1, 64), "float32"))  # a subclassed model creates its weights on first call
        assert model.count_params() == (64 * 32 + 32) + (32 * 16 + 16) + (16 * 10 + 10)
    x = np.random.default_rng(1).normal(size=(3, 64)).astype("float32")
    logits = np.asarray(build_three_ways()["sequential"](x))
    assert logits.shape == (3, 10)
    assert (logits < 0).any() and not np.allclose(logits.sum(axis=1), 1.0)  # not probabilities
