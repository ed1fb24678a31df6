"""Figures for the book, drawn with Matplotlib during the build.

Every function draws a new figure in ``pyplot`` and returns it, as a
:class:`matplotlib.figure.Figure`. Follow the call with ``plt.show()``, as the
pages do: a script opens a window, a notebook shows the figure once under the
cell. The returned figure can also be saved with ``fig.savefig(...)``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from dlguide.activations import ACTIVATIONS

__all__ = [
    "new_figure",
    "plot_activation_stds",
    "plot_activations",
    "plot_attention",
    "plot_confusion_matrix",
    "plot_decision_boundaries",
    "plot_descent_1d",
    "plot_descent_2d",
    "plot_learning_curves",
    "plot_loss_curves",
    "plot_network",
    "plot_positional_encoding",
]


def new_figure(width: float, height: float) -> Figure:
    """Return a new, empty ``pyplot`` figure of the given size in inches.

    Examples
    --------
    >>> new_figure(4, 3).get_size_inches().tolist()
    [4.0, 3.0]
    """
    return plt.figure(figsize=(width, height), layout="constrained")


def plot_activations(x_min: float = -5.0, x_max: float = 5.0) -> Figure:
    """Plot ReLU, sigmoid and tanh (left) and their derivatives (right).

    Examples
    --------
    >>> fig = plot_activations()
    >>> [ax.get_title() for ax in fig.axes]
    ['Activation functions', 'Their derivatives']
    """
    x = np.linspace(x_min, x_max, 401)
    fig = new_figure(9, 3.5)
    value_ax, grad_ax = fig.subplots(1, 2, sharex=True)
    for name, activation in ACTIVATIONS.items():
        label = "ReLU" if name == "relu" else name
        value_ax.plot(x, activation.function(x), label=label)
        grad_ax.plot(x, activation.derivative(x), label=label)
    for ax, title, ylabel in [
        (value_ax, "Activation functions", "$f(x)$"),
        (grad_ax, "Their derivatives", "$f'(x)$"),
    ]:
        ax.set(title=title, xlabel="$x$", ylabel=ylabel)
        ax.axhline(0, color="0.7", linewidth=0.8)
        ax.grid(alpha=0.3)
        ax.legend()
    return fig


def plot_decision_boundaries(
    x: np.ndarray,
    y: np.ndarray,
    predictors: dict[str, Callable[[np.ndarray], np.ndarray]],
    resolution: int = 200,
) -> Figure:
    """Show each predictor's probability of class 1 over the plane, with the data on top.

    ``x`` has shape ``[n, 2]`` and ``y`` holds labels 0/1. Each predictor maps an
    array of points ``[m, 2]`` to probabilities ``[m]`` or ``[m, 1]``; the 0.5
    contour, the decision boundary, is drawn as a black line.

    Examples
    --------
    >>> x = np.array([[0.0, 0.0], [1.0, 1.0]])
    >>> fig = plot_decision_boundaries(x, np.array([0, 1]), {"x1 > 0.5": lambda p: p[:, 0] > 0.5})
    >>> [ax.get_title() for ax in fig.axes]
    ['x1 > 0.5']
    """
    if np.ndim(x) != 2 or np.shape(x)[1] != 2:
        raise ValueError(f"x must have shape [n, 2], got {np.shape(x)}")
    x = np.asarray(x)
    margin = 0.5
    (x0_min, x1_min), (x0_max, x1_max) = x.min(axis=0) - margin, x.max(axis=0) + margin
    grid0, grid1 = np.meshgrid(
        np.linspace(x0_min, x0_max, resolution), np.linspace(x1_min, x1_max, resolution)
    )
    grid = np.stack([grid0.ravel(), grid1.ravel()], axis=1).astype(np.float32)
    fig = new_figure(4.5 * len(predictors), 4)
    axes = np.atleast_1d(fig.subplots(1, len(predictors), sharey=True))
    for ax, (title, predict) in zip(axes, predictors.items(), strict=True):
        probability = np.asarray(predict(grid), dtype=float).reshape(grid0.shape)
        ax.contourf(
            grid0, grid1, probability, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6
        )
        ax.contour(grid0, grid1, probability, levels=[0.5], colors="black", linewidths=1.5)
        ax.scatter(x[:, 0], x[:, 1], c=y, cmap="RdBu_r", edgecolors="white", linewidths=0.5, s=18)
        ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    return fig


def plot_attention(
    weights: np.ndarray,
    query_labels: list[str] | None = None,
    key_labels: list[str] | None = None,
    titles: list[str] | None = None,
) -> Figure:
    """Draw attention weights as heatmaps: one row per query, one column per key.

    ``weights`` has shape ``[seq_q, seq_k]`` (one map) or ``[n_maps, seq_q, seq_k]``
    (maps side by side, e.g. one per head). Labels name the query and key
    tokens; ``titles`` names each map.

    Examples
    --------
    >>> fig = plot_attention(np.eye(3), key_labels=["a", "b", "c"], titles=["identity"])
    >>> [ax.get_title() for ax in fig.axes[:1]]
    ['identity']
    """
    weights = np.asarray(weights)
    if weights.ndim == 2:
        weights = weights[np.newaxis]
    n_maps, seq_q, seq_k = weights.shape
    titles = [""] * n_maps if titles is None else titles
    fig = new_figure(0.4 * seq_k * n_maps + 1.5, 0.4 * seq_q + 1.2)
    axes = np.atleast_1d(fig.subplots(1, n_maps, sharey=True))
    for ax, weight_map, title in zip(axes, weights, titles, strict=True):
        image = ax.imshow(weight_map, cmap="viridis", vmin=0, vmax=1)
        ax.set(title=title, xlabel="key", xticks=range(seq_k), yticks=range(seq_q))
        if key_labels is not None:
            ax.set_xticklabels(key_labels)
        if query_labels is not None:
            ax.set_yticklabels(query_labels)
    axes[0].set_ylabel("query")
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="attention weight")
    return fig


def plot_positional_encoding(encoding: np.ndarray) -> Figure:
    """Draw a positional encoding ``[length, depth]`` as a heatmap, positions downwards.

    Examples
    --------
    >>> fig = plot_positional_encoding(np.zeros((10, 4)))
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('encoding index $i$', 'position $p$')
    """
    fig = new_figure(7, 3.5)
    ax = fig.subplots()
    image = ax.imshow(encoding, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
    ax.set(
        xlabel="encoding index $i$", ylabel="position $p$", title="Sinusoidal positional encoding"
    )
    fig.colorbar(image, ax=ax, label="value")
    return fig


def plot_learning_curves(history: dict[str, list[float]], metrics: list[str]) -> Figure:
    """Plot training and validation curves per epoch from a Keras ``History.history``.

    Draws one panel per name in ``metrics``, with ``name`` and ``val_name``.

    Examples
    --------
    >>> fig = plot_learning_curves({"loss": [2.0, 1.0], "val_loss": [2.1, 1.2]}, ["loss"])
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['training', 'validation']
    """
    fig = new_figure(4.5 * len(metrics), 3.2)
    axes = np.atleast_1d(fig.subplots(1, len(metrics)))
    for ax, name in zip(axes, metrics, strict=True):
        epochs = np.arange(1, len(history[name]) + 1)
        ax.plot(epochs, history[name], marker="o", label="training")
        if f"val_{name}" in history:
            ax.plot(epochs, history[f"val_{name}"], marker="o", label="validation")
        ax.set(xlabel="epoch", ylabel=name, title=name, xticks=epochs)
        ax.grid(alpha=0.3)
        ax.legend()
    return fig


def plot_confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> Figure:
    """Show how often each true class (row) was predicted as each class (column).

    ``y_true`` and ``y_pred`` hold integer labels in ``0 .. n_classes - 1``,
    both with shape ``[n]``. Correct predictions lie on the diagonal; each cell
    is labelled with its count.

    Examples
    --------
    >>> fig = plot_confusion_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), n_classes=2)
    >>> ax = fig.axes[0]
    >>> ax.get_xlabel(), ax.get_ylabel(), [t.get_text() for t in ax.texts]
    ('predicted class', 'true class', ['1', '0', '1', '1'])
    """
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    fig = new_figure(0.45 * n_classes + 1.5, 0.45 * n_classes + 1.2)
    ax = fig.subplots()
    ax.imshow(counts, cmap="Blues")
    for (row, column), count in np.ndenumerate(counts):
        color = "white" if count > counts.max() / 2 else "black"
        ax.text(column, row, str(count), ha="center", va="center", fontsize=8, color=color)
    ticks = np.arange(n_classes)
    ax.set(xticks=ticks, yticks=ticks, xlabel="predicted class", ylabel="true class")
    return fig


def plot_network(layer_sizes: Sequence[int], weights: Sequence[np.ndarray] | None = None) -> Figure:
    """Draw a fully connected network: a column of neurons per layer, an edge per weight.

    ``layer_sizes`` lists the widths, input first. Without ``weights`` every edge
    is a thin grey line; with ``weights`` (one ``[n_in, n_out]`` array per layer)
    an edge's width grows with ``|w|`` and its colour shows the sign (red
    positive, blue negative).

    Examples
    --------
    >>> fig = plot_network([3, 4, 2])
    >>> fig.axes[0].get_title()
    '3 inputs, 1 hidden layer, 2 outputs: 20 weights'
    """
    sizes = list(layer_sizes)
    if weights is not None:
        largest = max(float(np.max(np.abs(w))) for w in weights) or 1.0
    fig = new_figure(1.8 * len(sizes) + 1, 0.55 * max(sizes) + 1.4)
    ax = fig.subplots()
    heights = [np.linspace(-(n - 1) / 2, (n - 1) / 2, n) for n in sizes]
    for layer, (left, right) in enumerate(itertools.pairwise(heights)):
        for i, j in np.ndindex(len(left), len(right)):
            if weights is None:
                color, width = "0.6", 0.8
            else:
                w = weights[layer][i, j]
                color, width = ("tab:red" if w > 0 else "tab:blue"), 0.3 + 3 * abs(w) / largest
            ax.plot([layer, layer + 1], [left[i], right[j]], color=color, lw=width, zorder=1)
    names = ["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"]
    for layer, (y, name) in enumerate(zip(heights, names, strict=True)):
        ax.scatter(np.full(len(y), layer), y, s=350, c="white", edgecolors="black", zorder=2)
        ax.text(layer, -max(sizes) / 2 - 0.4, name, ha="center", va="top")
    n_hidden = len(sizes) - 2
    n_weights = sum(a * b for a, b in itertools.pairwise(sizes))
    ax.set_title(
        f"{sizes[0]} inputs, {n_hidden} hidden layer{'s' * (n_hidden != 1)}, "
        f"{sizes[-1]} outputs: {n_weights} weights"
    )
    ax.set(xlim=(-0.5, len(sizes) - 0.5), ylim=(-max(sizes) / 2 - 1.1, max(sizes) / 2 + 0.2))
    ax.axis("off")
    return fig


def plot_loss_curves(
    curves: Mapping[str, Sequence[float]], xlabel: str = "epoch", log_scale: bool = True
) -> Figure:
    """Plot one loss curve per entry of ``curves`` against its step number (from 1).

    Examples
    --------
    >>> fig = plot_loss_curves({"full batch": [1.0, 0.5], "mini-batch": [0.8, 0.2]})
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['full batch', 'mini-batch']
    """
    fig, ax = _plot_numbered_series(curves)
    ax.set(xlabel=xlabel, ylabel="loss", yscale="log" if log_scale else "linear")
    return fig


def _plot_numbered_series(
    series: Mapping[str, Sequence[float]], **style: object
) -> tuple[Figure, Axes]:
    """One labelled line per entry of ``series``, against 1, 2, ..."""
    fig = new_figure(6, 3.5)
    ax = fig.subplots()
    for label, values in series.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=label, **style)
    ax.grid(alpha=0.3)
    ax.legend()
    return fig, ax


def plot_descent_1d(
    f: Callable[[np.ndarray], np.ndarray], paths: Mapping[str, np.ndarray]
) -> Figure:
    """One panel per gradient-descent path on a function of one variable.

    Each entry of ``paths`` is an array of the visited points (as returned by
    :func:`dlguide.optimizers.gradient_descent`); they are drawn on the curve
    of ``f``, joined in order, from light (start) to dark (end).

    Examples
    --------
    >>> fig = plot_descent_1d(lambda x: x**2, {"η = 0.1": np.array([2.0, 1.6, 1.28])})
    >>> [ax.get_title() for ax in fig.axes]
    ['η = 0.1']
    """
    paths = {name: np.ravel(path) for name, path in paths.items()}
    reach = max(float(np.max(np.abs(p))) for p in paths.values()) * 1.1
    grid = np.linspace(-reach, reach, 300)
    fig = new_figure(3.4 * len(paths), 3.2)
    axes = np.atleast_1d(fig.subplots(1, len(paths), sharey=True))
    for ax, (title, path) in zip(axes, paths.items(), strict=True):
        ax.plot(grid, f(grid), color="0.5")
        ax.plot(path, f(path), color="black", lw=0.8)
        ax.scatter(path, f(path), c=np.arange(len(path)), cmap="viridis_r", zorder=3, s=25)
        ax.set(title=title, xlabel="$x$", ylabel="$f(x)$")
    return fig


def plot_descent_2d(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    paths: Mapping[str, np.ndarray],
    limits: tuple[float, float, float, float] = (-2.0, 2.0, -2.0, 2.0),
) -> Figure:
    """Paths of optimizers over the contour lines of a function of two variables.

    ``f(x1, x2)`` must work element-wise on grids; each path is an array of
    points ``[steps + 1, 2]``. ``limits`` is ``(x1_min, x1_max, x2_min, x2_max)``.

    Examples
    --------
    >>> path = np.array([[1.0, 1.0], [0.5, 0.2], [0.0, 0.0]])
    >>> fig = plot_descent_2d(lambda a, b: a**2 + b**2, {"SGD": path})
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['SGD']
    """
    x1_min, x1_max, x2_min, x2_max = limits
    grid1, grid2 = np.meshgrid(np.linspace(x1_min, x1_max, 200), np.linspace(x2_min, x2_max, 200))
    fig = new_figure(6, 4.5)
    ax = fig.subplots()
    ax.contour(grid1, grid2, f(grid1, grid2), levels=20, colors="0.75", linewidths=0.7)
    for label, path in paths.items():
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=3, label=label)
    ax.set(xlabel="$w_1$", ylabel="$w_2$", xlim=(x1_min, x1_max), ylim=(x2_min, x2_max))
    ax.legend()
    return fig


def plot_activation_stds(stds: Mapping[str, Sequence[float]]) -> Figure:
    """Standard deviation of the activations layer by layer, one line per setting.

    Examples
    --------
    >>> fig = plot_activation_stds({"He": [1.0, 0.9, 1.1], "std 0.01": [0.1, 0.01, 0.001]})
    >>> fig.axes[0].get_yscale()
    'log'
    """
    fig, ax = _plot_numbered_series(stds, marker="o", markersize=3)
    ax.set(xlabel="hidden layer", ylabel="std of activations", yscale="log")
    return fig
