"""dlguide._validation: the argument checks behind every public function."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide._validation import as_float_array, check_non_negative_float, check_positive_int


def test_as_float_array_keeps_float_dtypes_and_converts_integers():
    assert as_float_array(np.ones(2, np.float32), "x").dtype == np.float32
    assert as_float_array(np.ones(2, np.uint8), "x").dtype == np.float64


def test_as_float_array_checks_the_number_of_dimensions():
    with pytest.raises(ValueError, match=r"points must have 2 dimension\(s\), got shape \(3,\)"):
        as_float_array([1, 2, 3], "points", ndim=2)


@pytest.mark.parametrize("value", [1, 7, np.int64(3)])
def test_check_positive_int_accepts_positive_integers(value):
    assert check_positive_int(value, "n") == value
    assert type(check_positive_int(value, "n")) is int


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0, ValueError, "n must be a positive integer, got 0"),
        (-3, ValueError, "n must be a positive integer, got -3"),
        (2.0, TypeError, "n must be an integer, got float"),
        (True, TypeError, "n must be an integer, got bool"),
        ("4", TypeError, "n must be an integer, got str"),
    ],
)
def test_check_positive_int_rejects(value, error, message):
    with pytest.raises(error, match=message):
        check_positive_int(value, "n")


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (-0.5, ValueError, "noise must be a finite number >= 0, got -0.5"),
        (float("nan"), ValueError, "got nan"),
        (float("inf"), ValueError, "got inf"),
        (None, TypeError, "noise must be a real number, got NoneType"),
        (False, TypeError, "got bool"),
    ],
)
def test_check_non_negative_float_rejects(value, error, message):
    with pytest.raises(error, match=message):
        check_non_negative_float(value, "noise")


def test_check_non_negative_float_accepts_zero_and_integers():
    assert check_non_negative_float(0, "noise") == 0.0
    assert isinstance(check_non_negative_float(2, "noise"), float)
