"""Gradient descent and its refinements, in NumPy.

Parameters are a dict of arrays, such as ``{"w1": ..., "b1": ...}``, and so
are their gradients. Each optimizer's ``update`` method returns new parameters and
leaves the arrays it was given unchanged. The update rules are written exactly
as :mod:`keras.optimizers` computes them, so the two can be compared step by step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["SGD", "Adam", "Momentum", "gradient_descent", "minibatches", "train"]

Params = dict[str, np.ndarray]


class SGD:
    """Plain (stochastic) gradient descent: ``w ← w - learning_rate * g``.

    Examples
    --------
    >>> SGD(learning_rate=0.1).update({"w": np.array([1.0])}, {"w": np.array([2.0])})
    {'w': array([0.8])}
    """

    def __init__(self, learning_rate: float = 0.01) -> None:
        self.learning_rate = learning_rate

    def update(self, params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> Params:
        """Return the parameters after one step against ``grads``."""
        return {name: params[name] - self.learning_rate * grads[name] for name in params}


class Momentum:
    """Gradient descent with momentum, as ``keras.optimizers.SGD(momentum=...)``.

    A velocity accumulates past steps, ``v ← momentum * v - learning_rate * g``,
    and the parameters move by it, ``w ← w + v`` (Polyak's heavy ball, in the
    form of Sutskever et al. 2013). Steps along a consistent direction grow up
    to ``1 / (1 - momentum)`` times; steps that flip sign cancel.

    Examples
    --------
    >>> opt = Momentum(learning_rate=0.1, momentum=0.9)
    >>> params, grads = {"w": np.array([0.0])}, {"w": np.array([1.0])}
    >>> params = opt.update(params, grads)  # v = -0.1
    >>> opt.update(params, grads)  # v = 0.9 * -0.1 - 0.1 = -0.19
    {'w': array([-0.29])}
    """

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.9) -> None:
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.velocity: Params = {}

    def update(self, params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> Params:
        """Return the parameters after one step; remembers the velocity for the next."""
        new_params = {}
        for name, value in params.items():
            velocity = self.velocity.get(name, np.zeros_like(value))
            velocity = self.momentum * velocity - self.learning_rate * grads[name]
            self.velocity[name] = velocity
            new_params[name] = value + velocity
        return new_params


class Adam:
    """Adam (Kingma & Ba 2015), written as ``keras.optimizers.Adam`` computes it.

    Running averages of the gradient and of its square,
    ``m ← β1 m + (1 - β1) g`` and ``v ← β2 v + (1 - β2) g²``, give each
    parameter its own step size. At step ``t`` the bias-corrected update is
    ``w ← w - alpha_t m / (√v + ε)`` with ``alpha_t = learning_rate √(1 - β2^t) / (1 - β1^t)``,
    the efficient form given at the end of the paper's Section 2 (and used by
    Keras); ``epsilon`` defaults to Keras's 1e-7.

    Examples
    --------
    >>> opt = Adam(learning_rate=0.1)
    >>> opt.update({"w": np.array([1.0, 1.0])}, {"w": np.array([5.0, 0.01])})["w"].round(4)
    array([0.9, 0.9])
    """

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ) -> None:
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.step = 0
        self.m: Params = {}
        self.v: Params = {}

    def update(self, params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> Params:
        """Return the parameters after one step; remembers ``m``, ``v`` and the step count."""
        self.step += 1
        alpha = (
            self.learning_rate * np.sqrt(1 - self.beta_2**self.step) / (1 - self.beta_1**self.step)
        )
        new_params = {}
        for name, value in params.items():
            g = grads[name]
            m = self.beta_1 * self.m.get(name, np.zeros_like(value)) + (1 - self.beta_1) * g
            v = self.beta_2 * self.v.get(name, np.zeros_like(value)) + (1 - self.beta_2) * g**2
            self.m[name], self.v[name] = m, v
            new_params[name] = value - alpha * m / (np.sqrt(v) + self.epsilon)
        return new_params


def gradient_descent(
    grad: Callable[[np.ndarray], np.ndarray],
    start: ArrayLike,
    learning_rate: float,
    steps: int,
) -> np.ndarray:
    """Follow ``x ← x - learning_rate * grad(x)`` from ``start`` and return every point.

    Returns an array of shape ``[steps + 1, *start.shape]``: the start, then the
    point after each step.

    Examples
    --------
    >>> gradient_descent(lambda x: 2 * x, [1.0], learning_rate=0.25, steps=3).ravel()
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    x = np.asarray(start, dtype=float)
    path = [x]
    for _ in range(steps):
        x = x - learning_rate * np.asarray(grad(x))
        path.append(x)
    return np.stack(path)


def minibatches(n_samples: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Yield index arrays that split a shuffled ``range(n_samples)`` into batches.

    Every index appears exactly once per pass (one epoch); the last batch is
    smaller when ``batch_size`` does not divide ``n_samples``.

    Examples
    --------
    >>> [batch.tolist() for batch in minibatches(5, 2, np.random.default_rng(0))]
    [[2, 4], [3, 0], [1]]
    """
    order = rng.permutation(n_samples)
    for start in range(0, n_samples, batch_size):
        yield order[start : start + batch_size]


def train(
    loss_and_grads: Callable[[Params, np.ndarray, np.ndarray], tuple[float, Params]],
    params: Mapping[str, np.ndarray],
    x: ArrayLike,
    y: ArrayLike,
    optimizer: SGD | Momentum | Adam,
    batch_size: int,
    epochs: int,
    seed: int = 0,
) -> tuple[Params, np.ndarray]:
    """Mini-batch training: for each epoch, one optimizer step per shuffled batch.

    ``loss_and_grads(params, x_batch, y_batch)`` returns the batch loss and the
    gradients. ``batch_size = len(x)`` is full-batch gradient descent;
    ``batch_size = 1`` is the original stochastic gradient descent.

    Returns
    -------
    params : dict
        The trained parameters.
    epoch_losses : numpy.ndarray
        The mean of the batch losses in each epoch, shape ``[epochs]``.

    Examples
    --------
    >>> def squared(params, x, y):  # fit y = w x
    ...     error = x[:, 0] * params["w"] - y
    ...     return float(np.mean(error**2)), {"w": 2 * np.mean(error * x[:, 0])}
    >>> x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])
    >>> params, losses = train(squared, {"w": 0.0}, x, y, SGD(0.1), batch_size=1, epochs=20)
    >>> round(float(params["w"]), 4), bool(losses[-1] < losses[0])
    (2.0, True)
    """
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    x, y = np.asarray(x), np.asarray(y)
    rng = np.random.default_rng(seed)
    epoch_losses = []
    for _ in range(epochs):
        batch_losses = []
        for batch in minibatches(len(x), batch_size, rng):
            loss, grads = loss_and_grads(params, x[batch], y[batch])
            params = optimizer.update(params, grads)
            batch_losses.append(loss)
        epoch_losses.append(np.mean(batch_losses))
    return params, np.array(epoch_losses)
