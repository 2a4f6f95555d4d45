"""`field__any_of`: the same rows as `__in`, on every database, for primary and foreign keys."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paradewi.regions.models import Region

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds(regions):
    ids = sorted(Region.objects.filter(level=Region.Level.DISTRICT).values_list("pk", flat=True))
    chosen = ids[::3]
    assert set(Region.objects.filter(pk__any_of=chosen)) == set(
        Region.objects.filter(pk__in=chosen)
    )
    villages = Region.objects.filter(parent_id__any_of=chosen)
    assert villages.exists()
    assert set(villages) == set(Region.objects.filter(parent_id__in=chosen))


def test_an_empty_list_finds_nothing_without_a_query(regions):
    with CaptureQueriesContext(connection) as queries:
        assert list(Region.objects.filter(pk__any_of=[])) == []
    assert len(queries) == 0


def test_postgresql_gets_one_array_parameter(regions):
    chosen = list(Region.objects.values_list("pk", flat=True)[:500])
    with CaptureQueriesContext(connection) as queries:
        assert Region.objects.filter(pk__any_of=chosen).count() == len(chosen)
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
    else:
        assert sql.count(",") >= len(chosen) - 1
