"""Small synthetic data sets generated on the fly, so the book never downloads data."""

from __future__ import annotations

import numpy as np

__all__ = ["digits", "two_moons"]


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

    Examples
    --------
    >>> x, y = two_moons(n_samples=6, noise=0.0)
    >>> x.shape, x.dtype, y.tolist()
    ((6, 2), dtype('float32'), [0, 1, 0, 1, 0, 1])
    >>> x[0], x[-1]  # the first point of each moon's path
    (array([1., 0.], dtype=float32), array([2. , 0.5], dtype=float32))
    """
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % 2
    angle = np.linspace(0, np.pi, n_samples)
    upper = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    lower = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], axis=1)
    x = np.where(y[:, None] == 0, upper, lower)
    x = x + rng.normal(scale=noise, size=x.shape)
    return x.astype(np.float32), y.astype(np.int64)


def digits(
    validation_fraction: float = 0.2, test_fraction: float = 0.2, seed: int = 0
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """scikit-learn's bundled 8x8 handwritten digits, split and scaled to ``[0, 1]``.

    The 1,797 images ship with scikit-learn, so nothing is downloaded. Pixels
    (integers 0 to 16) are divided by 16. The split is stratified by class and
    fixed by ``seed``: first ``test_fraction`` of all examples is held out as
    the test set, then ``validation_fraction`` of all examples as the
    validation set; the rest is the training set.

    Returns
    -------
    dict
        ``{"train": (x, y), "validation": (x, y), "test": (x, y)}`` where each
        ``x`` has shape ``[n, 64]`` and dtype ``float32`` and each ``y`` holds
        the digits 0-9 with shape ``[n]`` and dtype ``int64``.

    Examples
    --------
    >>> splits = digits()
    >>> {name: x.shape for name, (x, y) in splits.items()}
    {'train': (1077, 64), 'validation': (360, 64), 'test': (360, 64)}
    >>> x, y = splits["train"]
    >>> x.dtype, float(x.min()), float(x.max()), sorted(set(y.tolist())) == list(range(10))
    (dtype('float32'), 0.0, 1.0, True)
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x, y = (x / 16.0).astype(np.float32), y.astype(np.int64)
    x_rest, x_test, y_rest, y_test = train_test_split(
        x, y, test_size=test_fraction, stratify=y, random_state=seed
    )
    x_train, x_val, y_train, y_val = train_test_split(
        x_rest,
        y_rest,
        test_size=validation_fraction / (1 - test_fraction),
        stratify=y_rest,
        random_state=seed,
    )
    return {"train": (x_train, y_train), "validation": (x_val, y_val), "test": (x_test, y_test)}
