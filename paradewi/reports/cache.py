"""Dashboard figures kept for a short while, so readers of the same figures share one computation.

A dashboard's figures come from the pre-aggregates (refreshed every few minutes) and a few live
counts (requests open now, the Dinas's clerical corrections, complaints). Computing them takes
35-90 ms of CPU at 1,000,000 requests (bench/README.md, "Where the time goes"); everyone who
reads the same area, period and role sees the same figures. They are kept in the per-process
cache ("local") for REPORT_CACHE_SECONDS (default 60), under a key of everything they depend
on: the report, the area, the reader's role (what the role may read, e.g. the residents'
comments), the period and its days, the language, the time of the last refresh of the
pre-aggregates (a refresh gives new figures at once) and the report's own arguments. So the
live counts are at most a minute old, which the dashboards' header says. Nothing personal is
kept across readers: the figures are aggregates (reports.scope), and the role is in the key.

`REPORT_CACHE_SECONDS=0` turns it off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language

from paradewi.reports.periods import Period
from paradewi.reports.scope import Scope

T = TypeVar("T")

_PREFIX = "reports:figures:"


def figures_key(
    kind: str, scope: Scope, period: Period, refreshed: datetime | None, *extra: Hashable
) -> str:
    """The cache key of one report's figures for this reader's area, role and period."""
    parts = (
        kind,
        scope.region.pk,
        scope.user.role,
        period.key,
        period.first.isoformat(),
        period.last.isoformat(),
        get_language() or "",
        refreshed.isoformat() if refreshed else "",
        *extra,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return _PREFIX + digest


def remembered(
    kind: str,
    scope: Scope,
    period: Period,
    refreshed: datetime | None,
    compute: Callable[[], T],
    *extra: Hashable,
) -> T:
    """`compute()`, or the same figures computed for the same key within REPORT_CACHE_SECONDS."""
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    store = caches["local"]
    key = figures_key(kind, scope, period, refreshed, *extra)
    found: T | None = store.get(key)
    if found is not None:
        return found
    value = compute()
    store.set(key, value, seconds)
    return value
