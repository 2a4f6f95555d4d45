"""The indexes the worklists' searches need are there and serve them (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from paradewi.requests.selectors import worklist

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index (pg_trgm)"),
]


def test_the_search_by_name_can_use_the_trigram_index(personas):
    query = worklist.worklist(personas.clerk, tab="all", query="aminah")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # The test table is tiny, so the planner would read it whole, or walk another of its
        # indexes whole once autovacuum has analyzed it as empty (the suite's inserts roll
        # back): forbid both, leaving the indexes that serve a condition of the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "req_subject_name_trgm" in plan
