"""dlguide.corpus: the grammar's exact entropy is the entropy of what it writes."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest

from dlguide.corpus import (
    GRAMMAR,
    expected_length,
    grammar_text,
    python_docs_text,
    sample_sentence,
    sentence_entropy,
    subject_number_task,
)

N_SAMPLES = 10_000
STANDARD_ERRORS = 4  # a Monte-Carlo mean must lie within 4 standard errors of the exact value


@pytest.fixture(scope="module")
def samples() -> list[tuple[list[str], float]]:
    rng = np.random.default_rng(123)
    return [sample_sentence(rng) for _ in range(N_SAMPLES)]


def assert_mean_close(values, exact: float) -> None:
    values = np.asarray(values, dtype=float)
    standard_error = values.std(ddof=1) / math.sqrt(len(values))
    assert abs(values.mean() - exact) < STANDARD_ERRORS * standard_error


def test_exact_entropy_matches_the_mean_surprisal_of_samples(samples):
    assert_mean_close([-log_p for _, log_p in samples], sentence_entropy())


def test_exact_lengths_match_the_mean_lengths_of_samples(samples):
    assert_mean_close([len(words) for words, _ in samples], expected_length(unit="word"))
    characters = [len(" ".join(words) + ". ") for words, _ in samples]
    assert_mean_close(characters, expected_length(unit="character"))


def test_a_sentence_has_one_log_probability_whichever_way_it_was_drawn(samples):
    seen: dict[str, float] = {}
    for words, log_p in samples:
        assert seen.setdefault(" ".join(words), log_p) == pytest.approx(log_p)
    assert len(seen) > N_SAMPLES / 2  # many distinct sentences, not a few repeated ones


def all_sentences(grammar, symbol="S"):
    """Every (sentence, probability) of a grammar without recursion, by enumeration."""
    if symbol not in grammar:
        yield (symbol,), 1.0
        return
    for expansion, p in grammar[symbol].items():
        parts = [list(all_sentences(grammar, s)) for s in expansion.split()]
        for combination in itertools.product(*parts):
            words = tuple(w for sentence, _ in combination for w in sentence)
            yield words, p * math.prod(q for _, q in combination)


def test_entropy_equals_enumeration_over_every_sentence_without_prepositions():
    grammar = {**GRAMMAR, "NP_SG": {"DET_SG NOMINAL_SG": 1.0}, "NP_PL": {"DET_PL NOMINAL_PL": 1.0}}
    probabilities: dict[tuple[str, ...], float] = {}
    for words, p in all_sentences(grammar):
        probabilities[words] = probabilities.get(words, 0.0) + p
    p = np.array(list(probabilities.values()))
    assert p.sum() == pytest.approx(1.0)
    assert sentence_entropy(grammar) == pytest.approx(-np.sum(p * np.log(p)), rel=1e-12)
    lengths = np.array([len(words) for words in probabilities])
    assert expected_length(grammar) == pytest.approx(np.sum(p * lengths), rel=1e-12)


def test_recursive_grammar_has_the_geometric_answer():
    grammar = {"S": {"a": 0.5, "b S": 0.5}}  # k b's then a: probability 2**-(k+1)
    assert sentence_entropy(grammar) == pytest.approx(2 * math.log(2))
    assert expected_length(grammar) == pytest.approx(2.0)


def test_grammar_text_is_sentences_of_the_grammar_and_depends_on_the_seed():
    text = grammar_text(50, seed=4)
    assert text == grammar_text(50, seed=4) != grammar_text(50, seed=5)
    sentences = text.split(". ")
    assert len(sentences) == 50 and sentences[-1].endswith(".")
    words = set(text.replace(".", "").split())
    grammar_words = {w for rules in GRAMMAR.values() for e in rules for w in e.split()}
    assert words <= grammar_words - set(GRAMMAR)


def test_subject_number_task_labels_grammar_text_by_its_first_noun():
    sentences, labels = subject_number_task(2000, seed=6)
    assert " ".join(sentences) == grammar_text(2000, seed=6)
    plural_nouns = set(GRAMMAR["NOUN_PL"])
    nouns = plural_nouns | set(GRAMMAR["NOUN_SG"])
    first_nouns = [next(w for w in s.rstrip(".").split() if w in nouns) for s in sentences]
    assert labels.tolist() == [int(noun in plural_nouns) for noun in first_nouns]
    assert labels.dtype.kind == "i" and 0.45 < labels.mean() < 0.55


def test_bad_grammar_and_unit_are_named():
    with pytest.raises(ValueError, match=r"grammar\['S'\] probabilities must sum to 1"):
        sentence_entropy({"S": {"a": 0.5, "b": 0.4}})
    with pytest.raises(ValueError, match=r"grammar\['NP'\] probabilities must sum to 1"):
        sample_sentence(np.random.default_rng(0), {**GRAMMAR, "NP": {"NP_SG": 0.5}})
    with pytest.raises(ValueError, match="unit must be 'word' or 'character'"):
        expected_length(unit="token")


def test_python_docs_text_is_large_clean_and_reproducible():
    text = python_docs_text()
    assert len(text) > 300_000
    assert text == python_docs_text()
    assert 'The "if" statement' in text
    assert not re.search(r"^[*=]{3,}$", text, flags=re.MULTILINE)
    assert "\n\n\n" not in text and not re.search(r" +$", text, flags=re.MULTILINE)
