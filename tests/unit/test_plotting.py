"""dlguide.plotting: figures are drawn from the functions they claim to show."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlguide import activations
from dlguide.plotting import (
    new_figure,
    plot_activation_stds,
    plot_activations,
    plot_attention,
    plot_confusion_matrix,
    plot_decision_boundaries,
    plot_descent_1d,
    plot_descent_2d,
    plot_learning_curves,
    plot_loss_curves,
    plot_network,
    plot_positional_encoding,
)


def test_each_function_draws_one_new_figure_open_in_pyplot():
    # Open, so that the pages' plt.show() shows it (see dlguide.plotting).
    before = set(plt.get_fignums())
    empty = new_figure(2, 2)
    drawn = plot_activations()
    assert set(plt.get_fignums()) - before == {empty.number, drawn.number}


def test_activation_plot_draws_each_function_and_its_derivative():
    fig = plot_activations(-2, 2)
    values, grads = fig.axes
    for ax, suffix in [(values, ""), (grads, "_grad")]:
        lines = {
            line.get_label(): line
            for line in ax.get_lines()
            if not line.get_label().startswith("_")
        }
        assert set(lines) == {"ReLU", "sigmoid", "tanh"}
        for label, name in [("ReLU", "relu"), ("sigmoid", "sigmoid"), ("tanh", "tanh")]:
            x, y = lines[label].get_data()
            assert x[0] == -2 and x[-1] == 2
            np.testing.assert_allclose(y, getattr(activations, name + suffix)(x))


def test_decision_boundary_plot_has_one_panel_per_predictor_with_the_data():
    x = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    y = np.array([0, 1, 1])
    fig = plot_decision_boundaries(
        x, y, {"left": lambda p: p[:, 0] < 0.5, "top": lambda p: p[:, 1] > 0.5}, resolution=20
    )
    assert [ax.get_title() for ax in fig.axes] == ["left", "top"]
    for ax in fig.axes:
        np.testing.assert_array_equal(ax.collections[-1].get_offsets(), x)


@pytest.mark.parametrize(
    ("x", "y", "predictors", "message"),
    [
        (np.zeros((3, 3)), np.zeros(3), {"p": len}, r"x must have shape \[n, 2\], got \(3, 3\)"),
        (np.zeros(3), np.zeros(3), {"p": len}, r"x must have shape \[n, 2\], got \(3,\)"),
    ],
)
def test_decision_boundary_plot_rejects_bad_input(x, y, predictors, message):
    with pytest.raises(ValueError, match=message):
        plot_decision_boundaries(x, y, predictors)


def test_attention_heatmaps_show_each_map_with_its_labels():
    weights = np.random.default_rng(0).dirichlet(np.ones(4), size=(2, 3))  # [2 maps, 3, 4]
    fig = plot_attention(weights, query_labels=["a", "b", "c"], titles=["h1", "h2"])
    first, second = fig.axes[:2]
    np.testing.assert_array_equal(first.get_images()[0].get_array(), weights[0])
    np.testing.assert_array_equal(second.get_images()[0].get_array(), weights[1])
    assert [t.get_text() for t in first.get_yticklabels()] == ["a", "b", "c"]
    assert (first.get_title(), second.get_title()) == ("h1", "h2")


def test_positional_encoding_plot_shows_the_encoding():
    encoding = np.linspace(-1, 1, 12).reshape(3, 4)
    fig = plot_positional_encoding(encoding)
    np.testing.assert_array_equal(fig.axes[0].get_images()[0].get_array(), encoding)


def test_learning_curves_plot_the_history():
    history = {"loss": [3.0, 2.0, 1.0], "val_loss": [3.5, 2.5, 1.5]}
    fig = plot_learning_curves(history, ["loss"])
    training, validation = fig.axes[0].get_lines()
    assert training.get_ydata().tolist() == history["loss"]
    assert validation.get_ydata().tolist() == history["val_loss"]


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 2, 0])
    image = plot_confusion_matrix(y_true, y_pred, n_classes=3).axes[0].images[0]
    np.testing.assert_array_equal(image.get_array(), [[1, 1, 0], [0, 1, 0], [1, 0, 2]])


def test_network_plot_draws_one_edge_per_weight_and_one_node_per_neuron():
    fig = plot_network([3, 4, 2])
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 3 * 4 + 4 * 2
    assert sum(len(c.get_offsets()) for c in ax.collections) == 3 + 4 + 2
    assert [t.get_text() for t in ax.texts] == ["input", "hidden 1", "output"]


def test_network_plot_shows_weight_sign_as_colour_and_size_as_width():
    weights = [np.array([[2.0, -1.0]]), np.array([[0.5], [-0.5]])]
    lines = plot_network([1, 2, 1], weights).axes[0].get_lines()
    assert [line.get_color() for line in lines] == ["tab:red", "tab:blue", "tab:red", "tab:blue"]
    widths = [line.get_linewidth() for line in lines]
    assert widths[0] == max(widths) and widths[2] == widths[3] < widths[1]


def test_curve_plots_draw_the_values_they_are_given():
    fig = plot_loss_curves({"a": [3.0, 2.0, 1.0]})
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_ydata(), [3.0, 2.0, 1.0])
    fig = plot_activation_stds({"He": [1.0, 0.5]})
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_xdata(), [1, 2])
    path = np.array([[1.0, 1.0], [0.0, 0.5]])
    line = plot_descent_2d(lambda a, b: a**2 + b**2, {"p": path}).axes[0].get_lines()[0]
    np.testing.assert_array_equal(line.get_xydata(), path)
    fig = plot_descent_1d(lambda x: x**2, {"a": np.array([2.0, 1.0]), "b": np.array([1.0])})
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    np.testing.assert_array_equal(fig.axes[0].get_lines()[1].get_ydata(), [4.0, 1.0])
