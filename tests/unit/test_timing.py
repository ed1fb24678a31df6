"""dlguide.timing: the best time per call, after one untimed warm-up call."""

from __future__ import annotations

import time

from dlguide.timing import seconds_per_call


def test_seconds_per_call_makes_one_warm_up_call_then_the_timed_ones():
    calls = []
    assert 0 < seconds_per_call(lambda: calls.append(1), repeats=2, number=3) < 1e-3
    assert len(calls) == 1 + 2 * 3


def test_seconds_per_call_measures_the_time_of_one_call():
    assert 0.009 < seconds_per_call(lambda: time.sleep(0.01), repeats=2, number=2) < 0.5
