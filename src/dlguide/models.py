"""Small Keras models used across the book."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import keras

from dlguide._validation import check_positive_int

__all__ = ["binary_classifier"]

MAX_PARAMETERS = 100_000_000  # 400 MB of float32 weights: more is surely a typo


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
    widths = [
        check_positive_int(w, f"hidden_units[{i}]", maximum=MAX_PARAMETERS)
        for i, w in enumerate(hidden_units)
    ]
    sizes = [n_features, *widths, 1]
    n_parameters = sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(sizes))
    if n_parameters > MAX_PARAMETERS:
        raise ValueError(
            f"hidden_units {widths} would give {n_parameters:.2e} parameters, "
            f"more than the {MAX_PARAMETERS:.0e} this function builds"
        )
    if activation not in {"relu", "sigmoid", "tanh"}:
        raise ValueError(f"activation must be 'relu', 'sigmoid' or 'tanh', got {activation!r}")
    layers = [keras.Input(shape=(n_features,))]
    layers += [keras.layers.Dense(width, activation=activation) for width in widths]
    layers.append(keras.layers.Dense(1, activation="sigmoid"))
    return keras.Sequential(layers)
