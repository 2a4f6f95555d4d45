"""Medians and 90th percentiles of working time, from histograms that add up across months."""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from paradewi.documents import services as documents_services
from paradewi.reports import durations
from paradewi.reports.durations import MEDIAN, P90, Percentile, bucket, percentile
from paradewi.reports.models import MonthlyDuration
from paradewi.reports.periods import month_period
from paradewi.reports.scope import scope_for
from paradewi.reports.selectors import speed_report
from paradewi.reports.services import refresh_activity
from paradewi.requests import services
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import make_submitted, pdf_file
from paradewi.worktime.testing import eight_to_four

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("minutes", "column"),
    [
        (0, "le_15"),
        (15, "le_15"),
        (16, "le_30"),
        (480, "le_480"),
        (481, "le_720"),
        (28800, "le_28800"),
        (28801, "over"),
    ],
)
def test_a_duration_falls_in_the_bucket_of_the_first_bound_it_does_not_pass(minutes, column):
    assert durations.COLUMNS[bucket(minutes)] == column


def counts_of(*minutes):
    counts = [0] * len(durations.COLUMNS)
    for value in minutes:
        counts[bucket(value)] += 1
    return counts


def test_a_percentile_is_the_upper_bound_of_the_bucket_of_its_nearest_rank():
    # Ten durations: the median is the 5th smallest (70 min, up to 90), the 90th percentile
    # the 9th (1000 min, up to 1200), the largest is beyond the scale.
    counts = counts_of(10, 20, 40, 50, 70, 100, 200, 500, 1000, 30000)
    assert percentile(counts, MEDIAN) == Percentile(90)
    assert percentile(counts, P90) == Percentile(1200)
    assert percentile(counts, Fraction(1)) == Percentile(28800, over=True)
    assert percentile(counts_of(), MEDIAN) is None
    assert percentile(counts_of(7), P90) == Percentile(15)


def test_histograms_of_months_add_up_to_the_histogram_of_the_period():
    january, february = counts_of(30, 30, 30), counts_of(600, 600, 600, 600)
    merged = [a + b for a, b in zip(january, february, strict=True)]
    assert merged == counts_of(30, 30, 30, 600, 600, 600, 600)
    # A median of medians would say 30 or 600; the merged histogram gives the 4th of 7.
    assert percentile(merged, MEDIAN) == Percentile(720)


@pytest.fixture(autouse=True)
def _hours(db):
    """The stays below are counted by hand in one window of 08.00-16.00 a day."""
    eight_to_four()


def at(day, hour, minute=0):
    return time_machine.travel(datetime(2026, 3, day, hour, minute, tzinfo=WIB), tick=False)


# Four KK changes submitted on Monday 2 March 2026 at 09:00 (office hours 08:00-16:00), each
# step at a given moment (day, hour, minute): verified, taken, completed, handed over.
JOURNEYS = [
    ((2, 9, 10), (2, 9, 40), (2, 10, 40), (2, 12, 40)),
    ((2, 9, 50), (2, 11, 50), (2, 15, 50), (3, 10, 50)),
    ((2, 12, 0), (3, 12, 0), (4, 12, 0), (6, 12, 0)),
    ((2, 9, 20), (2, 9, 30), (2, 9, 45), (2, 9, 50)),
]
# In working minutes, by hand:
#   at the kecamatan    10,  50, 180, 20  -> sorted 10, 20, 50, 180
#   in the Dinas queue  30, 120, 480, 10  -> sorted 10, 30, 120, 480
#   in process          60, 240, 480, 15  -> sorted 15, 60, 240, 480
#   until handed over  120, 180, 960,  5  -> sorted 5, 120, 180, 960
#                       (15:50-16:00 and 08:00-10:50 is 180; Wed 12:00 to Fri 12:00 is 960)
#   to completion      100, 410, 1140, 45 -> sorted 45, 100, 410, 1140
#   to hand-over       220, 590, 2100, 50 -> sorted 50, 220, 590, 2100
# Median: the 2nd of 4; 90th percentile: the 4th (ceil(3.6)); each read as the upper bound of
# its bucket.
EXPECTED = {
    "lead": (4, 424, 120, 1200),  # 100 -> up to 120; 1140 -> up to 1200
    "total": (4, 740, 240, 2400),  # 220 -> up to 240; 2100 -> up to 2400
    "district": (4, 65, 30, 180),  # 20 -> up to 30; 180 -> 180
    "queue": (4, 160, 30, 480),
    "process": (4, 199, 60, 480),
    "fix": (0, None, None, None),
    "pickup": (4, 316, 120, 960),
}


@pytest.fixture
def history(personas):
    p = personas
    with at(2, 9):
        requests = [
            make_submitted(p.desa_a, subject_nik=f"35160112059000{10 + n}")
            for n in range(len(JOURNEYS))
        ]
    steps = []
    for request, moments in zip(requests, JOURNEYS, strict=True):
        steps += [(moment, step, request.pk) for step, moment in enumerate(moments)]
    for moment, step, pk in sorted(steps):
        request = next(r for r in requests if r.pk == pk)
        with at(*moment):
            request.refresh_from_db()
            if step == 0:
                services.request_verify(actor=p.kecamatan_a, request=request)
            elif step == 1:
                services.request_claim(actor=p.clerk, request=request)
            elif step == 2:
                documents_services.request_complete(
                    actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file())]
                )
            else:
                services.request_hand_over(actor=p.desa_a, request=request)
    with at(9, 8):
        refresh_activity()
    return p


def test_the_median_and_90th_percentile_of_each_stage_match_a_hand_count(history):
    report = speed_report(scope_for(history.head), month_period(date(2026, 3, 1)))
    found = {
        row.measure: (
            row.count,
            row.mean,
            row.median.minutes if row.median else None,
            row.p90.minutes if row.p90 else None,
        )
        for row in report.turnaround
    }
    assert found == EXPECTED
    assert all(not row.median.over for row in report.turnaround if row.median)
    # Per kecamatan: Jatirejo holds the four, Gondang none.
    areas = {row.name: row.lead for row in report.areas}
    assert (areas["Kecamatan Jatirejo"].median, areas["Kecamatan Jatirejo"].p90) == (
        Percentile(120),
        Percentile(1200),
    )
    assert areas["Kecamatan Gondang"].median is None


def test_the_histograms_are_kept_per_month_village_and_measure(history):
    rows = {row.measure: row for row in MonthlyDuration.objects.all()}
    assert set(rows) == {"lead", "total", "district", "queue", "process", "pickup"}
    lead = rows["lead"]
    assert (lead.month, lead.village.code) == (date(2026, 3, 1), "35.16.01.2001")
    # 45, 100, 410 and 1140 minutes.
    assert (lead.le_45, lead.le_120, lead.le_420, lead.le_1200) == (1, 1, 1, 1)
    assert sum(getattr(lead, column) for column in durations.COLUMNS) == 4


def test_the_dashboard_the_export_and_the_report_show_the_percentiles(history, client):
    client.cookies["django_language"] = "en"
    client.force_login(history.kecamatan_a)
    with at(9, 9):
        page = client.get(reverse("reports_speed"), {"period": "2026-03"})
        html = page.content.decode()
        assert "90th percentile" in html
        assert "≤ 2 h" in html  # median to completion: 120 working minutes
        assert "≤ 2 working days 5 h" in html  # 90th percentile to completion: 1200
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(
            BytesIO(client.get(reverse("reports_speed_xlsx"), {"period": "2026-03"}).content)
        )
        stages = list(book["Stages"].iter_rows(values_only=True))
        header, lead = stages[0], stages[1]
        assert "Median (working hours, at most)" in header
        assert lead[header.index("Median (working hours, at most)")] == 2
        assert lead[header.index("90th percentile (working hours, at most)")] == 20
        from pypdf import PdfReader

        pdf = client.get(reverse("reports_pdf"), {"period": "2026-03"}).content
        text = " ".join(
            " ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages
        )
        assert "90th percentile (at most)" in text
        assert "2 working days 5 h" in text
