"""dlguide.mlp: backpropagation equals finite differences, GradientTape and Keras."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlguide import mlp
from dlguide.gradcheck import gradient_check


def random_problem(seed: int):
    """A random network (1 to 3 hidden layers) and batch (size 1 to 6), in float64."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 6, size=rng.integers(3, 6)).tolist()
    sizes[-1] = max(sizes[-1], 2)
    params = mlp.init_params(sizes, seed=seed)
    params = {name: value + 0.1 * rng.normal(size=value.shape) for name, value in params.items()}
    batch = int(rng.integers(1, 7))
    x = rng.normal(size=(batch, sizes[0]))
    labels = rng.integers(0, sizes[-1], size=batch)
    return params, x, labels


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("seed", range(5))
def test_backward_equals_central_differences(seed, activation):
    params, x, labels = random_problem(seed)
    _, grads = mlp.loss_and_gradients(params, x, labels, activation)

    def loss(p):
        return mlp.loss_and_gradients(p, x, labels, activation)[0]

    assert gradient_check(loss, params, grads) < 1e-6


def test_batch_of_one_is_checked_too():
    params = mlp.init_params([3, 4, 2], seed=1)
    x, labels = np.array([[0.5, -1.0, 2.0]]), np.array([1])
    _, grads = mlp.loss_and_gradients(params, x, labels)
    loss = lambda p: mlp.loss_and_gradients(p, x, labels)[0]  # noqa: E731
    assert gradient_check(loss, params, grads) < 1e-6


@pytest.mark.parametrize("seed", range(3))
def test_backward_equals_gradient_tape(seed):
    params, x, labels = random_problem(seed)
    _, grads = mlp.loss_and_gradients(params, x, labels, "tanh")
    variables = {name: tf.Variable(value) for name, value in params.items()}
    n_layers = len(params) // 2
    with tf.GradientTape() as tape:
        a = tf.constant(x)
        for layer in range(1, n_layers + 1):
            a = a @ variables[f"w{layer}"] + variables[f"b{layer}"]
            a = tf.tanh(a) if layer < n_layers else a
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=a)
        )
    tape_grads = tape.gradient(loss, variables)
    for name in params:
        np.testing.assert_allclose(grads[name], tape_grads[name].numpy(), rtol=1e-9, atol=1e-12)


def test_predictions_equal_a_keras_model_with_copied_weights():
    params = mlp.init_params([2, 8, 8, 3], seed=0)
    params = {k: v + 0.1 for k, v in params.items()}
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.set_weights([params[f"{kind}{layer}"] for layer in (1, 2, 3) for kind in "wb"])
    x = np.random.default_rng(1).normal(size=(10, 2)).astype(np.float32)
    np.testing.assert_allclose(mlp.predict_proba(params, x), model(x).numpy(), rtol=1e-5, atol=1e-6)


def test_init_scales_follow_he_and_glorot():
    for scheme, expected in [("he", np.sqrt(2 / 400)), ("glorot", np.sqrt(2 / 600))]:
        w = mlp.init_params([400, 200], scheme=scheme, seed=0)["w1"]
        assert w.std() == pytest.approx(expected, rel=0.02)
    params = mlp.init_params([3, 4], seed=0)
    np.testing.assert_array_equal(params["b1"], np.zeros(4))


def test_init_is_deterministic_for_a_seed():
    a, b = mlp.init_params([2, 3, 2], seed=7), mlp.init_params([2, 3, 2], seed=7)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])


def test_forward_caches_every_layer_with_batch_first_shapes():
    params = mlp.init_params([4, 5, 3, 2])
    logits, cache = mlp.forward(params, np.ones((6, 4)))
    shapes = {name: value.shape for name, value in cache.items() if name != "activation"}
    assert shapes == {
        "a0": (6, 4),
        "z1": (6, 5),
        "a1": (6, 5),
        "z2": (6, 3),
        "a2": (6, 3),
        "z3": (6, 2),
    }
    assert logits is cache["z3"]


def test_input_with_the_wrong_number_of_features_is_rejected():
    with pytest.raises(ValueError, match=r"x must have 2 features, got shape \(5, 3\)"):
        mlp.forward(mlp.init_params([2, 3, 2]), np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"x must have 2 dimensions, got shape \(2,\)"):
        mlp.forward(mlp.init_params([2, 3, 2]), np.ones(2))


def test_dense_names_the_argument_that_does_not_fit():
    with pytest.raises(ValueError, match=r"w must have 2 rows \(the features of x\), got \(3, 4\)"):
        mlp.dense(np.ones((1, 2)), np.ones((3, 4)), np.zeros(4))
    with pytest.raises(ValueError, match=r"x must have 2 dimensions, got shape \(3,\)"):
        mlp.dense(np.ones(3), np.ones((3, 4)), np.zeros(4))
    with pytest.raises(TypeError, match="x must be an array of real numbers, got dtype <U1"):
        mlp.dense(["a"], np.ones((3, 4)), np.zeros(4))


def test_other_mistakes_are_named():
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 1\]"):
        mlp.loss_and_gradients(mlp.init_params([2, 2]), np.ones((1, 2)), np.array([5]))
    with pytest.raises(ValueError, match="layer_sizes must list at least an input and an output"):
        mlp.init_params([2])
    with pytest.raises(ValueError, match="scheme must be 'he', 'glorot'"):
        mlp.init_params([2, 2], scheme="xavier")
