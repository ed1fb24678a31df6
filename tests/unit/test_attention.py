"""dlguide.attention: attention against a NumPy reference, masks, gradients, and Keras."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlguide.attention import (
    MultiHeadAttention,
    causal_mask,
    copy_weights_to_keras,
    padding_mask,
    scaled_dot_product_attention,
)


def numpy_attention(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights


@pytest.fixture
def qkv():
    rng = np.random.default_rng(0)
    return (
        rng.normal(size=(2, 3, 4, 8)),
        rng.normal(size=(2, 3, 5, 8)),
        rng.normal(size=(2, 3, 5, 6)),
    )


def test_attention_matches_a_numpy_reference(qkv):
    output, weights = scaled_dot_product_attention(*qkv)
    expected_output, expected_weights = numpy_attention(*qkv)
    assert output.shape == (2, 3, 4, 6)
    np.testing.assert_allclose(output.numpy(), expected_output, atol=1e-12)
    np.testing.assert_allclose(weights.numpy(), expected_weights, atol=1e-12)
    np.testing.assert_allclose(weights.numpy().sum(axis=-1), 1.0, atol=1e-12)


def test_masked_keys_get_exactly_zero_weight(qkv):
    mask = np.random.default_rng(1).random((2, 1, 4, 5)) > 0.4
    mask[..., 0] = True  # every query may attend somewhere
    output, weights = scaled_dot_product_attention(*qkv, mask=mask)
    expected_output, expected_weights = numpy_attention(*qkv, mask=mask)
    assert np.all(weights.numpy()[np.broadcast_to(~mask, weights.shape)] == 0.0)
    np.testing.assert_allclose(weights.numpy(), expected_weights, atol=1e-12)
    np.testing.assert_allclose(output.numpy(), expected_output, atol=1e-12)


def test_integer_mask_means_the_same_as_boolean(qkv):
    mask = causal_mask(5).numpy()[:4]
    _, with_bools = scaled_dot_product_attention(*qkv, mask=mask)
    _, with_ints = scaled_dot_product_attention(*qkv, mask=mask.astype(np.int32))
    np.testing.assert_array_equal(with_bools.numpy(), with_ints.numpy())


def test_causal_mask_hides_the_future():
    x = tf.random.stateless_normal([1, 6, 4], seed=[0, 0])
    _, weights = scaled_dot_product_attention(x, x, x, mask=causal_mask(6))
    assert np.all(np.triu(weights.numpy()[0], k=1) == 0.0)
    assert weights.numpy()[0, 0, 0] == pytest.approx(1.0)


def test_padding_mask_marks_non_pad_tokens():
    mask = padding_mask(tf.constant([[3, 4, 0], [0, 1, 2]]))
    assert mask.shape == (2, 1, 3)
    assert mask.numpy()[:, 0].tolist() == [[True, True, False], [False, True, True]]


def test_gradients_reach_queries_keys_and_values(qkv):
    q, k, v = (tf.Variable(t) for t in qkv)
    with tf.GradientTape() as tape:
        output, _ = scaled_dot_product_attention(q, k, v)
        loss = tf.reduce_sum(output**2)
    for gradient in tape.gradient(loss, [q, k, v]):
        assert np.all(np.isfinite(gradient.numpy()))
        assert np.abs(gradient.numpy()).max() > 1e-3


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    q, k, v = rng.normal(size=(1, 2, 3)), rng.normal(size=(1, 4, 3)), rng.normal(size=(1, 4, 2))

    def loss(query):
        return float(np.sum(numpy_attention(query, k, v)[0] ** 2))

    query = tf.Variable(q)
    with tf.GradientTape() as tape:
        output, _ = scaled_dot_product_attention(query, k, v)
        total = tf.reduce_sum(output**2)
    analytic = tape.gradient(total, query).numpy()
    eps, numeric = 1e-6, np.zeros_like(q)
    for index in np.ndindex(q.shape):
        step = np.zeros_like(q)
        step[index] = eps
        numeric[index] = (loss(q + step) - loss(q - step)) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, atol=1e-7)


def test_mismatched_query_and_key_depths_are_rejected():
    with pytest.raises(ValueError, match="query and key must have the same depth, got 4 and 3"):
        scaled_dot_product_attention(tf.zeros([1, 2, 4]), tf.zeros([1, 2, 3]), tf.zeros([1, 2, 3]))


def test_mismatched_key_and_value_lengths_are_rejected():
    with pytest.raises(ValueError, match="key and value must have the same length, got 2 and 5"):
        scaled_dot_product_attention(tf.zeros([1, 2, 4]), tf.zeros([1, 2, 4]), tf.zeros([1, 5, 4]))


def test_mask_that_does_not_broadcast_is_rejected():
    x = tf.zeros([2, 3, 4])
    with pytest.raises(ValueError, match=r"mask of shape \(3, 2\) does not broadcast"):
        scaled_dot_product_attention(x, x, x, mask=tf.ones([3, 2], tf.bool))


def test_heads_must_divide_the_model_width():
    with pytest.raises(ValueError, match="d_model must be divisible by num_heads, got 10 and 4"):
        MultiHeadAttention(d_model=10, num_heads=4)


def keras_twin(layer, query, value):
    keras_layer = keras.layers.MultiHeadAttention(num_heads=layer.num_heads, key_dim=layer.d_k)
    keras_layer(query, value)
    copy_weights_to_keras(layer, keras_layer)
    return keras_layer


@pytest.mark.parametrize("masked", [False, True])
def test_attention_matches_keras_multihead(masked):
    keras.utils.set_random_seed(0)
    query = tf.random.normal([4, 6, 16])
    value = tf.random.normal([4, 9, 16])
    mask = tf.random.uniform([4, 6, 9]) > 0.3 if masked else None
    ours = MultiHeadAttention(d_model=16, num_heads=4)
    ours(query, value)
    theirs = keras_twin(ours, query, value)
    output, scores = ours(query, value, attention_mask=mask, return_attention_scores=True)
    expected, expected_scores = theirs(
        query, value, attention_mask=mask, return_attention_scores=True
    )
    np.testing.assert_allclose(output.numpy(), expected.numpy(), atol=1e-5)
    np.testing.assert_allclose(scores.numpy(), expected_scores.numpy(), atol=1e-5)


def test_multihead_gradients_flow_to_every_weight():
    layer = MultiHeadAttention(d_model=8, num_heads=2)
    x = tf.random.stateless_normal([2, 5, 8], seed=[1, 2])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x, x) ** 2)
    gradients = tape.gradient(loss, layer.trainable_variables)
    assert len(gradients) == 8
    assert all(np.abs(g.numpy()).max() > 0 for g in gradients)


def test_copy_rejects_a_keras_layer_of_another_shape():
    ours = MultiHeadAttention(d_model=8, num_heads=2)
    theirs = keras.layers.MultiHeadAttention(num_heads=4, key_dim=2)
    with pytest.raises(ValueError, match="keras_layer must have num_heads=2, key_dim=4"):
        copy_weights_to_keras(ours, theirs)
