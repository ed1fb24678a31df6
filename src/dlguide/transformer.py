"""The Transformer of Vaswani et al. (2017), small: encodings, blocks, a model and decoding.

Blocks use the original "post-norm" arrangement, ``LayerNorm(x + Sublayer(x))``,
and every tensor of token vectors has shape ``[batch, seq, d_model]``.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from dlguide._validation import (
    check_fraction,
    check_instance,
    check_int,
    check_positive_float,
    check_positive_int,
    check_seed,
)
from dlguide.attention import MultiHeadAttention

__all__ = [
    "DecoderBlock",
    "DecoderOnlyTransformer",
    "EncoderBlock",
    "PositionalEmbedding",
    "Seq2SeqTransformer",
    "greedy_decode",
    "positional_encoding",
    "sample",
]


MAX_ELEMENTS = 50_000_000  # 200 MB of float32: a larger encoding is surely a typo


def positional_encoding(length: int, depth: int) -> tf.Tensor:
    r"""The sinusoidal positional encoding, a ``[length, depth]`` float32 tensor.

    Position :math:`p` and index :math:`i` give
    :math:`PE_{p, 2i} = \sin(p / 10000^{2i/d})` and
    :math:`PE_{p, 2i+1} = \cos(p / 10000^{2i/d})`, with :math:`d` = ``depth``.

    Raises
    ------
    ValueError
        If ``length`` or ``depth`` is not positive, or ``depth`` is odd (sines
        and cosines come in pairs).

    Examples
    --------
    >>> pe = positional_encoding(length=3, depth=4)
    >>> pe.shape, pe.dtype.name
    (TensorShape([3, 4]), 'float32')
    >>> np.round(pe.numpy()[1], 4)  # sin(1), cos(1), sin(0.01), cos(0.01)
    array([0.8415, 0.5403, 0.01  , 1.    ], dtype=float32)
    """
    length, depth = _check_encoding_size(length, depth)
    positions = np.arange(length)[:, np.newaxis]
    frequencies = 1.0 / 10000.0 ** (np.arange(0, depth, 2) / depth)
    angles = positions * frequencies  # [length, depth / 2]
    encoding = np.empty((length, depth))
    encoding[:, 0::2], encoding[:, 1::2] = np.sin(angles), np.cos(angles)
    return tf.constant(encoding, dtype=tf.float32)


def _check_encoding_size(
    length: int, depth: int, names: tuple[str, str] = ("length", "depth")
) -> tuple[int, int]:
    """Check the size of a positional encoding; ``names`` are the caller's argument names."""
    length_name, depth_name = names
    length = check_positive_int(length, length_name)
    depth = check_positive_int(depth, depth_name)
    if length * depth > MAX_ELEMENTS:
        raise ValueError(
            f"{length_name} * {depth_name} must be at most {MAX_ELEMENTS}, got {length * depth}"
        )
    if depth % 2:
        raise ValueError(
            f"{depth_name} must be even (sines and cosines come in pairs), got {depth}"
        )
    return length, depth


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
        super().__init__(**kwargs)
        self.vocab_size = check_positive_int(vocab_size, "vocab_size", maximum=MAX_ELEMENTS)
        self.max_length, self.d_model = _check_encoding_size(
            max_length, d_model, ("max_length", "d_model")
        )
        self.embedding = keras.layers.Embedding(self.vocab_size, self.d_model)
        self.encoding = positional_encoding(self.max_length, self.d_model)

    def call(self, tokens):
        """Embed ``tokens`` ``[batch, seq]`` and add the encoding of positions ``0..seq-1``."""
        length = tf.shape(tokens)[1]
        return self.embedding(tokens) * self.d_model**0.5 + self.encoding[tf.newaxis, :length]


def _token_ids(value: object, name: str, embed: PositionalEmbedding, *, ndim: int) -> np.ndarray:
    """Return ``value`` as an ``ndim``-D int array of ids that ``embed`` can look up, or raise."""
    ids = np.asarray(value)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer token ids, got dtype {ids.dtype}")
    if ids.ndim != ndim or ids.size == 0:
        raise ValueError(f"{name} must be a non-empty {ndim}-D array of ids, got shape {ids.shape}")
    if ids.min() < 0 or ids.max() >= embed.vocab_size:
        raise ValueError(
            f"{name} must lie in [0, {embed.vocab_size - 1}] for a vocabulary of "
            f"{embed.vocab_size}, got values from {ids.min()} to {ids.max()}"
        )
    return ids


def _look_ahead_mask(length: tf.Tensor) -> tf.Tensor:
    """:func:`dlguide.attention.causal_mask` for a length known only when the graph runs."""
    return tf.linalg.band_part(tf.ones([length, length], tf.bool), -1, 0)


def _feed_forward(d_model: int, d_ff: int) -> keras.Sequential:
    """The position-wise feed-forward network: Dense(d_ff, ReLU) then Dense(d_model)."""
    return keras.Sequential(
        [keras.layers.Dense(d_ff, activation="relu"), keras.layers.Dense(d_model)]
    )


class EncoderBlock(keras.layers.Layer):
    """Self-attention then a feed-forward network, each wrapped in dropout, residual and norm.

    Maps ``[batch, seq, d_model]`` to the same shape. ``attention_mask``
    (optional) is a mask for self-attention, e.g. :func:`dlguide.attention.padding_mask`.

    Examples
    --------
    >>> block = EncoderBlock(d_model=8, num_heads=2, d_ff=16)
    >>> block(tf.zeros([2, 5, 8])).shape
    TensorShape([2, 5, 8])
    """

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout: float = 0.1, **kwargs):
        super().__init__(**kwargs)
        self.attention = MultiHeadAttention(d_model, num_heads)
        self.feed_forward = _feed_forward(d_model, check_positive_int(d_ff, "d_ff"))
        self.norm1, self.norm2 = (
            keras.layers.LayerNormalization(),
            keras.layers.LayerNormalization(),
        )
        self.dropout = keras.layers.Dropout(check_fraction(dropout, "dropout"))

    def call(self, x, attention_mask=None, training=False):
        """Return the block's output and keep its attention weights in ``last_attention``."""
        attended, self.last_attention = self.attention(
            x, x, attention_mask=attention_mask, return_attention_scores=True
        )
        x = self.norm1(x + self.dropout(attended, training=training))
        return self.norm2(x + self.dropout(self.feed_forward(x), training=training))


class DecoderBlock(keras.layers.Layer):
    """Causal self-attention, cross-attention to the encoder, then a feed-forward network.

    Maps the target ``x`` ``[batch, seq_t, d_model]`` and the encoder output
    ``context`` ``[batch, seq_s, d_model]`` to ``[batch, seq_t, d_model]``.
    Position ``i`` of the target sees only target positions ``<= i`` but every
    source position.

    Examples
    --------
    >>> block = DecoderBlock(d_model=8, num_heads=2, d_ff=16)
    >>> block(tf.zeros([2, 4, 8]), tf.zeros([2, 6, 8])).shape
    TensorShape([2, 4, 8])
    >>> block.last_cross_attention.shape  # [batch, heads, seq_t, seq_s]
    TensorShape([2, 2, 4, 6])
    """

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout: float = 0.1, **kwargs):
        super().__init__(**kwargs)
        self.self_attention = MultiHeadAttention(d_model, num_heads)
        self.cross_attention = MultiHeadAttention(d_model, num_heads)
        self.feed_forward = _feed_forward(d_model, check_positive_int(d_ff, "d_ff"))
        self.norms = [keras.layers.LayerNormalization() for _ in range(3)]
        self.dropout = keras.layers.Dropout(check_fraction(dropout, "dropout"))

    def call(self, x, context, training=False):
        """Return the block's output; keep both attention weights as ``last_*_attention``."""
        look_ahead = _look_ahead_mask(tf.shape(x)[1])
        attended, self.last_self_attention = self.self_attention(
            x, x, attention_mask=look_ahead, return_attention_scores=True
        )
        x = self.norms[0](x + self.dropout(attended, training=training))
        attended, self.last_cross_attention = self.cross_attention(
            x, context, return_attention_scores=True
        )
        x = self.norms[1](x + self.dropout(attended, training=training))
        return self.norms[2](x + self.dropout(self.feed_forward(x), training=training))


class Seq2SeqTransformer(keras.Model):
    """An encoder-decoder Transformer mapping ``(source, decoder_input)`` to next-token logits.

    Both inputs are token ids ``[batch, seq]``; the output has shape
    ``[batch, seq_t, vocab_size]``. Source and target share one embedding.

    Examples
    --------
    >>> model = Seq2SeqTransformer(vocab_size=11, max_length=8, d_model=16, num_heads=2)
    >>> model((tf.zeros([2, 8], "int32"), tf.zeros([2, 8], "int32"))).shape
    TensorShape([2, 8, 11])
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
        num_layers = check_positive_int(num_layers, "num_layers")
        self.embed = PositionalEmbedding(vocab_size, d_model, max_length)
        self.encoder = [EncoderBlock(d_model, num_heads, d_ff, dropout) for _ in range(num_layers)]
        self.decoder = [DecoderBlock(d_model, num_heads, d_ff, dropout) for _ in range(num_layers)]
        self.to_logits = keras.layers.Dense(vocab_size)

    def call(self, inputs, training=False):
        """Encode ``inputs[0]``, decode ``inputs[1]`` and return logits for every position."""
        source, decoder_input = inputs
        context = self.embed(source)
        for block in self.encoder:
            context = block(context, training=training)
        x = self.embed(decoder_input)
        for block in self.decoder:
            x = block(x, context, training=training)
        return self.to_logits(x)


def greedy_decode(
    model: Seq2SeqTransformer, source: np.ndarray, start_token: int, length: int
) -> np.ndarray:
    """Generate ``length`` tokens per source sequence, each the model's most likely next token.

    Starts every output with ``start_token`` and appends, one step at a time, the
    argmax of the logits at the last position. Returns ``[batch, length]`` ints
    (without the start token).

    Raises
    ------
    TypeError
        If ``source`` does not hold integers.
    ValueError
        If ``source`` is not ``[batch, seq]``, an id lies outside the vocabulary,
        or ``source`` or the output would be longer than the model's ``max_length``.

    Examples
    --------
    >>> model = Seq2SeqTransformer(vocab_size=11, max_length=8, d_model=16, num_heads=2)
    >>> greedy_decode(model, np.zeros((3, 5), int), start_token=10, length=4).shape
    (3, 4)
    """
    model = check_instance(model, Seq2SeqTransformer, "model")
    source = _token_ids(source, "source", model.embed, ndim=2)
    start_token = check_int(start_token, "start_token")
    _token_ids([start_token], "start_token", model.embed, ndim=1)
    longest = model.embed.max_length
    if source.shape[1] > longest:
        raise ValueError(
            f"source must have at most max_length={longest} tokens, got shape {source.shape}"
        )
    length = check_positive_int(length, "length", maximum=longest)
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
        num_layers = check_positive_int(num_layers, "num_layers")
        self.embed = PositionalEmbedding(vocab_size, d_model, max_length)
        self.blocks = [EncoderBlock(d_model, num_heads, d_ff, dropout) for _ in range(num_layers)]
        self.to_logits = keras.layers.Dense(vocab_size)

    def call(self, tokens, training=False):
        """Return next-token logits for every position of ``tokens``."""
        x = self.embed(tokens)
        look_ahead = _look_ahead_mask(tf.shape(tokens)[1])
        for block in self.blocks:
            x = block(x, attention_mask=look_ahead, training=training)
        return self.to_logits(x)


def sample(
    model: DecoderOnlyTransformer,
    prompt: np.ndarray,
    length: int,
    temperature: float = 1.0,
    seed: int = 0,
) -> np.ndarray:
    """Extend the token ids ``prompt`` by ``length`` tokens sampled from the model.

    Each next token is drawn from ``softmax(logits / temperature)`` at the last
    position; the model sees at most its ``max_length`` most recent tokens. Low
    temperatures approach greedy decoding, high ones approach uniform noise.
    Returns the ``length`` new ids.

    Raises
    ------
    TypeError
        If ``prompt`` does not hold integers.
    ValueError
        If ``prompt`` is empty, not one-dimensional or holds an id outside the
        vocabulary, or ``temperature`` is not positive.

    Examples
    --------
    >>> model = DecoderOnlyTransformer(vocab_size=5, max_length=8, d_model=8, num_heads=2)
    >>> sample(model, np.array([1, 2]), length=4, temperature=0.5).shape
    (4,)
    """
    model = check_instance(model, DecoderOnlyTransformer, "model")
    tokens = _token_ids(prompt, "prompt", model.embed, ndim=1)
    length = check_positive_int(length, "length")
    temperature = check_positive_float(temperature, "temperature")
    rng = np.random.default_rng(check_seed(seed))
    last_logits = tf.function(  # one traced graph for every context length
        lambda context: model(context, training=False)[0, -1],
        input_signature=[tf.TensorSpec([1, None], tf.int64)],
    )
    for _ in range(length):
        context = tf.constant(tokens[np.newaxis, -model.embed.max_length :], tf.int64)
        logits = last_logits(context).numpy().astype(np.float64) / temperature
        probabilities = np.exp(logits - logits.max())
        next_id = rng.choice(len(probabilities), p=probabilities / probabilities.sum())
        tokens = np.append(tokens, next_id)
    return tokens[-length:]
