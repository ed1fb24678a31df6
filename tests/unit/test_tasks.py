"""dlguide.tasks: the reversal task is what its name says, reproducibly."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.tasks import (
    START,
    VOCAB_SIZE,
    encode_characters,
    next_token_windows,
    reversal_task,
)


def test_target_is_the_reversed_source_and_decoder_input_is_shifted():
    source, decoder_input, target = reversal_task(100, length=7, seed=3)
    assert source.shape == decoder_input.shape == target.shape == (100, 7)
    np.testing.assert_array_equal(target, source[:, ::-1])
    np.testing.assert_array_equal(decoder_input[:, 0], START)
    np.testing.assert_array_equal(decoder_input[:, 1:], target[:, :-1])
    assert source.min() >= 0 and source.max() <= 9 and START == VOCAB_SIZE - 1


def test_same_seed_same_data_other_seed_other_data():
    first, _, _ = reversal_task(50, seed=0)
    again, _, _ = reversal_task(50, seed=0)
    other, _, _ = reversal_task(50, seed=1)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_characters_round_trip_through_their_ids():
    text = "Four score and seven"
    ids, vocabulary = encode_characters(text)
    assert vocabulary == sorted(set(text))
    assert "".join(vocabulary[i] for i in ids) == text


def test_windows_predict_the_next_id_everywhere():
    ids = np.array([5, 3, 8, 1, 9, 2])
    inputs, targets = next_token_windows(ids, length=4)
    assert inputs.shape == targets.shape == (2, 4)
    np.testing.assert_array_equal(inputs[1], ids[1:5])
    np.testing.assert_array_equal(targets[1], ids[2:6])


def test_windows_need_a_sequence_longer_than_the_window():
    with pytest.raises(ValueError, match=r"ids must be 1-D and longer than length=6, got \(6,\)"):
        next_token_windows(np.arange(6), length=6)
