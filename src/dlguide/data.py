"""Small synthetic data sets generated on the fly, so the book never downloads data."""

from __future__ import annotations

import numpy as np

from dlguide._validation import check_non_negative_float, check_positive_int

__all__ = ["two_moons"]


def two_moons(
    n_samples: int = 400, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: a classic problem no straight line can separate.

    Class 0 lies on the upper half circle of radius 1 around ``(0, 0)``, class 1
    on the lower half circle around ``(1, 0.5)``; Gaussian noise with standard
    deviation ``noise`` is added to both coordinates. Classes alternate, so any
    prefix of the data is balanced to within one point.

    Returns
    -------
    x : numpy.ndarray
        Points, shape ``[n_samples, 2]``, ``float32``.
    y : numpy.ndarray
        Labels 0 or 1, shape ``[n_samples]``, ``int64``.

    Raises
    ------
    TypeError, ValueError
        If ``n_samples`` is not a positive integer (at most ten million) or
        ``noise`` is negative.

    Examples
    --------
    >>> x, y = two_moons(n_samples=6, noise=0.0)
    >>> x.shape, x.dtype, y.tolist()
    ((6, 2), dtype('float32'), [0, 1, 0, 1, 0, 1])
    >>> x[0], x[-1]  # the first point of each moon's path
    (array([1., 0.], dtype=float32), array([2. , 0.5], dtype=float32))
    """
    n_samples = check_positive_int(n_samples, "n_samples", maximum=10_000_000)
    noise = check_non_negative_float(noise, "noise")
    if noise > 1e3:
        raise ValueError(f"noise must be at most 1000 (float32 points would overflow), got {noise}")
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % 2
    angle = np.linspace(0, np.pi, n_samples)
    upper = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    lower = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], axis=1)
    x = np.where(y[:, None] == 0, upper, lower)
    x = x + rng.normal(scale=noise, size=x.shape)
    return x.astype(np.float32), y.astype(np.int64)
