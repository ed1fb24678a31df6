"""dlguide.convolution: the NumPy convolution is the one Keras' Conv2D computes."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.convolution import conv2d


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("kernel_size", [2, 3])
def test_conv2d_equals_keras_conv2d_with_copied_weights(padding, stride, kernel_size):
    rng = np.random.default_rng(0)
    images = rng.normal(size=(3, 8, 7, 2)).astype("float32")
    layer = keras.layers.Conv2D(4, kernel_size, strides=stride, padding=padding)
    layer.build(images.shape)
    layer.bias.assign(rng.normal(size=4).astype("float32"))  # a non-zero bias counts too
    expected = np.asarray(layer(images))
    actual = conv2d(images, layer.kernel.numpy(), layer.bias.numpy(), stride, padding)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, atol=1e-5)


def test_conv2d_does_not_flip_the_kernel():
    image = np.zeros((1, 3, 3, 1))
    image[0, 0, 0, 0] = 1.0  # one bright pixel, top left
    kernel = np.arange(9.0).reshape(3, 3, 1, 1)
    assert conv2d(image, kernel)[0, 0, 0, 0] == kernel[0, 0, 0, 0]


def test_conv2d_rejects_an_unknown_padding():
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same', got 'full'"):
        conv2d(np.zeros((1, 3, 3, 1)), np.zeros((2, 2, 1, 1)), padding="full")
