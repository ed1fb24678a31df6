"""Attention: scaled dot-product attention, masks, and a multi-head attention layer.

Shapes follow Keras: queries ``[batch, ..., seq_q, d_k]``, keys
``[batch, ..., seq_k, d_k]``, values ``[batch, ..., seq_k, d_v]``. A mask
broadcasts to the attention weights ``[batch, ..., seq_q, seq_k]``; as in
:class:`keras.layers.MultiHeadAttention`, ``True`` (or 1) means "may attend" and
``False`` (or 0) means "must not attend".
"""

from __future__ import annotations

import keras
import tensorflow as tf

from dlguide._validation import check_attention_inputs

__all__ = [
    "MultiHeadAttention",
    "causal_mask",
    "copy_weights_to_keras",
    "padding_mask",
    "scaled_dot_product_attention",
]

_MASKED_LOGIT = -1e9  # added to the scores of masked positions; exp() of it is exactly 0


def scaled_dot_product_attention(
    query: tf.Tensor, key: tf.Tensor, value: tf.Tensor, mask: tf.Tensor | None = None
) -> tuple[tf.Tensor, tf.Tensor]:
    r"""Attention of Vaswani et al. (2017): :math:`\mathrm{softmax}(QK^\top/\sqrt{d_k})\,V`.

    Parameters
    ----------
    query : tensorflow.Tensor
        Queries, shape ``[batch, ..., seq_q, d_k]``.
    key : tensorflow.Tensor
        Keys, shape ``[batch, ..., seq_k, d_k]``.
    value : tensorflow.Tensor
        Values, shape ``[batch, ..., seq_k, d_v]``.
    mask : tensorflow.Tensor or None
        Booleans or 0/1 that broadcast to ``[batch, ..., seq_q, seq_k]``;
        ``True`` lets a query attend to a key, ``False`` forbids it.

    Returns
    -------
    output : tensorflow.Tensor
        The weighted averages of the values, shape ``[batch, ..., seq_q, d_v]``.
    attention_weights : tensorflow.Tensor
        Shape ``[batch, ..., seq_q, seq_k]``; each row sums to 1.

    Raises
    ------
    TypeError
        If ``query``, ``key`` or ``value`` is not a tensor (or array) of floats.
    ValueError
        If query and key depths differ, key and value lengths differ, or the
        mask does not broadcast to the attention weights.

    Examples
    --------
    >>> import numpy as np
    >>> q = tf.constant([[[1.0, 0.0]]])  # one query
    >>> k = tf.constant([[[1.0, 0.0], [0.0, 1.0]]])  # two keys
    >>> v = tf.constant([[[10.0], [20.0]]])
    >>> output, weights = scaled_dot_product_attention(q, k, v)
    >>> np.round(weights.numpy(), 3)
    array([[[0.67, 0.33]]], dtype=float32)
    >>> _, weights = scaled_dot_product_attention(q, k, v, mask=tf.constant([[[False, True]]]))
    >>> weights.numpy()
    array([[[0., 1.]]], dtype=float32)
    """
    check_attention_inputs(query, key, value, mask)
    scores = tf.matmul(query, key, transpose_b=True)
    scores /= tf.sqrt(tf.cast(tf.shape(key)[-1], scores.dtype))  # divide by sqrt(d_k)
    if mask is not None:
        scores = tf.where(tf.cast(mask, tf.bool), scores, _MASKED_LOGIT)
    attention_weights = tf.nn.softmax(scores, axis=-1)
    return tf.matmul(attention_weights, value), attention_weights


def causal_mask(length: int | tf.Tensor) -> tf.Tensor:
    """The look-ahead mask ``[length, length]``: position ``i`` may attend to ``j <= i``.

    ``length`` may be a tensor known only when a ``tf.function`` graph runs.

    Examples
    --------
    >>> causal_mask(3).numpy().astype(int)
    array([[1, 0, 0],
           [1, 1, 0],
           [1, 1, 1]])
    """
    return tf.linalg.band_part(tf.ones([length, length], tf.bool), -1, 0)  # lower triangle


def padding_mask(tokens: tf.Tensor, pad_id: int = 0) -> tf.Tensor:
    """The padding mask ``[batch, 1, seq]`` for token ids ``[batch, seq]``: True where not padding.

    The middle axis of size 1 broadcasts over the queries, so every query
    ignores the same padded keys.

    Examples
    --------
    >>> padding_mask(tf.constant([[5, 7, 0, 0]])).numpy().astype(int)
    array([[[1, 1, 0, 0]]])
    """
    return tf.not_equal(tokens, pad_id)[:, tf.newaxis, :]


class MultiHeadAttention(keras.layers.Layer):
    """Multi-head attention: ``num_heads`` scaled dot-product attentions side by side.

    Queries, keys and values are projected by ``d_model x d_model`` weight
    matrices, split into ``num_heads`` heads of depth ``d_k = d_model // num_heads``,
    attended with :func:`scaled_dot_product_attention` per head, concatenated
    and projected back to ``d_model``. The call signature follows
    :class:`keras.layers.MultiHeadAttention`: ``layer(query, value, key=None,
    attention_mask=None, return_attention_scores=False)``.

    Parameters
    ----------
    d_model : int
        Width of the inputs and of the output; must be divisible by ``num_heads``.
    num_heads : int
        Number of heads ``h``.

    Raises
    ------
    ValueError
        If ``d_model`` is not divisible by ``num_heads``.

    Examples
    --------
    >>> layer = MultiHeadAttention(d_model=8, num_heads=2)
    >>> x = tf.zeros([3, 5, 8])
    >>> output, scores = layer(x, x, return_attention_scores=True)
    >>> output.shape, scores.shape
    (TensorShape([3, 5, 8]), TensorShape([3, 2, 5, 5]))
    """

    def __init__(self, d_model: int, num_heads: int, **kwargs):
        if d_model % num_heads:
            raise ValueError(
                f"d_model must be divisible by num_heads, got {d_model} and {num_heads}"
            )
        super().__init__(**kwargs)
        self.d_model, self.num_heads = d_model, num_heads
        self.d_k = d_model // num_heads
        self.wq, self.wk, self.wv, self.wo = (
            keras.layers.Dense(d_model, name=name) for name in ("wq", "wk", "wv", "wo")
        )

    def build(self, query_shape, value_shape, key_shape=None):
        """Create the four projections for the given input shapes."""
        key_shape = value_shape if key_shape is None else key_shape
        for dense, shape in [(self.wq, query_shape), (self.wk, key_shape), (self.wv, value_shape)]:
            dense.build(shape)
        self.wo.build((*query_shape[:-1], self.d_model))

    def split_heads(self, x: tf.Tensor) -> tf.Tensor:
        """``[batch, seq, d_model]`` -> ``[batch, num_heads, seq, d_k]``."""
        x = tf.reshape(x, [tf.shape(x)[0], -1, self.num_heads, self.d_k])
        return tf.transpose(x, [0, 2, 1, 3])

    def call(self, query, value, key=None, attention_mask=None, return_attention_scores=False):
        """Attend from ``query`` ``[batch, seq_q, d]`` to ``value`` ``[batch, seq_k, d]``."""
        key = value if key is None else key
        q, k, v = (
            self.split_heads(w(x)) for w, x in [(self.wq, query), (self.wk, key), (self.wv, value)]
        )
        if attention_mask is not None:  # [batch, seq_q, seq_k] -> one copy for all heads
            attention_mask = tf.expand_dims(tf.convert_to_tensor(attention_mask), axis=-3)
        heads, weights = scaled_dot_product_attention(q, k, v, mask=attention_mask)
        heads = tf.transpose(heads, [0, 2, 1, 3])  # [batch, seq_q, num_heads, d_k]
        output = self.wo(tf.reshape(heads, [tf.shape(heads)[0], -1, self.d_model]))
        return (output, weights) if return_attention_scores else output

    def get_config(self) -> dict:
        """The constructor arguments, so Keras can save and reload the layer."""
        return {**super().get_config(), "d_model": self.d_model, "num_heads": self.num_heads}


def copy_weights_to_keras(
    layer: MultiHeadAttention, keras_layer: keras.layers.MultiHeadAttention
) -> None:
    """Copy the weights of our built ``layer`` into a built Keras ``keras_layer``.

    Keras keeps each projection's heads on a separate axis: kernels
    ``[d_model, num_heads, d_k]`` for queries, keys and values and
    ``[num_heads, d_k, d_model]`` for the output. Ours are plain
    ``[d_model, d_model]`` matrices whose columns are grouped by head, so a
    reshape is all the copy needs.

    Raises
    ------
    ValueError
        If the two layers do not have the same number of heads and ``key_dim = d_k``.

    Examples
    --------
    >>> import numpy as np
    >>> ours = MultiHeadAttention(d_model=4, num_heads=2)
    >>> theirs = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    >>> x = tf.ones([1, 3, 4])
    >>> _, _ = ours(x, x), theirs(x, x)
    >>> copy_weights_to_keras(ours, theirs)
    >>> bool(np.allclose(ours(x, x), theirs(x, x), atol=1e-6))
    True
    """
    if (keras_layer.num_heads, keras_layer.key_dim) != (layer.num_heads, layer.d_k):
        raise ValueError(f"keras_layer must have num_heads={layer.num_heads}, key_dim={layer.d_k}")
    heads = [layer.num_heads, layer.d_k]
    copies = []  # (Keras variable, our weights reshaped to its layout)
    for theirs, ours in [
        (keras_layer.query_dense, layer.wq),
        (keras_layer.key_dense, layer.wk),
        (keras_layer.value_dense, layer.wv),
    ]:
        copies.append((theirs.kernel, tf.reshape(ours.kernel, [-1, *heads])))
        copies.append((theirs.bias, tf.reshape(ours.bias, heads)))
    copies.append((keras_layer.output_dense.kernel, tf.reshape(layer.wo.kernel, [*heads, -1])))
    copies.append((keras_layer.output_dense.bias, layer.wo.bias))
    for target, value in copies:
        target.assign(value)
