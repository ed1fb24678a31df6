"""Byte-pair encoding (BPE): a subword tokenizer learned from text by merging frequent pairs.

Tokens start as the 256 byte values of the text's UTF-8 encoding, so any text can be
encoded and decoded back exactly. Training repeatedly merges the most frequent pair of
adjacent tokens into a new token, ``256, 257, ...``; encoding applies the learned merges
in the order they were learned. Text is first cut into chunks (a word with the space
before it, a run of punctuation, a run of spaces) and no merge crosses a chunk boundary,
as in GPT-2's byte-level BPE.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

__all__ = ["CHUNK", "decode", "encode", "pretokenize", "token_bytes", "train"]

#: The chunks no merge crosses. A chunk is a word (letters, digits, ``_``) or a run of
#: punctuation, each with at most one space before it, or a run of whitespace (whose last
#: space, if a word follows, goes with the word).
CHUNK = re.compile(r" ?\w+| ?[^\w\s]+|\s+(?!\S)|\s+")


def pretokenize(text: str) -> list[str]:
    """Cut ``text`` into the chunks that BPE merges within; they join back to ``text``.

    Examples
    --------
    >>> pretokenize("The cat,  the hat.")
    ['The', ' cat', ',', ' ', ' the', ' hat', '.']
    """
    return CHUNK.findall(text)


def train(text: str, n_merges: int) -> list[tuple[int, int]]:
    """Learn ``n_merges`` merges from ``text``: the pairs of token ids merged, in order.

    Merge ``i`` replaces the pair ``merges[i]`` by the new token ``256 + i``. Each step
    merges the most frequent adjacent pair (ties go to the pair that entered the count
    first). Training
    stops early if no pair is left to merge.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If ``n_merges`` is negative.

    Examples
    --------
    >>> merges = train("low lower lowest", n_merges=3)
    >>> merges
    [(108, 111), (256, 119), (32, 257)]
    >>> [token_bytes(merges)[256 + i] for i in range(3)]
    [b'lo', b'low', b' low']
    """
    _check_text(text)
    if n_merges < 0:
        raise ValueError(f"n_merges must be at least 0, got {n_merges}")
    frequency = Counter(pretokenize(text))  # each distinct chunk once, with its count
    chunks = [list(chunk.encode("utf-8")) for chunk in frequency]  # as byte ids
    counts = list(frequency.values())
    pair_counts: Counter[tuple[int, int]] = Counter()
    chunks_with: defaultdict[tuple[int, int], set[int]] = defaultdict(set)  # pair -> chunk indices
    for c, ids in enumerate(chunks):
        for pair in itertools.pairwise(ids):
            pair_counts[pair] += counts[c]
            chunks_with[pair].add(c)
    merges = []
    for new_id in range(256, 256 + n_merges):
        if not pair_counts:
            break
        best = max(pair_counts, key=pair_counts.__getitem__)
        merges.append(best)
        for c in chunks_with.pop(best):  # only the chunks that hold the pair change
            for pair in itertools.pairwise(chunks[c]):  # forget their old pairs...
                pair_counts[pair] -= counts[c]
                if not pair_counts[pair]:
                    del pair_counts[pair]
            chunks[c] = _merge(chunks[c], best, new_id)
            for pair in itertools.pairwise(chunks[c]):  # ...and count their new ones
                pair_counts[pair] += counts[c]
                chunks_with[pair].add(c)
    return merges


def _merge(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """``ids`` with every occurrence of ``pair`` (left to right) replaced by ``new_id``."""
    merged, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            merged.append(new_id)
            i += 2
        else:
            merged.append(ids[i])
            i += 1
    return merged


def encode(text: str, merges: Sequence[tuple[int, int]]) -> list[int]:
    """The token ids of ``text``: its UTF-8 bytes, with ``merges`` applied in order.

    Within each chunk, the pair that was learned first is merged first, again and again,
    until no learned pair is left: the order training created the tokens in.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> merges = train("low lower lowest", n_merges=3)
    >>> encode("slow", merges)
    [115, 257]
    >>> encode("lowé", merges)  # é is two bytes, never seen: still encoded
    [257, 195, 169]
    """
    _check_text(text)
    rank = {pair: 256 + i for i, pair in enumerate(merges)}  # the id each merge creates
    cache: dict[str, list[int]] = {}  # texts repeat their words: encode each chunk once
    ids = []
    for chunk in pretokenize(text):
        if chunk not in cache:
            cache[chunk] = _encode_chunk(list(chunk.encode("utf-8")), rank)
        ids += cache[chunk]
    return ids


def _encode_chunk(ids: list[int], rank: dict[tuple[int, int], int]) -> list[int]:
    """Apply the learned merges to the bytes of one chunk, earliest merge first."""
    while len(ids) > 1:
        pair = min(itertools.pairwise(ids), key=lambda p: rank.get(p, float("inf")))
        if pair not in rank:
            break
        ids = _merge(ids, pair, rank[pair])
    return ids


def token_bytes(merges: Sequence[tuple[int, int]]) -> dict[int, bytes]:
    """The vocabulary: the bytes each token id stands for, 256 single bytes then the merges.

    Examples
    --------
    >>> vocabulary = token_bytes([(104, 105)])
    >>> len(vocabulary), vocabulary[104], vocabulary[256]
    (257, b'h', b'hi')
    """
    vocabulary = {i: bytes([i]) for i in range(256)}
    for i, (left, right) in enumerate(merges):
        vocabulary[256 + i] = vocabulary[left] + vocabulary[right]
    return vocabulary


def decode(ids: Sequence[int], merges: Sequence[tuple[int, int]]) -> str:
    r"""The text of token ``ids``: their bytes joined and read as UTF-8.

    ``decode(encode(text, merges), merges) == text`` for every string. Ids that do not
    come from encoding (a model's samples, say) may cut a character's bytes apart; such
    bytes are decoded as the replacement character ``"\ufffd"``.

    Raises
    ------
    ValueError
        If an id is not in the vocabulary (``0`` to ``255 + len(merges)``).

    Examples
    --------
    >>> merges = train("low lower lowest", n_merges=3)
    >>> decode([115, 257], merges)
    'slow'
    >>> decode([195], merges) == "\ufffd"  # half of a two-byte character
    True
    """
    vocabulary = token_bytes(merges)
    unknown = [i for i in ids if i not in vocabulary]
    if unknown:
        raise ValueError(f"ids must lie in [0, {len(vocabulary) - 1}], got {unknown[0]}")
    return b"".join(vocabulary[i] for i in ids).decode("utf-8", errors="replace")


def _check_text(text: str) -> None:
    """Raise unless ``text`` is a string."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
