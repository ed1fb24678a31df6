"""dlguide.data: the two-moons data set."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.data import digits, two_moons


def test_shapes_dtypes_and_balance():
    x, y = two_moons(n_samples=301, noise=0.2, seed=1)
    assert x.shape == (301, 2) and x.dtype == np.float32
    assert y.shape == (301,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}
    assert abs(int((y == 0).sum()) - int((y == 1).sum())) <= 1


def test_without_noise_points_lie_on_their_half_circles():
    x, y = two_moons(n_samples=200, noise=0.0)
    upper, lower = x[y == 0], x[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, atol=1e-6)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-6)
    assert (upper[:, 1] >= -1e-6).all() and (lower[:, 1] <= 0.5 + 1e-6).all()


def test_noise_has_the_requested_standard_deviation():
    clean, _ = two_moons(n_samples=20000, noise=0.0)
    noisy, _ = two_moons(n_samples=20000, noise=0.3, seed=5)
    assert np.std(noisy - clean) == pytest.approx(0.3, rel=0.02)


def test_same_seed_same_data_other_seed_other_data():
    a, _ = two_moons(seed=3)
    b, _ = two_moons(seed=3)
    c, _ = two_moons(seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_classes_are_not_linearly_separable_but_are_separated_by_a_curve():
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier

    x, y = two_moons(n_samples=600, noise=0.1)
    assert LogisticRegression().fit(x, y).score(x, y) < 0.9
    assert KNeighborsClassifier(5).fit(x, y).score(x, y) > 0.97


def test_digits_splits_are_disjoint_stratified_and_cover_the_data_set():
    from sklearn.datasets import load_digits

    splits = digits(validation_fraction=0.2, test_fraction=0.2, seed=0)
    sizes = {name: len(y) for name, (_, y) in splits.items()}
    assert sizes == {"train": 1077, "validation": 360, "test": 360}
    rows = np.concatenate([x for x, _ in splits.values()])
    assert len(np.unique(rows, axis=0)) == len(np.unique(load_digits().data, axis=0))
    for _, y in splits.values():
        assert np.bincount(y, minlength=10).min() >= 0.08 * len(y)


def test_digits_are_scaled_to_the_unit_interval_and_reproducible():
    (x, y), (x2, _) = digits(seed=1)["train"], digits(seed=1)["train"]
    assert x.dtype == np.float32 and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    np.testing.assert_array_equal(x, x2)
    assert not np.array_equal(x, digits(seed=2)["train"][0])
