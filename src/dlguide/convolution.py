"""A 2-D convolution written out in NumPy, the operation behind ``keras.layers.Conv2D``."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["conv2d"]


def conv2d(
    images: ArrayLike,
    kernel: ArrayLike,
    bias: ArrayLike = 0.0,
    stride: int = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Slide ``kernel`` over ``images``: the output Keras' ``Conv2D`` computes, in NumPy.

    Each output pixel is the sum over a ``[k_h, k_w, c_in]`` window of the input
    times the kernel, plus the bias, for every output channel. Like Keras (and
    unlike the convolution of signal processing) the kernel is not flipped.
    ``padding="valid"`` uses only complete windows; ``"same"`` pads with zeros,
    as Keras does (the extra row or column at the bottom and right), so that the
    output has ``ceil(size / stride)`` rows and columns.

    Parameters
    ----------
    images : numpy.ndarray
        ``[batch, height, width, c_in]``, or anything ``np.asarray`` accepts.
    kernel : numpy.ndarray
        ``[k_h, k_w, c_in, c_out]``, the layout of ``Conv2D.kernel``.
    bias : numpy.ndarray
        ``[c_out]`` or a scalar.
    stride : int
        Step between windows, along both axes.
    padding : str
        ``"valid"`` or ``"same"``.

    Returns
    -------
    numpy.ndarray
        ``[batch, out_height, out_width, c_out]``.

    Raises
    ------
    ValueError
        If ``padding`` is neither ``"valid"`` nor ``"same"``.

    Examples
    --------
    >>> image = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> sum_2x2 = np.ones((2, 2, 1, 1))
    >>> conv2d(image, sum_2x2)[0, :, :, 0]
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    >>> conv2d(image, sum_2x2, stride=2)[0, :, :, 0]
    array([[10., 18.],
           [42., 50.]])
    >>> conv2d(image, sum_2x2, padding="same").shape
    (1, 4, 4, 1)
    """
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    x, w = np.asarray(images, dtype=float), np.asarray(kernel, dtype=float)
    k_h, k_w = w.shape[:2]
    if padding == "same":
        pads = [_same_padding(x.shape[1], k_h, stride), _same_padding(x.shape[2], k_w, stride)]
        x = np.pad(x, [(0, 0), *pads, (0, 0)])
    out_h, out_w = (x.shape[1] - k_h) // stride + 1, (x.shape[2] - k_w) // stride + 1
    out = np.empty((x.shape[0], out_h, out_w, w.shape[3]))
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, i * stride : i * stride + k_h, j * stride : j * stride + k_w, :]
            out[:, i, j, :] = np.tensordot(window, w, axes=3)  # sum over k_h, k_w, c_in
    return out + np.asarray(bias, dtype=float)


def _same_padding(size: int, kernel_size: int, stride: int) -> tuple[int, int]:
    """Zeros to add (before, after) so that ``ceil(size / stride)`` windows fit."""
    n_out = -(-size // stride)
    total = max((n_out - 1) * stride + kernel_size - size, 0)
    return total // 2, total - total // 2
