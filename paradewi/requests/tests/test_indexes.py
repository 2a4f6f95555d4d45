"""The indexes the worklists' searches need are there and serve them (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]


def test_the_search_by_name_can_use_the_index_of_name_hashes(personas):
    """Names are encrypted: the search by name reads the keyed hashes of name words
    (`NameToken`, docs/security.md), through their index, never the names themselves."""
    from paradewi.requests.models import NameToken

    village = personas.desa_a.area
    query = NameToken.objects.filter(
        token=12345, district_id=village.parent_id, village_id=village.pk
    ).values("request_id")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # The test table is tiny, so the planner would read it whole: forbid that.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "name_token_search" in plan
