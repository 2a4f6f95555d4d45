"""Background tasks of core (django-tasks)."""

from __future__ import annotations

from django.db import connections
from django_tasks import task

# Rows SQLite reads per index when it refreshes its statistics: approximate figures, in
# milliseconds even on a database of several GB (PRAGMA analysis_limit).
SQLITE_ANALYSIS_LIMIT = 1000


def update_planner_statistics(using: str = "default") -> bool:
    """Refresh the query planner's statistics on SQLite; True when something ran.

    SQLite keeps no statistics by itself: without them it picks indexes by rules of thumb,
    and chose the kecamatan column over the (month, kecamatan) index for a dashboard
    (85 ms instead of 1.5 ms on three years of Mojokerto). PostgreSQL's autovacuum keeps its
    own statistics, so nothing is done there.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True


@task()
def update_planner_statistics_task() -> None:
    """Once a day (the periodic tick enqueues it)."""
    update_planner_statistics()
