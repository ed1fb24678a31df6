"""dlguide._validation: the argument checks behind every public function."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide._validation import (
    as_float_array,
    as_tensor,
    check_callable,
    check_instance,
    check_int_sequence,
    check_mapping,
    check_non_negative_float,
    check_positive_int,
    check_sequence,
)


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


@pytest.mark.parametrize("value", [[2, 3], (2, 3), range(2, 4), np.array([2, 3])])
def test_check_int_sequence_accepts_lists_tuples_ranges_and_1d_arrays(value):
    assert check_int_sequence(value, "sizes") == [2, 3]
    assert all(type(n) is int for n in check_int_sequence(value, "sizes"))


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (None, TypeError, "sizes must be a sequence of positive integers, got NoneType"),
        ("23", TypeError, "sizes must be a sequence of positive integers, got str"),
        ({2: 3}, TypeError, "sizes must be a sequence of positive integers, got dict"),
        (np.array(2), TypeError, "sizes must be a sequence of positive integers, got ndarray"),
        ([2, 2.5], TypeError, r"sizes\[1\] must be an integer, got float"),
        ([2, 11], ValueError, r"sizes\[1\] must be at most 10, got 11"),
    ],
)
def test_check_int_sequence_rejects(value, error, message):
    with pytest.raises(error, match=message):
        check_int_sequence(value, "sizes", maximum=10)


def test_check_sequence_rejects_strings_and_2d_arrays():
    with pytest.raises(TypeError, match="metrics must be a sequence"):
        check_sequence("loss", "metrics")
    with pytest.raises(TypeError, match="got ndarray"):
        check_sequence(np.zeros((2, 2)), "metrics")


def test_mapping_callable_and_instance_checks_name_the_argument():
    with pytest.raises(TypeError, match="params must be a mapping"):
        check_mapping([("w", 1.0)], "params")
    with pytest.raises(TypeError, match="f must be callable"):
        check_callable(3, "f")
    with pytest.raises(TypeError, match=r"model must be an instance of numpy\.ndarray, got list"):
        check_instance([1], np.ndarray, "model")


def test_as_tensor_checks_the_kind_of_dtype():
    assert as_tensor(np.array([1, 2]), "tokens", kinds="i").dtype.is_integer
    with pytest.raises(TypeError, match="tokens must have a dtype of kind 'i'"):
        as_tensor(np.array([1.0]), "tokens", kinds="i")
    with pytest.raises(TypeError, match="query must be a tensor or an array of numbers"):
        as_tensor([[1.0], [1.0, 2.0]], "query")
