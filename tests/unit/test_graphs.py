"""dlguide.graphs: the ops and tensors of a traced function, listed and drawn."""

from __future__ import annotations

import tensorflow as tf

from dlguide.graphs import draw_graph, graph_edges, graph_table


@tf.function
def affine_relu(x, w):
    return tf.nn.relu(tf.matmul(x, w) + 1.0)


def traced():
    return affine_relu.get_concrete_function(tf.TensorSpec([None, 3]), tf.TensorSpec([3, 2]))


def test_table_lists_every_op_with_its_type_and_tensors():
    rows = {row["op"]: row for row in graph_table(traced())}
    assert [rows[name]["type"] for name in ["x", "w", "MatMul", "add", "Relu"]] == [
        "Placeholder",
        "Placeholder",
        "MatMul",
        "AddV2",
        "Relu",
    ]
    assert rows["MatMul"]["inputs"] == "x:0, w:0"
    assert rows["MatMul"]["outputs"] == "MatMul:0: float32 [?, 2]"
    assert rows["x"]["inputs"] == ""


def test_edges_connect_producers_to_consumers_through_named_tensors():
    edges = graph_edges(traced())
    assert ("x", "MatMul", "x:0") in edges
    assert ("w", "MatMul", "w:0") in edges
    assert ("MatMul", "add", "MatMul:0") in edges
    assert ("add", "Relu", "add:0") in edges
    n_inputs = sum(len(op.inputs) for op in traced().graph.get_operations())
    assert len(edges) == n_inputs


def test_drawing_places_each_op_one_layer_after_its_deepest_input():
    ax = draw_graph(traced(), title="affine + relu").axes[0]
    boxes = {t.get_text().split("\n")[0]: t.get_position() for t in ax.texts if t.get_text()}
    assert set(boxes) == {op.name for op in traced().graph.get_operations()}
    assert boxes["x"][0] == boxes["w"][0] == 0
    assert boxes["MatMul"][0] == 1
    assert boxes["add"][0] == 2 and boxes["Relu"][0] == 3
    assert ax.get_title() == "affine + relu"
