"""Part II (TensorFlow and Keras): the numbers its pages state are what they claim."""

from __future__ import annotations

import pytest

from tests.the_book import BuiltBook


@pytest.mark.build
def test_dataflow_graphs_page_counts_traces_and_shows_a_speedup(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/dataflow-graphs")
    assert glued["n_float_traces"] == 3
    assert glued["n_flexible_traces"] == 1
    assert glued["n_ops"] == 7
    assert glued["n_edges"] == 6
    assert glued["speedup"] > 0  # a measurement, printed; its size depends on the machine


@pytest.mark.build
def test_keras_models_page_three_ways_agree_and_the_classifier_beats_95_percent(
    built_book: BuiltBook,
):
    glued = built_book.glued("tensorflow/keras-models")
    assert glued["max_gap"] < 1e-6
    assert glued["test_accuracy"] > 0.95
    assert glued["epochs_run"] < 100  # early stopping stopped it


@pytest.mark.build
def test_keras_models_page_tf_keras_is_keras_3_and_keras_2_lines_fail(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/keras-models")
    assert glued["tf_keras_version"] == glued["keras_version"]
    assert glued["keras_version"].startswith("3.")
    assert glued["same_classes"] is True
    assert glued["n_backend"] < glued["n_tf_backend"]  # tf.keras.backend keeps Keras 2 names
    # The page's table: each line written for Keras 2 raises this error in Keras 3.
    assert glued["raised"] == {
        'model.save("digits_model")': "ValueError",
        'keras.models.load_model("digits_model")': "ValueError",
        'model.save_weights("digits.h5")': "ValueError",
        "keras.backend.mean(x_test)": "AttributeError",
        "tf.keras.optimizers.legacy.Adam()": "ImportError",
    }
    assert glued["served_gap"] < 1e-5  # the exported SavedModel reproduces the logits


@pytest.mark.build
def test_custom_loop_page_matches_fit(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/custom-training-loops")
    assert glued["custom_accuracy"] > 0.95
    assert glued["fit_accuracy"] > 0.95
    assert abs(glued["custom_accuracy"] - glued["fit_accuracy"]) < 0.03
    # The page says the bookkeeping around the step is small next to the computation.
    assert 0.5 < glued["throughput_ratio"] < 2.0
    assert glued["step_gap"] < 1e-6  # the train_step written on the page is fit's own step


@pytest.mark.build
def test_autodiff_page_gradients_are_the_analytic_ones(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/automatic-differentiation")
    assert glued["dy_dx"] == pytest.approx(14.0)
    assert glued["layer_gap"] < 1e-12
    assert glued["second_derivative"] == pytest.approx(12.0)
    assert glued["positive_slope"] == pytest.approx(8.0)
    assert glued["negative_slope"] == pytest.approx(-3.0)


@pytest.mark.build
def test_saving_page_reloaded_models_predict_identically(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/saving-and-loading")
    assert glued["keras_file_gap"] == 0.0
    assert glued["weights_gap"] == 0.0
    # The exported graph agrees to float32 rounding: a few units in the last place.
    assert glued["savedmodel_gap"] < 1e-6 * glued["largest_logit"]


@pytest.mark.build
def test_input_pipelines_page_is_reproducible_and_trains(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/input-pipelines")
    assert glued["identical_runs"] is True
    assert glued["pipeline_accuracy"] > 0.95


@pytest.mark.build
def test_distributed_page_mirrored_training_equals_single_device(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/distributed-training")
    assert glued["mirrored_gap"] < 1e-6
    assert glued["moved"] > 1e-2


@pytest.mark.build
def test_generalization_page_overfits_and_every_method_narrows_the_gap(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/generalization")
    assert glued["base_train_accuracy"] == 1.0 > glued["base_val_accuracy"]
    assert glued["best_epoch"] < glued["epochs"]  # the validation loss rose again afterwards
    # Less capacity or more data: a narrower gap; too little capacity underfits.
    assert abs(glued["small_gap"]) < 0.05 < glued["base_gap"]
    assert glued["small_train_accuracy"] < glued["base_train_accuracy"]
    assert glued["all_gap"] < glued["base_gap"]
    assert glued["all_val_accuracy"] > glued["base_val_accuracy"]
    assert glued["base_gap_table"] == glued["base_gap"]
    gaps = {key: glued[f"{key}_gap_table"] for key in ["l2", "adamw", "dropout", "early"]}
    assert all(gap < glued["base_gap"] for gap in gaps.values()), gaps
    assert glued["augment_gap_table"] < min(gaps.values())  # "narrowed the gap most"
    # Dropout: about half zeroed and the rest doubled in training; identity in inference.
    assert 0.45 < glued["dropped_fraction"] < 0.55
    assert glued["kept_value"] == 2.0
    assert glued["inference_identity"] is True
    # EarlyStopping stopped before the last epoch and restored the best weights.
    assert glued["epochs_run"] < glued["epochs"]
    assert glued["restored_gap"] < 1e-6
    assert glued["test_accuracy"] > 0.85


@pytest.mark.build
def test_convolution_page_conv2d_equals_keras_and_the_cnn_is_smaller(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/convolutional-networks")
    assert glued["conv_gap"] < 1e-5
    assert glued["rf_size"] == 8
    assert glued["cnn_params"] == 1898 < glued["mlp_params"] == 4810
    assert glued["param_ratio"] == pytest.approx(1898 / 4810)
    assert glued["cnn_accuracy"] > 0.95
    assert glued["cnn_accuracy"] >= glued["mlp_accuracy"] - 0.01  # "matches the MLP"
    assert abs(glued["bn_train_mean"]) < 1e-3
    assert glued["bn_train_std"] == pytest.approx(1.0, abs=1e-2)
    assert glued["bn_gap"] < 1e-5


@pytest.mark.build
def test_deploying_page_every_deployed_copy_predicts_like_keras(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/deploying-models")
    assert glued["keras_accuracy"] > 0.9
    # The exported contract: one named endpoint, also registered as serving_default.
    assert glued["signature_names"] == ["classify", "serving_default"]
    assert glued["input_names"] == ["pixels"]
    assert glued["output_names"] == ["logits", "probabilities"]
    # A process in which `import keras` fails serves the SavedModel; same batch, same bits.
    assert glued["process_keras_modules"] == 0
    assert glued["process_gap"] == 0.0
    # Against model.predict (batches of 32): float32 rounding, relative to the logits.
    tolerance = 1e-6 * glued["largest_logit"]
    assert glued["process_keras_gap"] < tolerance
    assert glued["litert_gap"] < tolerance
    assert glued["process_accuracy"] == glued["litert_accuracy"] == glued["keras_accuracy"]


@pytest.mark.build
def test_deploying_page_litert_file_is_mostly_weights_and_quantization_shrinks_it(
    built_book: BuiltBook,
):
    glued = built_book.glued("tensorflow/deploying-models")
    assert glued["weights_kb"] == pytest.approx(glued["n_parameters"] * 4 / 1000)
    assert glued["weights_kb"] < glued["litert_kb"] < 1.2 * glued["weights_kb"]
    # The SavedModel holds the same weights, once, plus TensorFlow's much larger graph.
    assert glued["weights_kb"] < glued["variables_kb"] < 1.1 * glued["weights_kb"]
    assert glued["graph_kb"] > 5 * glued["litert_rest_kb"]
    assert glued["savedmodel_kb"] > glued["graph_kb"] + glued["variables_kb"]
    # Dynamic-range quantization: only weight tensors of 1,024 elements or more become int8.
    assert glued["int8_shapes"] == [(64, 64)]
    assert 2 < glued["size_ratio"] < 4
    assert glued["quantized_kb"] < glued["litert_kb"] / 2
    # The logits move by more than rounding but the accuracy barely changes.
    assert glued["quantized_gap"] > 1e-3
    assert abs(glued["accuracy_change"]) <= 0.01
    assert glued["changed_predictions"] <= 3


def test_callbacks_page_resumes_identically_and_reads_back_its_logs(built_book: BuiltBook):
    glued = built_book.glued("tensorflow/callbacks-and-checkpoints")
    # StopAtAccuracy stopped at the first epoch that reached the target, before the last.
    assert glued["stop_epochs_run"] < glued["max_epochs"]
    assert glued["stop_val_accuracy"] >= glued["stop_target"] > glued["before_stop_val_accuracy"]
    # The logs of an epoch's last batch hold the epoch's loss; the recorder saw the history.
    assert glued["last_batch_gap"] == 0.0
    assert glued["recorded_equals_history"] is True
    # save_best_only kept fewer files than epochs; the last one reproduces the best val_loss.
    assert 1 <= glued["best_files"] < glued["best_epochs"]
    assert glued["best_gap"] < 1e-6
    # Resumed from the .keras checkpoint with initial_epoch and the data from that epoch on:
    # the same weights and losses as the uninterrupted run, bit for bit.
    assert glued["restored_steps"] == glued["interrupted_after"] * glued["steps_per_epoch"]
    assert glued["resumed_epochs"] == glued["epochs_total"] - glued["interrupted_after"]
    assert glued["resumed_gap"] == 0.0
    assert glued["resumed_loss_gap"] == 0.0
    # BackupAndRestore ran only the remaining epochs, cleaned up, but replayed epoch 1's data.
    assert glued["backup_epochs"] == glued["resumed_epochs"]
    assert glued["backup_left"] is False
    assert glued["backup_gap"] > 1e-3
    # TensorBoard's event files hold exactly what history.history holds.
    assert glued["tensorboard_epochs"] == glued["best_epochs"]
    assert glued["tensorboard_gap"] == 0.0
    assert glued["files_left"] is False
