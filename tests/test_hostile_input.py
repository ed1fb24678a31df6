"""Property-based tests: whatever a reader passes, dlguide answers correctly or says why.

Every call either returns a correct result or raises ValueError/TypeError whose message
names the offending argument; never another exception from deep inside NumPy or Keras,
and never a silently wrong shape.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlguide import activations
from dlguide._validation import as_float_array, check_non_negative_float, check_positive_int
from dlguide.data import two_moons
from dlguide.models import binary_classifier
from dlguide.plotting import plot_decision_boundaries

NUMERIC_DTYPES = st.sampled_from(
    [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint64, np.float16, np.float32, np.float64]
)
OTHER_DTYPES = st.sampled_from([np.bool_, np.complex64, np.complex128, "U3", "O", "M8[s]"])
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=3),
    st.complex_numbers(),
)
REFERENCES = {
    activations.relu: lambda x: np.maximum(x, 0),
    activations.relu_grad: lambda x: (x > 0).astype(float),
    activations.sigmoid: lambda x: 0.5 * (1 + np.tanh(x / 2)),
    activations.sigmoid_grad: lambda x: 0.25 / np.cosh(x / 2) ** 2,
    activations.tanh: np.tanh,
    activations.tanh_grad: lambda x: 1 / np.cosh(x) ** 2,
}


def raises_naming(error: Exception, argument: str) -> bool:
    return (
        isinstance(error, (TypeError, ValueError))
        and re.match(rf"{re.escape(argument)}\b", str(error)) is not None
    )


@pytest.mark.parametrize("function", list(REFERENCES), ids=lambda f: f.__name__)
@given(x=hnp.arrays(NUMERIC_DTYPES, SHAPES, elements={"allow_nan": True}))
@settings(max_examples=150, deadline=None)
def test_activations_on_any_numeric_array(function, x):
    if x.dtype.kind == "f" and np.isnan(x).any():
        with pytest.raises(ValueError, match=r"^x contains NaN"):
            function(x)
        return
    with np.errstate(over="ignore"):
        result = function(x)
        expected = REFERENCES[function](x.astype(np.float64))
    assert result.shape == x.shape
    assert result.dtype == (x.dtype if x.dtype.kind == "f" else np.float64)
    assert not np.isnan(result).any()
    tolerance = {np.float16: 2e-3, np.float32: 2e-6}.get(x.dtype.type, 1e-12)
    np.testing.assert_allclose(result.astype(np.float64), expected, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("function", list(REFERENCES), ids=lambda f: f.__name__)
@given(x=hnp.arrays(OTHER_DTYPES, SHAPES))
@settings(max_examples=40, deadline=None)
def test_activations_reject_non_numeric_arrays(function, x):
    with pytest.raises(TypeError, match=r"^x must be a real-valued numeric array"):
        function(x)


@given(value=ANYTHING)
@settings(max_examples=200)
def test_argument_checks_accept_or_name_the_argument(value):
    for check, name in [(check_positive_int, "n"), (check_non_negative_float, "noise")]:
        try:
            result = check(value, name)
        except Exception as error:
            assert raises_naming(error, name), repr(error)
        else:
            assert result == (value if name == "n" else float(value))
            assert result > 0 if name == "n" else result >= 0


@given(value=st.one_of(ANYTHING, hnp.arrays(NUMERIC_DTYPES | OTHER_DTYPES, SHAPES)))
@settings(max_examples=200, deadline=None)
def test_as_float_array_returns_floats_or_names_the_argument(value):
    try:
        result = as_float_array(value, "data", ndim=2)
    except Exception as error:
        assert raises_naming(error, "data"), repr(error)
    else:
        assert result.ndim == 2 and result.dtype.kind == "f" and not np.isnan(result).any()


@given(
    n_samples=st.one_of(st.integers(-5, 3000), ANYTHING),
    noise=st.one_of(st.floats(-1, 5), st.floats(), ANYTHING),
)
@settings(max_examples=150, deadline=None)
def test_two_moons_on_any_arguments(n_samples, noise):
    try:
        x, y = two_moons(n_samples=n_samples, noise=noise)
    except Exception as error:
        assert raises_naming(error, "n_samples") or raises_naming(error, "noise"), repr(error)
    else:
        assert x.shape == (n_samples, 2) and y.shape == (n_samples,)
        assert np.isfinite(x).all() and set(np.unique(y)) <= {0, 1}


@given(hidden_units=st.lists(st.one_of(st.integers(-2, 6), ANYTHING), max_size=3))
@settings(max_examples=30, deadline=None)
def test_binary_classifier_on_any_hidden_units(hidden_units):
    try:
        model = binary_classifier(n_features=2, hidden_units=hidden_units)
    except Exception as error:
        assert re.match(r"hidden_units(\[\d+\] must be| \[)", str(error)), repr(error)
        assert isinstance(error, (TypeError, ValueError))
    else:
        assert [layer.units for layer in model.layers] == [*hidden_units, 1]


@given(x=hnp.arrays(NUMERIC_DTYPES | OTHER_DTYPES, SHAPES), y=hnp.arrays(np.int64, SHAPES))
@settings(max_examples=40, deadline=None)
def test_decision_boundary_plot_on_any_arrays(x, y):
    try:
        fig = plot_decision_boundaries(x, y, {"zero": lambda p: np.zeros(len(p))}, resolution=5)
    except Exception as error:
        assert raises_naming(error, "x") or raises_naming(error, "y"), repr(error)
    else:
        assert x.ndim == 2 and x.shape[1] == 2 and y.shape == (len(x),)
        assert len(fig.axes) == 1
