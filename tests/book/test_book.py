"""The executed build of the whole book, and the claims its pages make."""

from __future__ import annotations

import re

import pytest

from tests.the_book import BuiltBook, all_pages, require_offline

PAGES = all_pages()


@pytest.mark.build
def test_book_builds_with_zero_warnings(built_book: BuiltBook):
    tail = built_book.log[-20000:]
    assert built_book.returncode == 0, tail
    assert "build succeeded" in built_book.log, tail
    assert not re.search(r"WARNING: (?!All log messages)", built_book.log), tail


@pytest.mark.build
def test_book_builds_with_the_network_switched_off(built_book: BuiltBook):
    require_offline(built_book.offline, "the build")
    assert built_book.returncode == 0, built_book.log[-20000:]


@pytest.mark.build
@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_built(built_book: BuiltBook, page: str):
    assert (built_book.html / f"{page}.html").is_file()


@pytest.mark.build
def test_no_executed_output_shows_tensorflow_start_up_logs(built_book: BuiltBook):
    for page in built_book.html.rglob("*.html"):
        text = page.read_text()
        for noise in ["absl::InitializeLog", "cuda drivers", "oneDNN custom operations"]:
            assert noise not in text, f"{noise!r} in {page}"


@pytest.mark.build
def test_what_is_deep_learning_network_beats_the_linear_model(built_book: BuiltBook):
    glued = built_book.glued("foundations/what-is-deep-learning")
    assert glued["network_accuracy"] >= 0.95
    assert glued["linear_accuracy"] <= 0.90
    # Linear probes: a trained hidden layer makes the classes far more linearly separable
    # than the raw input; the last one matches the network, whose output layer is itself
    # a logistic regression on it; an untrained network's layers are no better than the input.
    assert glued["probe_raw"] <= 0.90
    assert glued["probe_layer1"] >= glued["probe_raw"] + 0.05
    assert glued["probe_layer2"] >= glued["probe_layer1"]
    assert glued["probe_layer2"] == pytest.approx(glued["network_accuracy"], abs=0.02)
    assert max(glued["probe_untrained1"], glued["probe_untrained2"]) <= glued["probe_raw"]


@pytest.mark.build
def test_activation_page_numbers_are_what_it_claims(built_book: BuiltBook):
    glued = built_book.glued("foundations/activation-functions")
    assert glued["collapse_error"] < 1e-12
    assert glued["relu_error"] > 0.1
    assert glued["sigmoid_best_case"] == pytest.approx(0.25**10)
    assert glued["dead_fraction"] > 0.99


@pytest.mark.build
def test_installing_page_reports_the_installed_tensorflow(built_book: BuiltBook):
    import tensorflow as tf

    assert built_book.glued("tensorflow/installing-tensorflow")["tensorflow_version"] == (
        tf.__version__
    )
