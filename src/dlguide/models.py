"""Small Keras models used across the book.

The digits classifier exists three times, once per way Keras offers to build a
model: :func:`sequential_classifier`, :func:`functional_classifier` and the
subclass :class:`SubclassedClassifier`. Seeded with the same
:func:`keras.utils.set_random_seed`, the three start from the same weights and
compute the same function.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

__all__ = [
    "SubclassedClassifier",
    "binary_classifier",
    "functional_classifier",
    "sequential_classifier",
]


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
    """
    layers = [keras.Input(shape=(n_features,))]
    layers += [keras.layers.Dense(width, activation=activation) for width in hidden_units]
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
    """
    layers = [keras.Input(shape=(n_features,))]
    layers += [keras.layers.Dense(width, activation="relu") for width in hidden_units]
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
    inputs = keras.Input(shape=(n_features,), name="pixels")
    h = inputs
    for width in hidden_units:
        h = keras.layers.Dense(width, activation="relu")(h)
    logits = keras.layers.Dense(n_classes, name="logits")(h)
    return keras.Model(inputs, logits, name="functional_classifier")


class SubclassedClassifier(keras.Model):
    """The same MLP as :func:`sequential_classifier`, as a subclass of ``keras.Model``.

    Layers are created in ``__init__`` and connected in :meth:`call`, which is
    ordinary Python: the place for loops, conditions or several outputs.

    Examples
    --------
    >>> import numpy as np
    >>> model = SubclassedClassifier(n_classes=10)
    >>> model(np.zeros((2, 64), dtype="float32")).shape
    TensorShape([2, 10])
    >>> model.count_params()
    4810
    """

    def __init__(self, n_classes: int, hidden_units: Sequence[int] = (64,), **kwargs):
        super().__init__(**kwargs)
        self.hidden = [keras.layers.Dense(width, activation="relu") for width in hidden_units]
        self.logits = keras.layers.Dense(n_classes)

    def call(self, x):
        """Return the logits ``[batch, n_classes]`` for inputs ``x`` ``[batch, n_features]``."""
        for layer in self.hidden:
            x = layer(x)
        return self.logits(x)
