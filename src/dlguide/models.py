"""Small Keras models used across the book.

The digits classifier exists three times, once per way Keras offers to build a
model: :func:`sequential_classifier`, :func:`functional_classifier` and the
subclass :class:`MLPClassifier`. Seeded with the same
:func:`keras.utils.set_random_seed`, the three start from the same weights and
compute the same function.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import keras

from dlguide._validation import check_int_sequence, check_positive_int

__all__ = [
    "MLPClassifier",
    "binary_classifier",
    "functional_classifier",
    "sequential_classifier",
]


MAX_PARAMETERS = 100_000_000  # 400 MB of float32 weights: more is surely a typo


def _check_widths(n_features: int, hidden_units: Sequence[int], n_outputs: int) -> list[int]:
    """Return the hidden layer widths as a list, after checking the model fits in memory."""
    widths = check_int_sequence(hidden_units, "hidden_units", maximum=MAX_PARAMETERS)
    sizes = [n_features, *widths, n_outputs]
    n_parameters = sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(sizes))
    if n_parameters > MAX_PARAMETERS:
        raise ValueError(
            f"hidden_units {widths} would give {n_parameters:.2e} parameters with "
            f"{n_features} inputs and {n_outputs} outputs, more than the {MAX_PARAMETERS:.0e} "
            "this function builds"
        )
    return widths


def binary_classifier(
    n_features: int, hidden_units: Sequence[int] = (), activation: str = "relu"
) -> keras.Sequential:
    """A fully connected network that outputs the probability of class 1.

    With no hidden layers (the default) this is logistic regression, a linear
    model: its decision boundary is a straight line (a hyperplane). Each entry
    of ``hidden_units`` adds a hidden :class:`keras.layers.Dense` layer of that
    width with the given ``activation``. The model is returned uncompiled.

    Examples
    --------
    >>> linear = binary_classifier(n_features=2)
    >>> [layer.units for layer in linear.layers]
    [1]
    >>> deep = binary_classifier(n_features=2, hidden_units=[16, 16])
    >>> [layer.units for layer in deep.layers], deep.count_params()
    ([16, 16, 1], 337)
    >>> binary_classifier(n_features=2, hidden_units=[0])
    Traceback (most recent call last):
    ...
    ValueError: hidden_units[0] must be a positive integer, got 0
    """
    n_features = check_positive_int(n_features, "n_features", maximum=MAX_PARAMETERS)
    widths = _check_widths(n_features, hidden_units, n_outputs=1)
    if not isinstance(activation, str) or activation not in {"relu", "sigmoid", "tanh"}:
        raise ValueError(f"activation must be 'relu', 'sigmoid' or 'tanh', got {activation!r}")
    layers = [keras.Input(shape=(n_features,))]
    layers += [keras.layers.Dense(width, activation=activation) for width in widths]
    layers.append(keras.layers.Dense(1, activation="sigmoid"))
    return keras.Sequential(layers)


def sequential_classifier(
    n_features: int, n_classes: int, hidden_units: Sequence[int] = (64,)
) -> keras.Sequential:
    """A multi-class MLP as a stack of layers: ``keras.Sequential``.

    Hidden :class:`keras.layers.Dense` layers use ReLU; the last layer has
    ``n_classes`` units and no activation, so the model outputs **logits**
    ``[batch, n_classes]``. Train it with
    ``keras.losses.SparseCategoricalCrossentropy(from_logits=True)``.

    Examples
    --------
    >>> model = sequential_classifier(n_features=64, n_classes=10)
    >>> [layer.units for layer in model.layers], model.count_params()
    ([64, 10], 4810)
    >>> sequential_classifier(n_features=64, n_classes=1)
    Traceback (most recent call last):
    ...
    ValueError: n_classes must be at least 2, got 1
    """
    n_features, n_classes, widths = _check_classifier_args(n_features, n_classes, hidden_units)
    layers = [keras.Input(shape=(n_features,))]
    layers += [keras.layers.Dense(width, activation="relu") for width in widths]
    layers.append(keras.layers.Dense(n_classes))
    return keras.Sequential(layers, name="sequential_classifier")


def functional_classifier(
    n_features: int, n_classes: int, hidden_units: Sequence[int] = (64,)
) -> keras.Model:
    """The same MLP as :func:`sequential_classifier`, built with the functional API.

    Each layer is called on the symbolic output of the previous one; the model
    is defined by its input and output tensors.

    Examples
    --------
    >>> model = functional_classifier(n_features=64, n_classes=10)
    >>> model.input_shape, model.output_shape, model.count_params()
    ((None, 64), (None, 10), 4810)
    """
    n_features, n_classes, widths = _check_classifier_args(n_features, n_classes, hidden_units)
    inputs = keras.Input(shape=(n_features,), name="pixels")
    h = inputs
    for width in widths:
        h = keras.layers.Dense(width, activation="relu")(h)
    logits = keras.layers.Dense(n_classes, name="logits")(h)
    return keras.Model(inputs, logits, name="functional_classifier")


class MLPClassifier(keras.Model):
    """The same MLP as :func:`sequential_classifier`, as a subclass of ``keras.Model``.

    Layers are created in ``__init__`` and connected in :meth:`call`, which is
    ordinary Python: the place for loops, conditions or several outputs.

    Examples
    --------
    >>> import numpy as np
    >>> model = MLPClassifier(n_classes=10)
    >>> model(np.zeros((2, 64), dtype="float32")).shape
    TensorShape([2, 10])
    >>> model.count_params()
    4810
    """

    def __init__(self, n_classes: int, hidden_units: Sequence[int] = (64,), **kwargs):
        super().__init__(**kwargs)
        _, n_classes, widths = _check_classifier_args(1, n_classes, hidden_units)
        self.hidden = [keras.layers.Dense(width, activation="relu") for width in widths]
        self.logits = keras.layers.Dense(n_classes)

    def call(self, x):
        """Return the logits ``[batch, n_classes]`` for inputs ``x`` ``[batch, n_features]``."""
        for layer in self.hidden:
            x = layer(x)
        return self.logits(x)


def _check_classifier_args(
    n_features: int, n_classes: int, hidden_units: Sequence[int]
) -> tuple[int, int, list[int]]:
    """Validate the arguments shared by the three digits classifiers."""
    n_features = check_positive_int(n_features, "n_features", maximum=MAX_PARAMETERS)
    n_classes = check_positive_int(n_classes, "n_classes", maximum=MAX_PARAMETERS)
    if n_classes < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes}")
    return n_features, n_classes, _check_widths(n_features, hidden_units, n_classes)
