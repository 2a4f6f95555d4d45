"""Dashboards run a fixed number of queries, whatever the amount of data or areas."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paradewi.reports.services import refresh_activity
from paradewi.requests.tests.factories import NIK_WOMAN
from paradewi.surveys.tests.factories import answer, handed_over

PAGES = ["reports_speed", "reports_ikm", "reports_speed_xlsx", "reports_ikm_xlsx", "reports_pdf"]


def count(client, name, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["head", "kecamatan_a", "desa_a"])
def test_the_queries_of_a_report_do_not_grow_with_the_data(personas, client, name, persona):
    p = personas
    period = f"{timezone.localdate():%Y}"
    client.force_login(getattr(p, persona))
    answer(handed_over(p), 4)
    refresh_activity()
    count(client, name, period=period)  # warm the per-process caches (regency, holidays)
    few = count(client, name, period=period)
    for number in range(5):
        answer(handed_over(p, subject_nik=f"35160112059000{number + 10}"), 3)
    answer(handed_over(p, "desa_b", subject_nik=NIK_WOMAN), 4)
    answer(handed_over(p, "desa_c", subject_nik="3516015708920003"), 2)
    refresh_activity()
    many = count(client, name, period=period)
    assert many == few
    print(f"{name} as {persona}: {many} queries")
