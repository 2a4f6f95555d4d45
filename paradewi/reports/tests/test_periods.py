"""Report periods: months, quarters, semesters, years and ranges of months."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from paradewi.reports.periods import PeriodError, parse_period, range_period
from paradewi.reports.services import refresh_activity
from paradewi.surveys.tests.factories import answer, handed_over

TODAY = date(2026, 5, 14)


@pytest.mark.parametrize(
    ("key", "first", "last", "label"),
    [
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31), "March 2026"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "Quarter 1, 2026"),
        ("2025-S2", date(2025, 7, 1), date(2025, 12, 31), "Semester 2, 2025"),
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "Year 2025"),
        ("2025-02..2025-04", date(2025, 2, 1), date(2025, 4, 30), "February 2025 to April 2025"),
        ("2021-06..2026-05", date(2021, 6, 1), date(2026, 5, 31), "June 2021 to May 2026"),
        (
            "2026-03-10..2026-04-05",
            date(2026, 3, 10),
            date(2026, 4, 5),
            "10 March 2026 to 5 April 2026",
        ),
        ("2026-05-14", date(2026, 5, 14), date(2026, 5, 14), "14 May 2026"),
    ],
)
def test_a_key_names_its_months(key, first, last, label):
    period = parse_period(key, TODAY)
    assert (period.first, period.last, period.label) == (first, last, label)
    assert period.key == key


def test_a_range_of_three_months_is_not_a_quarter():
    period = parse_period("2026-02..2026-04", TODAY)
    assert period.is_range
    assert len(period.months) == 3
    assert "Quarter" not in period.label


def test_a_range_of_one_month_is_that_month():
    period = range_period(date(2026, 3, 1), date(2026, 3, 1), TODAY)
    assert (period.key, period.is_month, period.is_range) == ("2026-03", True, False)


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (date(2026, 4, 1), date(2026, 2, 1), "ends before it begins"),
        (date(2021, 5, 1), date(2026, 5, 1), "at most five years \\(60 months\\)"),
        (date(2026, 1, 1), date(2026, 6, 1), "cannot end after this month"),
        (date(1999, 1, 1), date(2000, 6, 1), "begin in 2000"),
    ],
)
def test_a_range_that_cannot_be_reported_on_says_why(first, last, message):
    with pytest.raises(PeriodError, match=message):
        range_period(first, last, TODAY)


@pytest.mark.parametrize(
    "key", ["2026-04..2026-02", "2021-05..2026-05", "2026-01..2026-06", "2026-1..2026-03", ".."]
)
def test_a_bad_range_in_an_address_is_no_period(key):
    assert parse_period(key, TODAY) is None


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def this_month():
    return timezone.localdate().replace(day=1)


PAGES = [
    "reports_speed",
    "reports_ikm",
    "reports_returns",
    "reports_ranking",
    "reports_speed_xlsx",
    "reports_ikm_xlsx",
    "reports_returns_xlsx",
    "reports_ranking_xlsx",
    "reports_pdf",
]


@pytest.mark.parametrize("name", PAGES)
def test_every_report_takes_a_range(personas, en, name):
    answer(handed_over(personas), 4)
    refresh_activity()
    en.force_login(personas.head)
    month = this_month()
    first = month.replace(year=month.year - 2)
    response = en.get(
        reverse(name), {"period": "range", "from": f"{first:%Y-%m}", "to": f"{month:%Y-%m}"}
    )
    assert response.status_code == 200
    key = f"{first:%Y-%m}..{month:%Y-%m}"
    if not name.endswith(("_xlsx", "_pdf")):
        filters = response.context["filters"]
        assert filters.period.key == key
        assert not filters.error
        report = response.context["report"]
        if name in ("reports_speed", "reports_ikm"):
            assert len(report.trend) == 25  # every month of a range longer than a year
        # Links (tabs, drill-down, downloads) carry the range as its key.
        assert f"period={first:%Y-%m}..{month:%Y-%m}" in response.content.decode()
    else:
        assert f"{first:%Y-%m}_{month:%Y-%m}" in response["Content-Disposition"]
    # The same key in an address gives the same period.
    assert en.get(reverse(name), {"period": key}).status_code == 200


def test_the_range_figures_add_up_the_months(personas, en):
    answer(handed_over(personas), 4)
    refresh_activity()
    en.force_login(personas.head)
    month = this_month()
    first = month.replace(year=month.year - 1)
    page = en.get(reverse("reports_speed"), {"period": f"{first:%Y-%m}..{month:%Y-%m}"})
    assert page.context["report"].total.handed_over == 1


def test_a_wrong_range_is_explained_and_the_months_are_kept(personas, en):
    en.force_login(personas.kecamatan_a)
    page = en.get(
        reverse("reports_ikm"),
        {"period": "range", "from": "2026-04", "to": "2025-01", "area": "35.16.01.2001"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    filters = page.context["filters"]
    assert filters.error
    assert filters.period.key == f"{timezone.localdate():%Y-%m}"
    assert "The range ends before it begins" in html
    assert "Shown instead:" in html
    # Months from an older form: the first day of the first, the last day of the last.
    assert 'value="2026-04-01"' in html
    assert 'value="2025-01-31"' in html
    assert page.context["scope"].region.code == "35.16.01.2001"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("", "2026-01", "Choose the first and the last day."),
        ("2026/01", "2026-02", "“2026/01” is not a day: write it as DD/MM/YYYY"),
    ],
)
def test_an_incomplete_range_is_explained(personas, en, start, end, message):
    en.force_login(personas.head)
    page = en.get(reverse("reports_speed"), {"period": "range", "from": start, "to": end})
    assert message in page.context["filters"].error
    assert message in page.content.decode()


def test_the_range_error_is_in_indonesian_for_an_indonesian_reader(personas, client):
    client.force_login(personas.head)
    page = client.get(
        reverse("reports_speed"), {"period": "range", "from": "2026-04", "to": "2025-01"}
    )
    html = page.content.decode()
    assert "Rentang berakhir sebelum dimulai" in html
    assert "Yang ditampilkan:" in html
    assert 'value="2026-04-01"' in html
