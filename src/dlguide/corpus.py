"""Text corpora that need no download: a probabilistic grammar and the Python documentation.

The grammar writes English-like sentences whose entropy is known exactly, so a language
model trained on them has a true floor to compare its loss against. The Python
documentation is real English prose (with some code) that ships with every CPython.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re

import numpy as np

__all__ = [
    "GRAMMAR",
    "expected_length",
    "grammar_text",
    "python_docs_text",
    "sample_sentence",
    "sentence_entropy",
    "subject_number_task",
]

#: A probabilistic context-free grammar. Each symbol maps its expansions (right-hand sides,
#: symbols separated by spaces) to their probabilities. Keys are nonterminals; every other
#: symbol is a word. Subjects and verbs agree in number (``_SG``/``_PL``); a prepositional
#: phrase attaches only to a noun phrase and holds a noun phrase (the grammar's recursion),
#: so each sentence has exactly one derivation.
GRAMMAR: dict[str, dict[str, float]] = {
    "S": {"NP_SG VP_SG": 0.5, "NP_PL VP_PL": 0.5},
    "NP": {"NP_SG": 0.5, "NP_PL": 0.5},
    "NP_SG": {"DET_SG NOMINAL_SG": 0.8, "DET_SG NOMINAL_SG PP": 0.2},
    "NP_PL": {"DET_PL NOMINAL_PL": 0.8, "DET_PL NOMINAL_PL PP": 0.2},
    "NOMINAL_SG": {"NOUN_SG": 0.7, "ADJ NOUN_SG": 0.3},
    "NOMINAL_PL": {"NOUN_PL": 0.7, "ADJ NOUN_PL": 0.3},
    "PP": {"PREP NP": 1.0},
    "VP_SG": {"INTRANSITIVE_SG": 0.4, "TRANSITIVE_SG NP": 0.6},
    "VP_PL": {"INTRANSITIVE_PL": 0.4, "TRANSITIVE_PL NP": 0.6},
    "DET_SG": {"the": 0.5, "a": 0.3, "every": 0.1, "this": 0.1},
    "DET_PL": {"the": 0.5, "some": 0.2, "many": 0.2, "these": 0.1},
    "ADJ": {"small": 0.3, "old": 0.2, "quiet": 0.2, "red": 0.1, "clever": 0.1, "lazy": 0.1},
    "NOUN_SG": {"cat": 0.3, "dog": 0.2, "bird": 0.2, "child": 0.1, "teacher": 0.1, "farmer": 0.1},
    "NOUN_PL": {
        "cats": 0.3,
        "dogs": 0.2,
        "birds": 0.2,
        "children": 0.1,
        "teachers": 0.1,
        "farmers": 0.1,
    },
    "INTRANSITIVE_SG": {"sleeps": 0.4, "runs": 0.3, "sings": 0.2, "waits": 0.1},
    "INTRANSITIVE_PL": {"sleep": 0.4, "run": 0.3, "sing": 0.2, "wait": 0.1},
    "TRANSITIVE_SG": {"sees": 0.4, "likes": 0.3, "follows": 0.2, "helps": 0.1},
    "TRANSITIVE_PL": {"see": 0.4, "like": 0.3, "follow": 0.2, "help": 0.1},
    "PREP": {"near": 0.4, "with": 0.3, "behind": 0.2, "under": 0.1},
}

_PROBABILITY_TOLERANCE = 1e-9


def sample_sentence(
    rng: np.random.Generator, grammar: dict[str, dict[str, float]] = GRAMMAR, start: str = "S"
) -> tuple[list[str], float]:
    """Draw one sentence from ``grammar``: its words and the log-probability of its derivation.

    Each nonterminal, from ``start`` on, is replaced by one of its expansions, drawn with
    its probability, until only words remain. The log-probability (natural log) is the sum
    of the log-probabilities of the expansions drawn; for a grammar where each sentence
    has one derivation, such as :data:`GRAMMAR`, it is the sentence's log-probability.

    Raises
    ------
    ValueError
        If a symbol's probabilities in ``grammar`` do not sum to 1.

    Examples
    --------
    >>> words, log_p = sample_sentence(np.random.default_rng(0))
    >>> " ".join(words), round(log_p, 2)
    ('the teachers like these small teachers', -13.91)
    """
    _check_grammar(grammar)
    return _sample(rng, grammar, start)


def _sample(rng: np.random.Generator, grammar, start: str) -> tuple[list[str], float]:
    """One sentence's words and log-probability, for a grammar already checked."""
    words: list[str] = []
    log_p = _expand(start, grammar, rng, words)
    return words, log_p


def _expand(symbol: str, grammar, rng: np.random.Generator, words: list[str]) -> float:
    """Append the words ``symbol`` expands to; return the log-probability of the choices."""
    if symbol not in grammar:
        words.append(symbol)
        return 0.0
    expansions = list(grammar[symbol].items())
    cumulative = list(itertools.accumulate(p for _, p in expansions))
    u = rng.random()
    chosen = bisect.bisect(cumulative, u)  # the first expansion whose cumulative sum exceeds u
    expansion, p = expansions[min(chosen, len(expansions) - 1)]  # min: sums may round below 1
    return math.log(p) + sum(_expand(s, grammar, rng, words) for s in expansion.split())


def grammar_text(
    n_sentences: int, seed: int = 0, grammar: dict[str, dict[str, float]] = GRAMMAR
) -> str:
    """``n_sentences`` sentences drawn from ``grammar``, each ended by ``"."``, joined by spaces.

    Raises
    ------
    ValueError
        If a symbol's probabilities in ``grammar`` do not sum to 1.

    Examples
    --------
    >>> grammar_text(2, seed=0)
    'the teachers like these small teachers. the quiet cat sees a dog.'
    """
    _check_grammar(grammar)
    rng = np.random.default_rng(seed)
    return " ".join(" ".join(_sample(rng, grammar, "S")[0]) + "." for _ in range(n_sentences))


def subject_number_task(n_sentences: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """Sentences of :data:`GRAMMAR` labelled with their subject's number: 0 singular, 1 plural.

    The sentences are those :func:`grammar_text` writes with the same ``seed``, one per
    string; the label is the number of the first noun, the subject's, which the grammar's
    first choice (``"NP_SG VP_SG"`` or ``"NP_PL VP_PL"``) fixes and the verb agrees with.
    So the sentences have the grammar's distribution, and half of the labels are 1 on
    average.

    Returns
    -------
    sentences : list of str
        ``n_sentences`` sentences.
    labels : numpy.ndarray
        ``[n_sentences]`` ints, 1 where the subject is plural.

    Examples
    --------
    >>> sentences, labels = subject_number_task(3, seed=0)
    >>> sentences[:2]
    ['the teachers like these small teachers.', 'the quiet cat sees a dog.']
    >>> labels
    array([1, 0, 1])
    """
    nouns = {**dict.fromkeys(GRAMMAR["NOUN_SG"], 0), **dict.fromkeys(GRAMMAR["NOUN_PL"], 1)}
    rng = np.random.default_rng(seed)
    sentences, labels = [], []
    for _ in range(n_sentences):
        words = _sample(rng, GRAMMAR, "S")[0]
        sentences.append(" ".join(words) + ".")
        labels.append(next(nouns[word] for word in words if word in nouns))
    return sentences, np.array(labels)


def sentence_entropy(grammar: dict[str, dict[str, float]] = GRAMMAR, start: str = "S") -> float:
    """The exact entropy of a sentence of ``grammar``, in nats.

    For a grammar where each sentence has one derivation, the entropy of a sentence is
    that of its derivation: the entropy of the first choice, plus the expected entropy
    of expanding each symbol it produced. Written for every nonterminal at once, this is
    the linear system ``H = h + M H``, where ``h[A]`` is the entropy of the choice among
    ``A``'s expansions and ``M[A, B]`` the expected number of ``B`` in one expansion of
    ``A``; the system also covers recursive grammars, whose sentences have no fixed depth.

    Raises
    ------
    ValueError
        If a symbol's probabilities in ``grammar`` do not sum to 1.

    Examples
    --------
    >>> grammar = {"S": {"a": 0.5, "b S": 0.5}}  # b...ba with k b's has probability 2**-(k+1)
    >>> round(sentence_entropy(grammar) / math.log(2), 6)  # in bits
    2.0
    """
    _check_grammar(grammar)
    return _expectation(grammar, start, lambda p, words: -math.log(p))


def expected_length(
    grammar: dict[str, dict[str, float]] = GRAMMAR, unit: str = "word", start: str = "S"
) -> float:
    """The exact expected length of a sentence of ``grammar`` in words or characters.

    With ``unit="character"`` the length counts what :func:`grammar_text` writes for one
    sentence: its words, one space after each word but the last, the full stop and the
    space that separates it from the next sentence. So the entropy per word (or per
    character) of an endless text of such sentences is
    ``sentence_entropy(grammar) / expected_length(grammar, unit)``.

    Raises
    ------
    ValueError
        If ``unit`` is not ``"word"`` or ``"character"``, or a symbol's probabilities in
        ``grammar`` do not sum to 1.

    Examples
    --------
    >>> grammar = {"S": {"a": 0.5, "b S": 0.5}}
    >>> expected_length(grammar), expected_length(grammar, unit="character")
    (2.0, 5.0)
    """
    _check_grammar(grammar)
    if unit == "word":
        return _expectation(grammar, start, lambda p, words: len(words))
    if unit == "character":
        # each word and a space after it, plus one: the last word is followed by ". "
        return _expectation(grammar, start, lambda p, words: sum(len(w) + 1 for w in words)) + 1
    raise ValueError(f"unit must be 'word' or 'character', got {unit!r}")


def _expectation(grammar, start: str, value) -> float:
    """Expected total of ``value(p, words)`` over the expansions of a derivation from ``start``.

    Solves ``x = c + M x`` with ``c[A]`` the expected value of one expansion of ``A`` and
    ``M[A, B]`` the expected number of nonterminals ``B`` it produces.
    """
    symbols = list(grammar)
    index = {symbol: i for i, symbol in enumerate(symbols)}
    c, m = np.zeros(len(symbols)), np.zeros((len(symbols), len(symbols)))
    for a, expansions in grammar.items():
        for expansion, p in expansions.items():
            parts = expansion.split()
            c[index[a]] += p * value(p, [s for s in parts if s not in grammar])
            for s in parts:
                if s in grammar:
                    m[index[a], index[s]] += p
    return float(np.linalg.solve(np.eye(len(symbols)) - m, c)[index[start]])


def _check_grammar(grammar: dict[str, dict[str, float]]) -> None:
    """Raise unless every symbol's expansion probabilities sum to 1."""
    for symbol, expansions in grammar.items():
        total = sum(expansions.values())
        if abs(total - 1.0) > _PROBABILITY_TOLERANCE:
            raise ValueError(f"grammar[{symbol!r}] probabilities must sum to 1, got {total}")


def python_docs_text() -> str:
    """The help topics of the Python documentation that ship with CPython, as plain text.

    ``pydoc_data.topics`` holds the text that ``help("if")`` shows: 79 topics of the
    language reference (statements, expressions, data model, ...) on Python 3.11, about
    460,000 characters, under the PSF License (code in it also under the Zero-Clause BSD
    licence). The topics are joined in alphabetical order of their names, with heading
    underlines (``*****``, ``=====``) removed, trailing spaces stripped and runs of blank
    lines reduced to one. The text is the same for the same Python version; other
    versions ship other editions of the documentation.

    Examples
    --------
    >>> python_docs_text()[:22]
    'The "assert" statement'
    """
    from pydoc_data.topics import topics  # here, so importing dlguide.corpus stays cheap

    underline = re.compile(r"^[*=\-~^]{3,}$")
    lines = []
    for name in sorted(topics):
        lines += [line.rstrip() for line in topics[name].splitlines()]
        lines.append("")
    text = "\n".join(line for line in lines if not underline.match(line))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
