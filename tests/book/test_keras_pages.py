"""The Keras code written on the pages and its tested copies in dlguide stay the same.

The pages "Keras: three ways to build a model" and "Custom training loops" write their
models and their training loop in their own cells; dlguide keeps the same code for the
pages that follow. These tests run the pages' cells and compare.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.models import SubclassedClassifier, functional_classifier, sequential_classifier
from dlguide.training import fit_custom
from tests.page_code import run_until

pytestmark = pytest.mark.build  # runs pages' cells and trains: left out of the quick run


def layer_configs(model: keras.Model) -> list[dict[str, object]]:
    """Each layer's configuration without its name (names are numbered per process)."""
    return [
        {key: value for key, value in layer.get_config().items() if key != "name"}
        for layer in model.layers
        if not isinstance(layer, keras.layers.InputLayer)
    ]


@pytest.fixture(scope="module")
def keras_models_page() -> dict[str, object]:
    return run_until("tensorflow/keras-models", "subclassed")


@pytest.mark.parametrize(
    ("page_name", "build"),
    [
        ("sequential", lambda: sequential_classifier(64, 10)),
        ("functional", lambda: functional_classifier(64, 10)),
        ("subclassed", lambda: SubclassedClassifier(10)),
    ],
)
def test_keras_models_page_builds_the_package_models(keras_models_page, page_name, build):
    page_model = keras_models_page[page_name]
    x = keras_models_page["x_test"][:5]
    page_model(x)  # a subclassed model creates its weights on its first call
    keras.utils.set_random_seed(0)  # the page seeds each model the same way
    package_model = build()
    package_model(x)
    assert layer_configs(page_model) == layer_configs(package_model)
    assert page_model.count_params() == package_model.count_params() == 4810
    for ours, theirs in zip(page_model.get_weights(), package_model.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_custom_loop_page_gives_the_history_of_fit_custom():
    page = run_until("tensorflow/custom-training-loops", "custom_history")
    keras.utils.set_random_seed(0)
    history = fit_custom(
        sequential_classifier(64, 10),
        page["x_train"],
        page["y_train"],
        epochs=page["EPOCHS"],
        batch_size=page["BATCH_SIZE"],
        learning_rate=page["LEARNING_RATE"],
        seed=0,
    )
    assert history.keys() == page["custom_history"].keys()
    for key, values in history.items():
        np.testing.assert_allclose(values, page["custom_history"][key], rtol=1e-6)
    assert history["accuracy"][-1] > 0.95
