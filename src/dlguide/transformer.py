"""The Transformer of Vaswani et al. (2017), small: encodings, blocks, a model and decoding.

Blocks use the original "post-norm" arrangement, ``LayerNorm(x + Sublayer(x))``,
and every tensor of token vectors has shape ``[batch, seq, d_model]``.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from dlguide.attention import MultiHeadAttention, causal_mask

__all__ = [
    "DecoderBlock",
    "DecoderOnlyTransformer",
    "EncoderBlock",
    "PositionalEmbedding",
    "Seq2SeqTransformer",
    "greedy_decode",
    "next_token_distribution",
    "positional_encoding",
    "sample",
]


def positional_encoding(length: int, depth: int) -> tf.Tensor:
    r"""The sinusoidal positional encoding, a ``[length, depth]`` float32 tensor.

    Position :math:`p` and index :math:`i` give
    :math:`PE_{p, 2i} = \sin(p / 10000^{2i/d})` and
    :math:`PE_{p, 2i+1} = \cos(p / 10000^{2i/d})`, with :math:`d` = ``depth``.

    Raises
    ------
    ValueError
        If ``depth`` is odd (sines and cosines come in pairs).

    Examples
    --------
    >>> pe = positional_encoding(length=3, depth=4)
    >>> pe.shape, pe.dtype.name
    (TensorShape([3, 4]), 'float32')
    >>> np.round(pe.numpy()[1], 4)  # sin(1), cos(1), sin(0.01), cos(0.01)
    array([0.8415, 0.5403, 0.01  , 1.    ], dtype=float32)
    """
    if depth % 2:
        raise ValueError(f"depth must be even (sines and cosines come in pairs), got {depth}")
    positions = np.arange(length)[:, np.newaxis]
    frequencies = 1.0 / 10000.0 ** (np.arange(0, depth, 2) / depth)
    angles = positions * frequencies  # [length, depth / 2]
    encoding = np.empty((length, depth))
    encoding[:, 0::2], encoding[:, 1::2] = np.sin(angles), np.cos(angles)
    return tf.constant(encoding, dtype=tf.float32)


class PositionalEmbedding(keras.layers.Layer):
    r"""Token embeddings scaled by :math:`\sqrt{d_{model}}` plus the sinusoidal encoding.

    Maps token ids ``[batch, seq]`` to vectors ``[batch, seq, d_model]``.

    Examples
    --------
    >>> embed = PositionalEmbedding(vocab_size=11, d_model=8, max_length=20)
    >>> embed(tf.constant([[1, 2, 3]])).shape
    TensorShape([1, 3, 8])
    >>> PositionalEmbedding(vocab_size=11, d_model=7, max_length=20)
    Traceback (most recent call last):
    ...
    ValueError: d_model must be even (sines and cosines come in pairs), got 7
    """

    def __init__(self, vocab_size: int, d_model: int, max_length: int, **kwargs):
        if d_model % 2:
            raise ValueError(
                f"d_model must be even (sines and cosines come in pairs), got {d_model}"
            )
        super().__init__(**kwargs)
        self.vocab_size, self.max_length, self.d_model = vocab_size, max_length, d_model
        self.embedding = keras.layers.Embedding(self.vocab_size, self.d_model)
        self.encoding = positional_encoding(self.max_length, self.d_model)

    def call(self, tokens):
        """Embed ``tokens`` ``[batch, seq]`` and add the encoding of positions ``0..seq-1``."""
        length = tf.shape(tokens)[1]
        return self.embedding(tokens) * self.d_model**0.5 + self.encoding[tf.newaxis, :length]


def _feed_forward(d_model: int, d_ff: int) -> keras.Sequential:
    """The position-wise feed-forward network: Dense(d_ff, ReLU) then Dense(d_model)."""
    return keras.Sequential(
        [keras.layers.Dense(d_ff, activation="relu"), keras.layers.Dense(d_model)]
    )


class EncoderBlock(keras.layers.Layer):
    """Self-attention then a feed-forward network, each wrapped in dropout, residual and norm.

    Maps ``[batch, seq, d_model]`` to the same shape. ``attention_mask``
    (optional) is a mask for self-attention, e.g. :func:`dlguide.attention.padding_mask`.
    With ``return_attention_scores=True`` the call returns ``(output, scores)``, the
    self-attention weights ``[batch, heads, seq, seq]`` as the second item, as
    :class:`keras.layers.MultiHeadAttention` does.

    Examples
    --------
    >>> block = EncoderBlock(d_model=8, num_heads=2, d_ff=16)
    >>> block(tf.zeros([2, 5, 8])).shape
    TensorShape([2, 5, 8])
    >>> _, scores = block(tf.zeros([2, 5, 8]), return_attention_scores=True)
    >>> scores.shape  # [batch, heads, seq, seq]
    TensorShape([2, 2, 5, 5])
    """

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout: float = 0.1, **kwargs):
        super().__init__(**kwargs)
        self.attention = MultiHeadAttention(d_model, num_heads)
        self.feed_forward = _feed_forward(d_model, d_ff)
        self.norm1, self.norm2 = (
            keras.layers.LayerNormalization(),
            keras.layers.LayerNormalization(),
        )
        self.dropout = keras.layers.Dropout(dropout)

    def call(self, x, attention_mask=None, training=False, return_attention_scores=False):
        """Return the block's output (and its self-attention weights, if asked)."""
        attended, scores = self.attention(
            x, x, attention_mask=attention_mask, return_attention_scores=True
        )
        x = self.norm1(x + self.dropout(attended, training=training))
        x = self.norm2(x + self.dropout(self.feed_forward(x), training=training))
        return (x, scores) if return_attention_scores else x


class DecoderBlock(keras.layers.Layer):
    """Causal self-attention, cross-attention to the encoder, then a feed-forward network.

    Maps the target ``x`` ``[batch, seq_t, d_model]`` and the encoder output
    ``context`` ``[batch, seq_s, d_model]`` to ``[batch, seq_t, d_model]``.
    Position ``i`` of the target sees only target positions ``<= i`` but every
    source position. With ``return_attention_scores=True`` the call returns
    ``(output, self_scores, cross_scores)``: the causal self-attention weights
    ``[batch, heads, seq_t, seq_t]`` and the cross-attention weights
    ``[batch, heads, seq_t, seq_s]``.

    Examples
    --------
    >>> block = DecoderBlock(d_model=8, num_heads=2, d_ff=16)
    >>> block(tf.zeros([2, 4, 8]), tf.zeros([2, 6, 8])).shape
    TensorShape([2, 4, 8])
    >>> _, self_scores, cross_scores = block(
    ...     tf.zeros([2, 4, 8]), tf.zeros([2, 6, 8]), return_attention_scores=True
    ... )
    >>> self_scores.shape, cross_scores.shape
    (TensorShape([2, 2, 4, 4]), TensorShape([2, 2, 4, 6]))
    """

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout: float = 0.1, **kwargs):
        super().__init__(**kwargs)
        self.self_attention = MultiHeadAttention(d_model, num_heads)
        self.cross_attention = MultiHeadAttention(d_model, num_heads)
        self.feed_forward = _feed_forward(d_model, d_ff)
        self.norms = [keras.layers.LayerNormalization() for _ in range(3)]
        self.dropout = keras.layers.Dropout(dropout)

    def call(self, x, context, training=False, return_attention_scores=False):
        """Return the block's output (and both attention weights, if asked)."""
        attended, self_scores = self.self_attention(
            x, x, attention_mask=causal_mask(tf.shape(x)[1]), return_attention_scores=True
        )
        x = self.norms[0](x + self.dropout(attended, training=training))
        attended, cross_scores = self.cross_attention(x, context, return_attention_scores=True)
        x = self.norms[1](x + self.dropout(attended, training=training))
        x = self.norms[2](x + self.dropout(self.feed_forward(x), training=training))
        return (x, self_scores, cross_scores) if return_attention_scores else x


class Seq2SeqTransformer(keras.Model):
    """An encoder-decoder Transformer mapping ``(source, decoder_input)`` to next-token logits.

    Both inputs are token ids ``[batch, seq]``; the output has shape
    ``[batch, seq_t, vocab_size]``. Source and target share one embedding. With
    ``return_attention_scores=True`` the call returns ``(logits, cross_scores)``,
    a list with the cross-attention weights ``[batch, heads, seq_t, seq_s]`` of
    each decoder block.

    Examples
    --------
    >>> model = Seq2SeqTransformer(vocab_size=11, max_length=8, d_model=16, num_heads=2)
    >>> inputs = (tf.zeros([2, 8], "int32"), tf.zeros([2, 8], "int32"))
    >>> model(inputs).shape
    TensorShape([2, 8, 11])
    >>> _, cross_scores = model(inputs, return_attention_scores=True)
    >>> [scores.shape for scores in cross_scores]  # one decoder block
    [TensorShape([2, 2, 8, 8])]
    """

    def __init__(
        self,
        vocab_size: int,
        max_length: int,
        d_model: int = 32,
        num_heads: int = 2,
        d_ff: int = 64,
        num_layers: int = 1,
        dropout: float = 0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.embed = PositionalEmbedding(vocab_size, d_model, max_length)
        self.encoder = [EncoderBlock(d_model, num_heads, d_ff, dropout) for _ in range(num_layers)]
        self.decoder = [DecoderBlock(d_model, num_heads, d_ff, dropout) for _ in range(num_layers)]
        self.to_logits = keras.layers.Dense(vocab_size)

    def call(self, inputs, training=False, return_attention_scores=False):
        """Encode ``inputs[0]``, decode ``inputs[1]`` and return logits for every position."""
        source, decoder_input = inputs
        context = self.embed(source)
        for block in self.encoder:
            context = block(context, training=training)
        x = self.embed(decoder_input)
        cross_scores = []
        for block in self.decoder:
            x, _, scores = block(x, context, training=training, return_attention_scores=True)
            cross_scores.append(scores)
        logits = self.to_logits(x)
        return (logits, cross_scores) if return_attention_scores else logits


def greedy_decode(
    model: Seq2SeqTransformer, source: np.ndarray, start_token: int, length: int
) -> np.ndarray:
    """Generate ``length`` tokens per source sequence, each the model's most likely next token.

    Starts every output with ``start_token`` and appends, one step at a time, the
    argmax of the logits at the last position. Returns ``[batch, length]`` ints
    (without the start token).

    Raises
    ------
    ValueError
        If ``source`` or the output would be longer than the model's ``max_length``.

    Examples
    --------
    >>> model = Seq2SeqTransformer(vocab_size=11, max_length=8, d_model=16, num_heads=2)
    >>> greedy_decode(model, np.zeros((3, 5), int), start_token=10, length=4).shape
    (3, 4)
    """
    if max(np.shape(source)[1], length) > model.embed.max_length:
        raise ValueError(f"source and length must not exceed max_length={model.embed.max_length}")
    source = np.asarray(source)
    output = np.full((source.shape[0], 1), start_token, dtype=source.dtype)
    for _ in range(length):
        logits = model((source, output), training=False)
        next_token = np.argmax(logits[:, -1].numpy(), axis=-1).astype(source.dtype)
        output = np.concatenate([output, next_token[:, np.newaxis]], axis=1)
    return output[:, 1:]


class DecoderOnlyTransformer(keras.Model):
    """A GPT-style language model: token ids ``[batch, seq]`` to next-token logits.

    A stack of :class:`EncoderBlock` layers whose self-attention is causal, so the
    output at position ``i`` depends only on tokens ``0..i``; there is no
    encoder and no cross-attention. Output shape ``[batch, seq, vocab_size]``.

    Examples
    --------
    >>> model = DecoderOnlyTransformer(vocab_size=20, max_length=16, d_model=16, num_heads=2)
    >>> model(tf.zeros([3, 10], "int32")).shape
    TensorShape([3, 10, 20])
    """

    def __init__(
        self,
        vocab_size: int,
        max_length: int,
        d_model: int = 64,
        num_heads: int = 4,
        d_ff: int = 128,
        num_layers: int = 2,
        dropout: float = 0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.embed = PositionalEmbedding(vocab_size, d_model, max_length)
        self.blocks = [EncoderBlock(d_model, num_heads, d_ff, dropout) for _ in range(num_layers)]
        self.to_logits = keras.layers.Dense(vocab_size)

    def call(self, tokens, training=False):
        """Return next-token logits for every position of ``tokens``."""
        x = self.embed(tokens)
        look_ahead = causal_mask(tf.shape(tokens)[1])
        for block in self.blocks:
            x = block(x, attention_mask=look_ahead, training=training)
        return self.to_logits(x)


def next_token_distribution(
    logits: np.ndarray,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
) -> np.ndarray:
    """The distribution to draw the next token from: ``softmax(logits / temperature)``, truncated.

    ``top_k`` keeps the ``k`` most likely tokens (Fan et al., 2018); ``top_p`` keeps the
    smallest set of most likely tokens whose probabilities add up to at least ``p``,
    the nucleus (Holtzman et al., 2020). With both, the smaller set is kept. The kept
    probabilities are renormalized; the others become 0. ``top_k=1`` is greedy decoding.
    ``logits`` and the result have shape ``[vocab_size]``.

    Raises
    ------
    ValueError
        If ``temperature`` is not positive, ``top_k < 1`` or ``top_p`` is not in ``(0, 1]``.

    Examples
    --------
    >>> logits = np.log([0.5, 0.3, 0.15, 0.05])
    >>> next_token_distribution(logits, top_k=2)
    array([0.625, 0.375, 0.   , 0.   ])
    >>> next_token_distribution(logits, top_p=0.9)  # 0.5 + 0.3 < 0.9 <= 0.5 + 0.3 + 0.15
    array([0.52631579, 0.31578947, 0.15789474, 0.        ])
    >>> next_token_distribution(logits, top_p=0)
    Traceback (most recent call last):
    ...
    ValueError: top_p must be in (0, 1], got 0
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0 (use top_k=1 for greedy), got {temperature}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}")
    logits = np.asarray(logits, dtype=np.float64) / temperature
    probabilities = np.exp(logits - logits.max())
    probabilities /= probabilities.sum()
    order = np.argsort(-probabilities, kind="stable")  # most likely first
    keep = len(order) if top_k is None else top_k
    if top_p is not None:  # the first position where the running total reaches top_p
        keep = min(keep, np.searchsorted(np.cumsum(probabilities[order]), top_p) + 1)
    kept = np.zeros_like(probabilities)
    kept[order[:keep]] = probabilities[order[:keep]]
    return kept / kept.sum()


@tf.function(reduce_retracing=True)
def _last_logits(model: DecoderOnlyTransformer, context: tf.Tensor) -> tf.Tensor:
    """The logits at the last position; traced once per model, reused by every call."""
    return model(context, training=False)[0, -1]


def sample(
    model: DecoderOnlyTransformer,
    prompt: np.ndarray,
    length: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Extend the token ids ``prompt`` by ``length`` tokens sampled from the model.

    Each next token is drawn from :func:`next_token_distribution` of the logits at the
    last position (with ``temperature``, ``top_k`` and ``top_p``); the model sees at
    most its ``max_length`` most recent tokens. Low temperatures approach greedy
    decoding, high ones approach uniform noise. Returns the ``length`` new ids.

    Raises
    ------
    ValueError
        As :func:`next_token_distribution`, for a bad ``temperature``, ``top_k`` or ``top_p``.

    Examples
    --------
    >>> model = DecoderOnlyTransformer(vocab_size=5, max_length=8, d_model=8, num_heads=2)
    >>> sample(model, np.array([1, 2]), length=4, temperature=0.5).shape
    (4,)
    >>> greedy = sample(model, np.array([1, 2]), length=4, top_k=1)
    >>> bool(np.all(greedy == sample(model, np.array([1, 2]), length=4, top_k=1, seed=7)))
    True
    """
    tokens = np.asarray(prompt)
    rng = np.random.default_rng(seed)
    for _ in range(length):
        context = tf.constant(tokens[np.newaxis, -model.embed.max_length :], tf.int64)
        logits = _last_logits(model, context).numpy()
        probabilities = next_token_distribution(logits, temperature, top_k, top_p)
        tokens = np.append(tokens, rng.choice(len(probabilities), p=probabilities))
    return tokens[-length:]
