"""Counting attempts in the shared cache: the limits on guessing and on abuse.

Used by the public tracking page (wrong PINs per number and per client address), the public
verification page (lookups and file checks per client address) and the password reset (per
address and per e-mail). The counts live in Django's default cache, shared by every app
server (the database cache by default), so a limit holds however many servers answer.

Two kinds of limit:
- `Limit`: at most `limit` attempts in a sliding window; the `limit`-th locks the value out
  for `lockout` seconds. For guessing, where a lost count would be a free guess.
- `count_in_fixed_window`: a plain counter that starts at the first event and expires with
  its window. For a soft limit where a rare lost count does no harm.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache


def hashed_key(prefix: str, scope: str, value: str) -> str:
    """A cache key for `value`: hashed, so any text a client sends makes a short key without
    spaces or control characters."""
    return f"{prefix}:{scope}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def count_in_window(key: str, limit: int, window: int) -> int:
    """Record one attempt under `key`; return the attempts of the last `window` seconds.

    Every attempt takes one slot key with `cache.add`, which is atomic on every backend
    (an INSERT against the primary key in the database cache, SET NX in Redis). The database
    cache's `incr` is a get-then-set (two app servers lose each other's counts, and it resets
    the timeout), so it is not used. Slots belong to fixed periods of `window` seconds and live
    `window` seconds, so a slot key is never reused and the live slots of this period and the
    previous one are exactly the attempts of the last `window` seconds. Counts stop at `limit`.
    """
    period = int(time.time()) // window
    previous = [f"{key}:{period - 1}:{slot}" for slot in range(limit)]
    current = [f"{key}:{period}:{slot}" for slot in range(limit)]
    live = cache.get_many(previous + current)
    count = len(live)
    for slot_key in current:
        if slot_key in live:
            continue
        if cache.add(slot_key, 1, window):
            return count + 1
        count += 1  # taken a moment ago by a concurrent attempt
    return max(count, limit)


@dataclass(frozen=True)
class Limit:
    """At most `limit` attempts per `window` seconds for one value (a number, an address);
    the `limit`-th locks the value out for `lockout` seconds.

    Keys: `<prefix>:<counter>:<scope>:<hash>` for the count, `<prefix>:lock:<scope>:<hash>`
    for the lock-out."""

    prefix: str
    scope: str
    limit: int
    window: int
    lockout: int
    counter: str = "count"

    def lock_key(self, value: str) -> str:
        return hashed_key(self.prefix, f"lock:{self.scope}", value)

    def is_locked(self, value: str) -> bool:
        return bool(cache.get(self.lock_key(value)))

    def record(self, value: str) -> None:
        """Count one attempt for `value`; the `limit`-th in the window starts the lock-out."""
        key = hashed_key(self.prefix, f"{self.counter}:{self.scope}", value)
        if count_in_window(key, self.limit, self.window) >= self.limit:
            cache.set(self.lock_key(value), True, self.lockout)


def locked_keys(keys: Iterable[str]) -> set[str]:
    """Which of these lock keys (`Limit.lock_key`) are set: several limits in one cache read."""
    return set(cache.get_many(list(keys)))


def count_in_fixed_window(key: str, window: int = 3600) -> int:
    """Count an event under `key`; return the count since the window (seconds) started."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1
