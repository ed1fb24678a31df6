"""The PyTorch and TensorFlow MLPs of the side-by-side page compute the same thing."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
import torch

from dlguide import side_by_side as tf_side
from dlguide import side_by_side_torch as torch_side


def same_two_models():
    keras.utils.set_random_seed(0)
    tf_model = tf_side.make_keras_mlp(n_in=4, n_hidden=8, n_out=3)
    torch_model = torch_side.make_torch_mlp(n_in=4, n_hidden=8, n_out=3)
    with torch.no_grad():  # Keras kernels are [n_in, n_out], PyTorch weights [n_out, n_in]
        for layer, linear in zip(tf_model.layers, [torch_model[0], torch_model[2]], strict=True):
            kernel, bias = (v.numpy() for v in layer.weights)
            linear.weight.copy_(torch.from_numpy(kernel.T.copy()))
            linear.bias.copy_(torch.from_numpy(bias))
    return tf_model, torch_model


def test_one_training_step_gives_equal_outputs_loss_gradients_and_weights():
    tf_model, torch_model = same_two_models()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 4)).astype(np.float32)
    y = rng.integers(0, 3, size=16)
    tf_logits, tf_loss, tf_grads = tf_side.train_step(
        tf_model, keras.optimizers.SGD(0.1), tf.constant(x), tf.constant(y)
    )
    torch_logits, torch_loss, torch_grads = torch_side.train_step(
        torch_model,
        torch.optim.SGD(torch_model.parameters(), lr=0.1),
        torch.from_numpy(x),
        torch.from_numpy(y),
    )
    np.testing.assert_allclose(tf_logits.numpy(), torch_logits.detach().numpy(), atol=1e-5)
    assert float(tf_loss) == pytest.approx(torch_loss.item(), abs=1e-5)
    transposed = [g.numpy().T for g in tf_grads]  # kernels transposed, biases unchanged
    for tf_grad, torch_grad in zip(transposed, torch_grads, strict=True):
        np.testing.assert_allclose(tf_grad, torch_grad.numpy(), atol=1e-5)
    updated = [v.numpy().T for v in tf_model.trainable_weights]
    for tf_weight, torch_weight in zip(updated, torch_model.parameters(), strict=True):
        np.testing.assert_allclose(tf_weight, torch_weight.detach().numpy(), atol=1e-5)
    assert np.abs(tf_grads[0].numpy()).max() > 1e-3  # the step did change something
