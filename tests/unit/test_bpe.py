"""dlguide.bpe: byte-pair encoding learns the frequent pairs and round-trips any text."""

from __future__ import annotations

import pytest

from dlguide.bpe import decode, encode, pretokenize, token_bytes, train

TEXT = "the cat sat on the mat. the cat ate the rat.\n\n  the end, the  end."


def test_chunks_join_back_to_the_text_and_keep_a_word_with_its_space():
    text = 'Say "hi"  to the __init__ method.\n\n\tx = 1'
    chunks = pretokenize(text)
    assert "".join(chunks) == text
    assert " the" in chunks and " __init__" in chunks and " method" in chunks


def test_first_merge_is_the_most_frequent_pair():
    merges = train("aaab aab", n_merges=1)
    assert merges == [(ord("a"), ord("a"))]  # "aa" occurs 3 times ("aaa" holds two)


def test_merges_build_the_frequent_word_with_its_space():
    merges = train(TEXT, n_merges=20)
    assert b" the" in token_bytes(merges).values()
    assert len(merges) == 20


def test_fewer_merges_are_a_prefix_of_more_merges():
    assert train(TEXT, n_merges=10) == train(TEXT, n_merges=25)[:10]


def test_training_stops_when_no_pair_is_left():
    assert train("ab ab", n_merges=10) == [(97, 98), (32, 256)]


def test_encode_decode_round_trips_any_text_even_unseen_characters():
    merges = train(TEXT, n_merges=30)
    for text in [TEXT, "", "naïve café 東京 🙂", "  \n\t the  rat\r\n"]:
        assert decode(encode(text, merges), merges) == text


def test_more_merges_never_lengthen_the_encoding_of_the_training_text():
    merges = train(TEXT, n_merges=40)
    lengths = [len(encode(TEXT, merges[:k])) for k in range(0, 41, 5)]
    assert lengths[0] == len(TEXT.encode())
    assert lengths == sorted(lengths, reverse=True) and lengths[-1] < lengths[0] / 2


def test_encoding_applies_merges_in_the_order_they_were_learned():
    merges = [(ord("b"), ord("c")), (ord("a"), ord("b"))]  # "bc" learned before "ab"
    assert encode("abc", merges) == [ord("a"), 256]


def test_decoding_a_cut_character_gives_the_replacement_character():
    assert decode(list("é".encode())[:1], []) == "\ufffd"


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="text must be a string, got bytes"):
        train(b"abc", n_merges=1)
    with pytest.raises(TypeError, match="text must be a string, got list"):
        encode(["abc"], [])
    with pytest.raises(ValueError, match="n_merges must be at least 0, got -1"):
        train("abc", n_merges=-1)
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 256\], got 300"):
        decode([97, 300], [(97, 98)])
