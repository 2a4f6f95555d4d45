"""Dashboards run a fixed number of queries, whatever the amount of data, the areas or the
length of the period (months or days); each page has a budget."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paradewi.reports.periods import add_months
from paradewi.reports.services import refresh_activity
from paradewi.requests.tests.factories import NIK_WOMAN
from paradewi.surveys.tests.factories import answer, handed_over

# Queries per page and reader, the session, the user and the page's context processors
# included (docs/reports.md lists them). The IKM page, its export and the PDF read the
# complaints beside U9 too: their rows and the office closures of the working-time clock.
# The regency's speed page also counts the Dinas's corrections (one aggregate).
BUDGET = {
    "reports_speed": {"head": 13, "kecamatan_a": 11, "desa_a": 10},
    "reports_ikm": {"head": 14, "kecamatan_a": 13, "desa_a": 12},
    "reports_returns": {"head": 10, "kecamatan_a": 9, "desa_a": 8},
    "reports_ranking": {"head": 10, "kecamatan_a": 8},
    "reports_speed_xlsx": {"head": 12, "kecamatan_a": 10, "desa_a": 9},
    "reports_ikm_xlsx": {"head": 13, "kecamatan_a": 12, "desa_a": 11},
    "reports_returns_xlsx": {"head": 9, "kecamatan_a": 8, "desa_a": 7},
    "reports_ranking_xlsx": {"head": 9, "kecamatan_a": 7},
    "reports_pdf": {"head": 19, "kecamatan_a": 17, "desa_a": 16},
}
CASES = [(name, persona) for name, readers in BUDGET.items() for persona in readers]


def count(client, name, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_the_queries_of_a_report_do_not_grow_with_the_data(
    personas, client, settings, name, persona
):
    # The queries of computing the figures, each time (not the figures kept by reports.cache).
    settings.REPORT_CACHE_SECONDS = 0
    p = personas
    today = timezone.localdate()
    period = f"{today:%Y}"
    years = f"{add_months(today.replace(day=1), -23):%Y-%m}..{today:%Y-%m}"
    # A range of days with whole months inside and days at both edges.
    days = f"{add_months(today.replace(day=1), -14):%Y-%m}-10..{today:%Y-%m-%d}"
    client.force_login(getattr(p, persona))
    answer(handed_over(p), 4, comment="Baik")
    refresh_activity()
    count(client, name, period=period)  # warm the per-process caches (regency, holidays)
    few = count(client, name, period=period)
    for number in range(5):
        answer(handed_over(p, subject_nik=f"35160112059000{number + 10}"), 3, comment="Cepat")
    answer(handed_over(p, "desa_b", subject_nik=NIK_WOMAN), 4)
    answer(handed_over(p, "desa_c", subject_nik="3516015708920003"), 2)
    refresh_activity()
    many = count(client, name, period=period)
    longer = count(client, name, period=years)
    edges = count(client, name, period=days)
    print(f"{name} as {persona}: {many} queries")
    # Comments are read only once a month has enough answers to show them: one more query.
    # The days at the edges of a range are read in the same query as its whole months.
    assert few <= many == longer == edges <= few + 1
    assert many <= BUDGET[name][persona]


def _plan(query) -> str:
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # The test table is tiny, so the planner would read it whole: forbid that.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
def test_the_dinas_corrections_are_counted_from_their_own_small_index(personas):
    """The regency's speed page counts the Dinas's clerical corrections, a few rows among a
    million: through the partial index, not by reading the table (390 ms at 1,000,000
    requests on SQLite without it). SQLite's choice depends on its statistics, which an empty
    test database lacks: on the bench data set it takes the same index (bench/README.md)."""
    from paradewi.requests.models import CorrectionCause, ServiceRequest

    query = ServiceRequest.objects.filter(
        correction_cause=CorrectionCause.CLERICAL,
        district__in=[personas.kecamatan_a.area_id],
    ).values("pk")
    assert "req_clerical_corrections" in _plan(query)
