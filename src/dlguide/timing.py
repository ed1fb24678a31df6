"""Timing a computation, for comparisons such as eager against graph execution."""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["seconds_per_call"]


def seconds_per_call(
    function: Callable[[], object], *, repeats: int = 5, number: int = 10
) -> float:
    """Time ``function()``: the best of ``repeats`` runs of ``number`` calls, per call.

    The first call is made before timing, so one-off costs (such as tracing a
    ``tf.function``) are not counted. Taking the best run filters out the noise
    of other programs sharing the machine.

    Examples
    --------
    >>> seconds_per_call(lambda: sum(range(100))) < 1.0
    True
    """
    function()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            function()
        best = min(best, (time.perf_counter() - start) / number)
    return best
