"""The shared counters behind every limit on guessing and abuse."""

from __future__ import annotations

import time_machine

from paradewi.core.ratelimit import Limit, count_in_fixed_window, locked_keys

GUESSES = Limit(prefix="test", scope="pin", limit=3, window=900, lockout=900)


@time_machine.travel("2026-11-02 09:00 +07:00", tick=False)
def test_the_limit_th_attempt_locks_that_value_out_and_no_other():
    GUESSES.record("a")
    GUESSES.record("a")
    assert not GUESSES.is_locked("a")
    GUESSES.record("a")
    assert GUESSES.is_locked("a")
    assert not GUESSES.is_locked("b")
    assert locked_keys([GUESSES.lock_key("a"), GUESSES.lock_key("b")]) == {GUESSES.lock_key("a")}


def test_the_lock_out_ends_after_its_time():
    with time_machine.travel("2026-11-02 09:00 +07:00", tick=False) as traveller:
        for _attempt in range(3):
            GUESSES.record("a")
        assert GUESSES.is_locked("a")
        traveller.shift(901)
        assert not GUESSES.is_locked("a")


def test_a_fixed_window_counts_every_event():
    assert [count_in_fixed_window("test:reset") for _event in range(3)] == [1, 2, 3]
