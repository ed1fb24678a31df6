"""Part I (foundations): the numbers its pages state are what they claim."""

from __future__ import annotations

import math

import pytest

from tests.the_book import BuiltBook


@pytest.mark.build
def test_neurons_page_layer_and_network_match_loops_and_keras(built_book: BuiltBook):
    glued = built_book.glued("foundations/neurons-and-layers")
    assert glued["loop_gap"] < 1e-12
    assert glued["keras_gap"] < 1e-5
    assert glued["n_params"] == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2


@pytest.mark.build
def test_losses_page_is_stable_and_matches_keras(built_book: BuiltBook):
    glued = built_book.glued("foundations/losses")
    assert glued["naive_is_nan"] is True
    assert glued["stable_value"] == pytest.approx(500.0)
    assert glued["gap_float32"] < 1e-6
    assert glued["gap_float64"] < 1e-12
    assert glued["grad_gap"] < 1e-12
    # Keras from logits agrees with ours; the forgotten flag (default False) silently does not.
    assert glued["with_flag"] == pytest.approx(glued["ours_from_logits"], abs=1e-5)
    assert abs(glued["without_flag"] - glued["with_flag"]) > 0.5


@pytest.mark.build
def test_gradient_descent_page_shows_the_three_learning_rate_regimes(built_book: BuiltBook):
    glued = built_book.glued("foundations/gradient-descent")
    assert 0.1 < glued["x_small"] < 2.0  # moving towards 0, slowly
    assert glued["x_right"] < 1e-6
    assert glued["x_large"] > 2.0  # further out than the start
    # Mini-batches reach the noise level (0.25) long before full-batch descent does.
    assert glued["batch100_second"] < 0.3 < glued["full_batch_first"]
    assert glued["full_batch_last"] < glued["full_batch_first"]


@pytest.mark.build
def test_backpropagation_page_gradients_pass_both_checks(built_book: BuiltBook):
    glued = built_book.glued("foundations/backpropagation")
    assert glued["gradcheck_error"] < 1e-6
    assert glued["buggy_error"] > 1e-2
    assert glued["tape_gap"] < 1e-6
    # The backward pass of dense layers costs about twice the forward pass.
    assert 1.5 < glued["ratio_small"] < 2.0
    assert 1.9 < glued["ratio_deep"] < 2.0


@pytest.mark.build
def test_training_page_learns_the_moons_and_matches_keras_sgd(built_book: BuiltBook):
    glued = built_book.glued("foundations/training-from-scratch")
    assert glued["test_accuracy"] >= 0.95
    assert glued["train_accuracy"] >= 0.95
    assert glued["one_step_gap"] < 1e-6
    assert glued["epoch_gap"] < 1e-5
    assert math.log(2) / 2 < glued["initial_loss"] < 2 * math.log(2)  # "of the same order"


@pytest.mark.build
def test_optimizers_page_matches_keras_and_shows_initialization_effects(
    built_book: BuiltBook,
):
    glued = built_book.glued("foundations/optimizers-and-initialization")
    assert glued["sgd_gap"] < 1e-6
    assert glued["momentum_gap"] < 1e-6
    assert glued["adam_gap"] < 2e-5
    assert glued["momentum_loss"] < glued["sgd_loss"]
    assert glued["std_small"] < 1e-6
    assert glued["std_large"] > 1e3
    assert 0.3 < glued["std_he"] < 3.0
    assert glued["std_glorot"] < glued["std_he"]
    assert glued["beta_2_float32"] != 0.999
    assert 1e-6 < glued["beta_2_change"] < 1e-4
