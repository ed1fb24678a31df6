"""dlguide.transformer: the encoding formula, block shapes and masks, and that it learns."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlguide.tasks import START, VOCAB_SIZE, reversal_task
from dlguide.transformer import (
    DecoderBlock,
    DecoderOnlyTransformer,
    EncoderBlock,
    PositionalEmbedding,
    Seq2SeqTransformer,
    greedy_decode,
    next_token_distribution,
    positional_encoding,
    sample,
)


def test_positional_encoding_follows_the_formula():
    pe = positional_encoding(length=50, depth=16).numpy()
    assert pe.shape == (50, 16)
    assert pe.dtype == np.float32
    for p in [0, 1, 7, 49]:
        for i in range(8):
            angle = p / 10000 ** (2 * i / 16)
            assert pe[p, 2 * i] == pytest.approx(np.sin(angle), abs=1e-6)
            assert pe[p, 2 * i + 1] == pytest.approx(np.cos(angle), abs=1e-6)


def test_shifting_a_position_is_a_rotation_of_each_pair():
    pe = positional_encoding(length=40, depth=8).numpy().astype(np.float64)
    k = 5
    for i in range(4):
        omega = 1 / 10000 ** (2 * i / 8)
        rotation = np.array(
            [[np.cos(k * omega), -np.sin(k * omega)], [np.sin(k * omega), np.cos(k * omega)]]
        )
        pairs = pe[:, 2 * i : 2 * i + 2]
        np.testing.assert_allclose(pairs[:-k] @ rotation, pairs[k:], atol=1e-6)


@pytest.mark.parametrize(
    ("length", "depth", "message"),
    [
        (10, 7, r"depth must be even \(sines and cosines come in pairs\), got 7"),
    ],
)
def test_positional_encoding_rejects_an_odd_depth(length, depth, message):
    with pytest.raises(ValueError, match=message):
        positional_encoding(length, depth)
    with pytest.raises(ValueError, match="d_model must be even"):
        PositionalEmbedding(vocab_size=5, d_model=depth, max_length=length)


def test_embedding_adds_the_encoding_to_scaled_token_vectors():
    embed = PositionalEmbedding(vocab_size=5, d_model=4, max_length=10)
    tokens = tf.constant([[0, 3, 3]])
    vectors = embed(tokens).numpy()[0]
    table = embed.embedding.embeddings.numpy()
    expected = table[[0, 3, 3]] * 2.0 + positional_encoding(3, 4).numpy()
    np.testing.assert_allclose(vectors, expected, atol=1e-6)


def test_encoder_block_keeps_the_shape_and_normalises_each_position():
    block = EncoderBlock(d_model=16, num_heads=4, d_ff=32)
    x = tf.random.stateless_normal([3, 7, 16], seed=[0, 1])
    out, scores = block(x, return_attention_scores=True)
    assert out.shape == (3, 7, 16)
    np.testing.assert_allclose(out.numpy().mean(axis=-1), 0.0, atol=1e-5)
    assert scores.shape == (3, 4, 7, 7)
    np.testing.assert_array_equal(block(x).numpy(), out.numpy())  # same output without scores


def test_encoder_block_respects_a_padding_mask():
    block = EncoderBlock(d_model=8, num_heads=2, d_ff=16)
    mask = tf.constant([[[True, True, False, False]]])
    _, scores = block(tf.zeros([1, 4, 8]), attention_mask=mask, return_attention_scores=True)
    assert np.all(scores.numpy()[..., 2:] == 0.0)


def test_decoder_position_does_not_depend_on_later_targets():
    block = DecoderBlock(d_model=8, num_heads=2, d_ff=16)
    context = tf.random.stateless_normal([1, 5, 8], seed=[0, 2])
    x = tf.random.stateless_normal([1, 4, 8], seed=[0, 3]).numpy()
    changed = x.copy()
    changed[0, 3] += 10.0  # change only the last target position
    before, self_scores, cross_scores = block(tf.constant(x), context, return_attention_scores=True)
    before, after = before.numpy(), block(tf.constant(changed), context)
    np.testing.assert_allclose(before[0, :3], after.numpy()[0, :3], atol=1e-6)
    assert np.abs(before[0, 3] - after.numpy()[0, 3]).max() > 1e-3
    assert np.all(np.triu(self_scores.numpy()[0, 0], k=1) == 0.0)
    assert cross_scores.shape == (1, 2, 4, 5)


def test_seq2seq_returns_the_cross_attention_of_each_decoder_block():
    model = Seq2SeqTransformer(
        vocab_size=VOCAB_SIZE, max_length=8, d_model=8, num_heads=2, num_layers=2
    )
    inputs = (np.zeros((3, 6), int), np.zeros((3, 5), int))
    logits, cross_scores = model(inputs, return_attention_scores=True)
    np.testing.assert_array_equal(logits.numpy(), model(inputs).numpy())
    assert [scores.shape for scores in cross_scores] == [(3, 2, 5, 6)] * 2
    np.testing.assert_allclose(cross_scores[1].numpy().sum(axis=-1), 1.0, atol=1e-6)


@pytest.mark.parametrize(
    ("source", "start_token", "length", "error", "message"),
    [
        (np.zeros((2, 9), int), START, 5, ValueError, "must not exceed max_length=8"),
        (np.zeros((2, 5), int), START, 9, ValueError, "must not exceed max_length=8"),
    ],
)
def test_greedy_decode_rejects_sequences_longer_than_the_model(
    source, start_token, length, error, message
):
    model = Seq2SeqTransformer(vocab_size=VOCAB_SIZE, max_length=8, d_model=8, num_heads=2)
    with pytest.raises(error, match=message):
        greedy_decode(model, source, start_token=start_token, length=length)


def test_greedy_decode_fills_the_model_to_max_length():
    model = Seq2SeqTransformer(vocab_size=VOCAB_SIZE, max_length=8, d_model=8, num_heads=2)
    output = greedy_decode(model, np.zeros((2, 8), int), start_token=START, length=8)
    assert output.shape == (2, 8)
    assert output.min() >= 0 and output.max() < VOCAB_SIZE


@pytest.mark.build  # trains for seconds: left out of the quick run
def test_small_transformer_learns_to_reverse_digits():
    keras.utils.set_random_seed(0)
    source, decoder_input, target = reversal_task(3000, length=6, seed=0)
    model = Seq2SeqTransformer(vocab_size=VOCAB_SIZE, max_length=6, d_model=32, num_heads=2)
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model((source[:1], decoder_input[:1]))
    model.optimizer.build(model.trainable_variables)  # so fit traces its step once
    model.fit((source, decoder_input), target, batch_size=64, epochs=3, verbose=0)
    test_source, _, test_target = reversal_task(200, length=6, seed=1)
    predicted = greedy_decode(model, test_source, start_token=START, length=6)
    assert np.mean(np.all(predicted == test_target, axis=1)) >= 0.95


def test_language_model_predictions_do_not_see_later_tokens():
    model = DecoderOnlyTransformer(vocab_size=7, max_length=10, d_model=16, num_heads=2)
    tokens = np.array([[1, 2, 3, 4, 5, 6]])
    changed = tokens.copy()
    changed[0, 4:] = 0
    before, after = model(tokens).numpy(), model(changed).numpy()
    np.testing.assert_allclose(before[0, :4], after[0, :4], atol=1e-6)
    assert np.abs(before[0, 4:] - after[0, 4:]).max() > 1e-3


@pytest.mark.build  # trains for seconds: left out of the quick run
def test_sampling_is_reproducible_and_low_temperature_is_greedy():
    keras.utils.set_random_seed(0)
    model = DecoderOnlyTransformer(vocab_size=6, max_length=8, d_model=16, num_heads=2)
    prompt = np.array([1, 2, 3])
    first = sample(model, prompt, length=12, temperature=1.0, seed=3)
    again = sample(model, prompt, length=12, temperature=1.0, seed=3)
    np.testing.assert_array_equal(first, again)
    cold = sample(model, prompt, length=1, temperature=1e-4, seed=0)
    greedy = np.argmax(model(prompt[np.newaxis]).numpy()[0, -1])
    assert cold[0] == greedy


LOGITS = np.log([0.1, 0.4, 0.05, 0.3, 0.15])  # most likely first: ids 1, 3, 4, 0, 2


@pytest.mark.parametrize("k", [1, 2, 4, 5])
def test_top_k_keeps_exactly_the_k_most_likely_tokens(k):
    kept = next_token_distribution(LOGITS, top_k=k)
    assert set(np.flatnonzero(kept)) == set([1, 3, 4, 0, 2][:k])
    assert kept.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("p", "nucleus"),
    [(0.35, {1}), (0.41, {1, 3}), (0.65, {1, 3}), (0.8, {1, 3, 4}), (1.0, {0, 1, 2, 3, 4})],
)
def test_top_p_keeps_the_smallest_set_reaching_p(p, nucleus):
    kept = next_token_distribution(LOGITS, top_p=p)
    assert set(np.flatnonzero(kept)) == nucleus
    np.testing.assert_allclose(
        kept[list(nucleus)], np.exp(LOGITS[list(nucleus)]) / sum(np.exp(LOGITS[list(nucleus)]))
    )


def test_top_k_of_one_is_the_limit_of_low_temperature():
    greedy = next_token_distribution(LOGITS, top_k=1)
    np.testing.assert_array_equal(greedy, [0, 1, 0, 0, 0])
    np.testing.assert_allclose(
        next_token_distribution(LOGITS, temperature=1e-3), greedy, atol=1e-12
    )


def test_temperature_one_without_truncation_is_the_softmax():
    np.testing.assert_allclose(next_token_distribution(LOGITS), [0.1, 0.4, 0.05, 0.3, 0.15])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"temperature": 0.0}, "temperature must be > 0"),
        ({"top_k": 0}, "top_k must be at least 1"),
        ({"top_p": 0.0}, r"top_p must be in \(0, 1\]"),
        ({"top_p": 1.5}, r"top_p must be in \(0, 1\]"),
    ],
)
def test_next_token_distribution_rejects_bad_options(options, message):
    with pytest.raises(ValueError, match=message):
        next_token_distribution(LOGITS, **options)


def test_sample_with_top_k_one_is_greedy_whatever_the_seed():
    keras.utils.set_random_seed(0)
    model = DecoderOnlyTransformer(vocab_size=6, max_length=8, d_model=16, num_heads=2)
    prompt = np.array([1, 2, 3])
    greedy = sample(model, prompt, length=1, top_k=1, seed=0)
    assert greedy[0] == np.argmax(model(prompt[np.newaxis]).numpy()[0, -1])
    np.testing.assert_array_equal(
        sample(model, prompt, length=10, top_k=1, seed=0),
        sample(model, prompt, length=10, top_k=1, seed=5),
    )
