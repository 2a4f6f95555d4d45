"""The daily refresh of the query planner's statistics."""

from __future__ import annotations

import pytest
from django.db import connection

from paradewi.core.clock import tick
from paradewi.core.tasks import update_planner_statistics, update_planner_statistics_task

pytestmark = pytest.mark.django_db


def test_sqlite_gets_statistics_and_postgresql_is_left_to_autovacuum(regions):
    ran = update_planner_statistics()
    if connection.vendor == "sqlite":
        assert ran is True
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'regions_region'")
            assert cursor.fetchone()[0] > 0
    else:
        assert ran is False


def test_the_clock_enqueues_it_once_a_day():
    assert update_planner_statistics_task.name in tick()
    assert update_planner_statistics_task.name not in tick()
