"""A multilayer perceptron from scratch: initialization, forward pass, backpropagation.

Parameters live in a dict, ``{"w1": [n_0, n_1], "b1": [n_1], "w2": ..., ...}``,
with weights laid out ``[n_in, n_out]`` as in :class:`keras.layers.Dense`, so a
layer computes ``z = a @ w + b`` for a batch ``a`` of shape ``[batch, n_in]``.
Hidden layers apply an activation function; the last layer outputs logits, and
the loss is softmax cross-entropy (:func:`dlguide.losses.softmax_cross_entropy`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from dlguide import losses
from dlguide._validation import check_array
from dlguide.activations import ACTIVATIONS

__all__ = [
    "backward",
    "dense",
    "forward",
    "init_params",
    "init_std",
    "loss_and_gradients",
    "predict_proba",
]

Params = dict[str, np.ndarray]


def init_std(n_in: int, n_out: int, scheme: str | float = "he") -> float:
    """Standard deviation of the initial weights of a layer with ``n_in`` inputs.

    ``"glorot"`` gives ``sqrt(2 / (n_in + n_out))`` (Glorot & Bengio 2010), which
    keeps the variance of activations and gradients about constant for
    tanh-like units; ``"he"`` gives ``sqrt(2 / n_in)`` (He et al. 2015), which
    does the same for ReLUs, which zero half their inputs. A number is used as
    the standard deviation itself.

    Examples
    --------
    >>> init_std(100, 100, "he"), init_std(100, 100, "glorot"), init_std(100, 100, 0.5)
    (0.1414213562373095, 0.1, 0.5)
    """
    if not isinstance(scheme, str):
        return float(scheme)
    if scheme == "he":
        return float(np.sqrt(2 / n_in))
    if scheme == "glorot":
        return float(np.sqrt(2 / (n_in + n_out)))
    raise ValueError(f"scheme must be 'he', 'glorot' or a positive number, got {scheme!r}")


def init_params(layer_sizes: Sequence[int], scheme: str | float = "he", seed: int = 0) -> Params:
    """Random normal weights (standard deviation from :func:`init_std`) and zero biases.

    ``layer_sizes`` lists the width of every layer, input first and output last:
    ``[2, 16, 2]`` is 2 inputs, one hidden layer of 16 units and 2 outputs.
    Arrays are ``float64``.

    Examples
    --------
    >>> params = init_params([2, 16, 3])
    >>> {name: value.shape for name, value in params.items()}
    {'w1': (2, 16), 'b1': (16,), 'w2': (16, 3), 'b2': (3,)}
    >>> init_params([2])
    Traceback (most recent call last):
    ...
    ValueError: layer_sizes must list at least an input and an output size, got [2]
    """
    if len(layer_sizes) < 2:
        raise ValueError(
            f"layer_sizes must list at least an input and an output size, got {layer_sizes}"
        )
    rng = np.random.default_rng(seed)
    params = {}
    for layer, (n_in, n_out) in enumerate(itertools.pairwise(layer_sizes), start=1):
        params[f"w{layer}"] = rng.normal(scale=init_std(n_in, n_out, scheme), size=(n_in, n_out))
        params[f"b{layer}"] = np.zeros(n_out)
    return params


def dense(x: ArrayLike, w: ArrayLike, b: ArrayLike, activation: str | None = None) -> np.ndarray:
    """One fully connected layer for a batch: ``f(x @ w + b)``.

    ``x`` is ``[batch, n_in]``, ``w`` is ``[n_in, n_out]``, ``b`` is ``[n_out]``;
    the result is ``[batch, n_out]``. ``activation=None`` returns ``z = x @ w + b``.

    Examples
    --------
    >>> dense([[1.0, 2.0]], [[1.0], [-1.0]], [0.5])
    array([[-0.5]])
    >>> dense([[1.0, 2.0]], [[1.0], [-1.0]], [0.5], activation="relu")
    array([[0.]])
    >>> dense([[1.0, 2.0]], [[1.0, 0.0]], [0.0, 0.0])
    Traceback (most recent call last):
    ...
    ValueError: w must have 2 rows (the features of x), got (1, 2)
    """
    check_array(x, "x", ndim=2)
    if np.shape(w)[0] != np.shape(x)[1]:
        raise ValueError(
            f"w must have {np.shape(x)[1]} rows (the features of x), got {np.shape(w)}"
        )
    z = np.asarray(x) @ w + b
    return z if activation is None else ACTIVATIONS[activation].function(z)


def forward(
    params: Mapping[str, np.ndarray], x: ArrayLike, activation: str = "relu"
) -> tuple[np.ndarray, dict[str, object]]:
    """Run the network on a batch and keep what the backward pass needs.

    Returns the logits ``[batch, n_classes]`` and a cache holding the input
    ``a0 = x``, every pre-activation ``z1 … zL`` and hidden activation
    ``a1 … a(L-1)``, and the activation function's name.

    Examples
    --------
    >>> params = init_params([2, 3, 2])
    >>> logits, cache = forward(params, np.ones((5, 2)))
    >>> logits.shape, sorted(cache)
    ((5, 2), ['a0', 'a1', 'activation', 'z1', 'z2'])
    >>> forward(params, np.ones((5, 3)))
    Traceback (most recent call last):
    ...
    ValueError: x must have 2 features, got shape (5, 3)
    """
    check_array(x, "x", ndim=2)
    if np.shape(x)[1] != len(params["w1"]):
        raise ValueError(f"x must have {len(params['w1'])} features, got shape {np.shape(x)}")
    n_layers = len(params) // 2
    a = np.asarray(x)
    cache: dict[str, object] = {"activation": activation, "a0": a}
    for layer in range(1, n_layers + 1):
        z = a @ params[f"w{layer}"] + params[f"b{layer}"]
        cache[f"z{layer}"] = z
        if layer < n_layers:
            a = ACTIVATIONS[activation].function(z)
            cache[f"a{layer}"] = a
    return z, cache


def backward(
    params: Mapping[str, np.ndarray], cache: Mapping[str, object], labels: ArrayLike
) -> Params:
    """Gradients of the mean softmax cross-entropy for every weight and bias.

    Backpropagation: start from ``dL/dz_L = (softmax(z_L) - one_hot) / batch``
    and walk back layer by layer with the chain rule:
    ``dL/dw_l = a_(l-1)ᵀ dL/dz_l``, ``dL/db_l = Σ_batch dL/dz_l``,
    ``dL/da_(l-1) = dL/dz_l w_lᵀ`` and ``dL/dz_(l-1) = dL/da_(l-1) * f'(z_(l-1))``.

    Examples
    --------
    >>> params = init_params([2, 3, 2])
    >>> _, cache = forward(params, np.ones((5, 2)))
    >>> grads = backward(params, cache, np.array([0, 1, 0, 1, 1]))
    >>> {name: grad.shape for name, grad in grads.items()} == {
    ...     name: value.shape for name, value in params.items()
    ... }
    True
    """
    n_layers = len(params) // 2
    derivative = ACTIVATIONS[cache["activation"]].derivative
    dz = losses.softmax_cross_entropy_grad(labels, cache[f"z{n_layers}"])
    grads = {}
    for layer in range(n_layers, 0, -1):
        grads[f"w{layer}"] = cache[f"a{layer - 1}"].T @ dz
        grads[f"b{layer}"] = dz.sum(axis=0)
        if layer > 1:
            dz = (dz @ params[f"w{layer}"].T) * derivative(cache[f"z{layer - 1}"])
    return {name: grads[name] for name in params}


def loss_and_gradients(
    params: Mapping[str, np.ndarray], x: ArrayLike, labels: ArrayLike, activation: str = "relu"
) -> tuple[float, Params]:
    """The mean softmax cross-entropy on a batch and its gradients: forward, then backward.

    Its signature fits :func:`dlguide.optimizers.train`.

    Examples
    --------
    >>> params = init_params([2, 3, 2])
    >>> loss, grads = loss_and_gradients(params, np.ones((1, 2)), np.array([1]))
    >>> round(loss, 4), grads["w1"].shape
    (0.483, (2, 3))
    >>> loss_and_gradients(params, np.ones((1, 2)), np.array([2]))
    Traceback (most recent call last):
    ...
    ValueError: labels must lie in [0, 1] for 2 classes, got values from 2 to 2
    """
    logits, cache = forward(params, x, activation)
    return losses.softmax_cross_entropy(labels, logits), backward(params, cache, labels)


def predict_proba(
    params: Mapping[str, np.ndarray], x: ArrayLike, activation: str = "relu"
) -> np.ndarray:
    """Class probabilities ``softmax(logits)``, shape ``[batch, n_classes]``.

    Examples
    --------
    >>> predict_proba(init_params([2, 3, 2]), np.zeros((1, 2)))  # zero biases: even odds
    array([[0.5, 0.5]])
    """
    logits, _ = forward(params, x, activation)
    return losses.softmax(logits)
