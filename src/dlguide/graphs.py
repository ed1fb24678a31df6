"""Looking inside the dataflow graph that ``tf.function`` traces.

A traced function's graph is a list of operations (the nodes); each operation
reads tensors produced by other operations and produces tensors of its own (the
edges). These helpers list both and draw the graph with Matplotlib, so no
Graphviz is needed.
"""

from __future__ import annotations

import tensorflow as tf
from matplotlib.figure import Figure

from dlguide.plotting import new_figure

__all__ = ["draw_graph", "graph_edges", "graph_table"]


def graph_edges(concrete_function: object) -> list[tuple[str, str, str]]:
    """The edges of a traced graph: ``(producer op, consumer op, tensor)`` name triples.

    One triple per input of every operation, in the order TensorFlow created the
    operations. ``concrete_function`` comes from ``f.get_concrete_function(...)``
    for a ``tf.function`` ``f``.

    Examples
    --------
    >>> f = tf.function(lambda x: tf.nn.relu(2.0 * x), autograph=False)
    >>> for edge in graph_edges(f.get_concrete_function(tf.TensorSpec([3]))):
    ...     print(edge)
    ('mul/x', 'mul', 'mul/x:0')
    ('x', 'mul', 'x:0')
    ('mul', 'Relu', 'mul:0')
    ('Relu', 'Identity', 'Relu:0')
    """
    return [
        (tensor.op.name, op.name, tensor.name)
        for op in concrete_function.graph.get_operations()
        for tensor in op.inputs
    ]


def graph_table(concrete_function: object) -> list[dict[str, str]]:
    """One row per operation of a traced graph: name, type, input and output tensors.

    Each row is a dict with keys ``"op"``, ``"type"``, ``"inputs"`` and
    ``"outputs"``; tensors are written as ``name: dtype shape``, several
    separated by commas. Pass the rows to ``pandas.DataFrame`` or print them.

    Examples
    --------
    >>> f = tf.function(lambda x: tf.nn.relu(2.0 * x), autograph=False)
    >>> for row in graph_table(f.get_concrete_function(tf.TensorSpec([3]))):
    ...     print(row["op"], row["type"], "|", row["inputs"], "|", row["outputs"])
    x Placeholder |  | x:0: float32 [3]
    mul/x Const |  | mul/x:0: float32 []
    mul Mul | mul/x:0, x:0 | mul:0: float32 [3]
    Relu Relu | mul:0 | Relu:0: float32 [3]
    Identity Identity | Relu:0 | Identity:0: float32 [3]
    """
    return [
        {
            "op": op.name,
            "type": op.type,
            "inputs": ", ".join(tensor.name for tensor in op.inputs),
            "outputs": ", ".join(_describe(tensor) for tensor in op.outputs),
        }
        for op in concrete_function.graph.get_operations()
    ]


def _describe(tensor: tf.Tensor) -> str:
    """``name: dtype shape`` of a symbolic tensor, with ``None`` for unknown sizes."""
    dims = "unknown" if tensor.shape.rank is None else tensor.shape.as_list()
    return f"{tensor.name}: {tensor.dtype.name} {dims}".replace("None", "?")


def _layers(concrete_function: object) -> dict[str, int]:
    """Depth of every op: 0 for ops without inputs, else one more than its deepest input."""
    depth: dict[str, int] = {}
    for op in concrete_function.graph.get_operations():  # creation order is topological
        depth[op.name] = 1 + max((depth[t.op.name] for t in op.inputs), default=-1)
    return depth


def draw_graph(concrete_function: object, title: str = "") -> Figure:
    """Draw a traced graph: ops as labelled boxes in layers, tensors as arrows.

    Ops without inputs (placeholders for the arguments, constants) form the
    left-most layer; every other op sits one layer to the right of its deepest
    input. Boxes show the op's name and, below it, its type.

    Examples
    --------
    >>> f = tf.function(lambda x: tf.nn.relu(2.0 * x), autograph=False)
    >>> fig = draw_graph(f.get_concrete_function(tf.TensorSpec([3])), title="relu(2x)")
    >>> fig.axes[0].get_title(), len(fig.axes[0].texts)  # 5 op boxes, 4 arrows
    ('relu(2x)', 9)
    """
    depth = _layers(concrete_function)
    columns: dict[int, list[str]] = {}
    for name, layer in depth.items():
        columns.setdefault(layer, []).append(name)
    position = {
        name: (layer, -row + (len(names) - 1) / 2)
        for layer, names in columns.items()
        for row, name in enumerate(names)
    }
    height = max(len(names) for names in columns.values())
    fig = new_figure(2.2 * len(columns) + 0.5, 1.1 * height + 0.8)
    ax = fig.subplots()
    for producer, consumer, _ in graph_edges(concrete_function):
        ax.annotate(
            "",
            xy=position[consumer],
            xytext=position[producer],
            arrowprops={"arrowstyle": "-|>", "color": "0.4", "shrinkA": 28, "shrinkB": 28},
        )
    for op in concrete_function.graph.get_operations():
        ax.text(
            *position[op.name],
            f"{op.name}\n{op.type}",
            ha="center",
            va="center",
            fontsize=8,
            bbox={"boxstyle": "round", "facecolor": "#dbe9f6", "edgecolor": "#3a6ea5"},
        )
    ax.set(xlim=(-0.6, len(columns) - 0.4), ylim=(-height / 2, height / 2), title=title)
    ax.axis("off")
    return fig
