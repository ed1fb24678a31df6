"""Every public name of dlguide, called with arbitrary arguments, fails with a clear error.

Each parameter of each public function and class receives values drawn from a mix of
Python scalars, strings, lists and small arrays of any dtype. The call either
succeeds or raises ValueError/TypeError whose message starts with the name of one of
its parameters. (Which results are *correct* is checked by the focused properties in
test_hostile_input.py and test_hostile_input_parts.py, and by each module's tests.)
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable

import matplotlib.pyplot as plt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.test_hostile_input import NUMERIC_DTYPES, OTHER_DTYPES

MODULES = [
    "activations",
    "attention",
    "data",
    "distributed",
    "gradcheck",
    "graphs",
    "losses",
    "mlp",
    "models",
    "optimizers",
    "plotting",
    "side_by_side",
    "tasks",
    "training",
    "transformer",
]
# split_cpu reconfigures TensorFlow's devices, which a process can do only before
# TensorFlow starts; test_distributed.py calls it with bad arguments in a fresh process.
NOT_IN_THIS_PROCESS = {"dlguide.distributed.split_cpu"}

ARGUMENTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 64),
    st.just(10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.lists(st.integers(-2, 8), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    hnp.arrays(NUMERIC_DTYPES | OTHER_DTYPES, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
)


def public_callables() -> list[tuple[str, Callable]]:
    found = []
    for module_name in MODULES:
        module = importlib.import_module(f"dlguide.{module_name}")
        for name in module.__all__:
            qualified = f"dlguide.{module_name}.{name}"
            if callable(getattr(module, name)) and qualified not in NOT_IN_THIS_PROCESS:
                found.append((qualified, getattr(module, name)))
    return found


def parameter_names(function: Callable) -> list[str]:
    return [
        p.name
        for p in inspect.signature(function).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


@pytest.mark.parametrize(("qualified", "function"), public_callables(), ids=lambda v: str(v))
@given(data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_arguments_succeed_or_name_a_parameter(qualified, function, data):
    names = parameter_names(function)
    arguments = {name: data.draw(ARGUMENTS, label=name) for name in names}
    try:
        function(**arguments)
    except (TypeError, ValueError) as error:
        message = str(error).split("\n")[0]
        assert any(re.match(rf"{re.escape(name)}\b", message) for name in names), (
            f"{qualified}: {type(error).__name__}: {message}"
        )
    finally:
        plt.close("all")
