"""Any range of days: parsing and its rules, the edges of a range in local time (Asia/Jakarta),
working time counted whole on the day a duration ends, the shortcuts, the exports, and who
sees what with a range."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from paradewi.documents import services as documents_services
from paradewi.reports.forms import Filters
from paradewi.reports.periods import (
    MAX_RANGE_MONTHS,
    PeriodError,
    day_range_period,
    latest_last_day,
    parse_day,
    parse_period,
)
from paradewi.reports.scope import scope_for
from paradewi.reports.selectors import ikm_report, returns_report, speed_report
from paradewi.reports.services import refresh_activity
from paradewi.requests import services
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import make_submitted, pdf_file
from paradewi.surveys.tests.factories import answer, handed_over
from paradewi.worktime.testing import eight_to_four

WIB = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 5, 14)


def at(day: int, hour: int, minute: int = 0, month: int = 3):
    """A moment of 2026 in local time (WIB), with the clock frozen."""
    return time_machine.travel(datetime(2026, month, day, hour, minute, tzinfo=WIB), tick=False)


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


# --- parsing and the rules of a range -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-10", date(2026, 3, 10)),
        ("10/03/2026", date(2026, 3, 10)),
        ("10-03-2026", date(2026, 3, 10)),
        ("1.3.2026", date(2026, 3, 1)),
        (" 2024-02-29 ", date(2024, 2, 29)),
        ("2026-02-30", None),
        ("31/04/2026", None),
        ("2026/03/10", None),
        ("10 Maret 2026", None),
        ("", None),
    ],
)
def test_a_day_is_read_as_a_date_field_sends_it_or_as_people_write_it(text, day):
    assert parse_day(text) == day


def test_a_range_of_days_names_its_whole_months_and_its_edges():
    period = parse_period("2026-02-20..2026-05-03", TODAY)
    assert period.kind == "days"
    assert period.whole_months == [date(2026, 3, 1), date(2026, 4, 1)]
    assert period.edge_days == [
        (date(2026, 2, 20), date(2026, 2, 28)),
        (date(2026, 5, 1), date(2026, 5, 3)),
    ]
    assert period.covering.key == "2026-02..2026-05"
    assert period.days == 9 + 31 + 30 + 3
    inside = parse_period("2026-03-10..2026-03-20", TODAY)
    assert inside.whole_months == []
    assert inside.edge_days == [(date(2026, 3, 10), date(2026, 3, 20))]
    assert inside.covering.key == "2026-03"
    across = parse_period("2026-03-10..2026-04-05", TODAY)
    assert across.whole_months == []
    assert across.edge_days == [(date(2026, 3, 10), date(2026, 4, 5))]


def test_a_day_begins_at_midnight_in_jakarta():
    period = parse_period("2026-03-10..2026-03-11", TODAY)
    assert period.start == datetime(2026, 3, 10, tzinfo=WIB)
    assert period.end == datetime(2026, 3, 12, tzinfo=WIB)
    # 17:00 UTC on the 9th is already the 10th in Jakarta.
    assert period.start.astimezone(ZoneInfo("UTC")).hour == 17


@pytest.mark.parametrize(
    ("key", "normal"),
    [
        ("2026-03-01..2026-03-31", "2026-03"),
        ("2026-01-01..2026-04-30", "2026-01..2026-04"),
        ("2026-05-14..2026-05-14", "2026-05-14"),
        ("2026-05-01..2026-05-14", "2026-05-01..2026-05-14"),  # this month so far: days
    ],
)
def test_a_range_of_whole_months_is_those_months(key, normal):
    assert parse_period(key, TODAY).key == normal


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (date(2026, 4, 10), date(2026, 4, 9), "ends before it begins"),
        (date(2026, 5, 1), date(2026, 5, 15), "cannot end after today \\(14 May 2026\\)"),
        (date(1999, 12, 31), date(2000, 1, 5), "begin in 2000"),
        (date(2021, 3, 10), date(2026, 3, 10), "at most five years"),
    ],
)
def test_a_range_of_days_that_cannot_be_reported_on_says_why(first, last, message):
    with pytest.raises(PeriodError, match=message):
        day_range_period(first, last, TODAY)


def test_the_longest_range_is_five_years_to_the_day():
    assert MAX_RANGE_MONTHS == 60
    assert latest_last_day(date(2021, 3, 10)) == date(2026, 3, 9)
    assert latest_last_day(date(2021, 3, 1)) == date(2026, 2, 28)
    assert latest_last_day(date(2020, 2, 29)) == date(2025, 2, 28)
    assert day_range_period(date(2021, 3, 10), date(2026, 3, 9), TODAY).days == 1826
    with pytest.raises(PeriodError, match="the last day is 9 March 2026"):
        day_range_period(date(2021, 3, 10), date(2026, 3, 10), TODAY)


@pytest.mark.parametrize(
    "key",
    ["2026-05-10..2026-05-15", "2026-04-10..2026-04-09", "2026-02-30..2026-03-01", "2026-05-15"],
)
def test_a_bad_range_of_days_in_an_address_is_no_period(key):
    assert parse_period(key, TODAY) is None


# --- the edges: local days, working time counted whole where it ends ----------------------------


@pytest.fixture
def _hours(db):
    eight_to_four()


def head_speed(p, key, today):
    return speed_report(scope_for(p.head), parse_period(key, today))


@pytest.mark.usefixtures("_hours")
def test_a_request_submitted_before_the_range_and_completed_inside_counts_there_with_all_its_time(
    p,
):
    """Submitted Monday 2 March 09:00, verified 10:00, taken 13:00, completed Tuesday 3 March
    09:00 (one working day: 480 working minutes), handed over Wednesday 4 March 10:00."""
    with at(2, 9):
        request = make_submitted(p.desa_a)
    with at(2, 10):
        request = services.request_verify(actor=p.kecamatan_a, request=request)
    with at(2, 13):
        request = services.request_claim(actor=p.clerk, request=request)
    with at(3, 9):
        request = documents_services.request_complete(
            actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file())]
        )
    with at(4, 10):
        services.request_hand_over(actor=p.desa_a, request=request)
    with at(20, 9):
        refresh_activity()
        today = date(2026, 3, 20)
        inside = head_speed(p, "2026-03-03..2026-03-20", today)
        before = head_speed(p, "2026-03-02", today)
        month = head_speed(p, "2026-03", today)
    # The range from the 3rd: completed there, with all its working time since the 2nd; not
    # submitted there. The stay in process (Monday 13:00 to Tuesday 09:00) ended inside too.
    assert (inside.total.submitted, inside.total.completed) == (0, 1)
    assert inside.total.lead_minutes == 480
    assert inside.total.completed_on_time == 1
    assert (inside.total.process_stays, inside.total.process_minutes) == (1, 240)
    assert inside.total.handed_over == 1
    assert inside.total.total_minutes == 480 + 540
    assert (inside.lead.count, inside.lead.median.minutes) == (1, 480)
    # The 2nd alone: submitted, verified and taken; nothing completed.
    assert (before.total.submitted, before.total.completed) == (1, 0)
    assert (before.total.district_stays, before.total.queue_stays) == (1, 1)
    assert before.lead.count == 0
    # The days add up to the month.
    for name in ("submitted", "completed", "lead_minutes", "process_minutes", "total_minutes"):
        assert getattr(before.total, name) + getattr(inside.total, name) == getattr(
            month.total, name
        )


@pytest.mark.usefixtures("_hours")
def test_a_day_ends_at_midnight_in_jakarta_not_in_utc(p):
    """Submitted at 23:30 on Monday 2 March (16:30 UTC), verified at 00:10 on Tuesday 3 March
    (17:10 UTC on the 2nd)."""
    with at(2, 23, 30):
        request = make_submitted(p.desa_a)
    with at(3, 0, 10):
        services.request_verify(actor=p.kecamatan_a, request=request)
    with at(20, 9):
        refresh_activity()
        today = date(2026, 3, 20)
        monday = head_speed(p, "2026-03-02", today)
        tuesday = head_speed(p, "2026-03-03", today)
    assert (monday.total.submitted, monday.total.district_stays) == (1, 0)
    assert (tuesday.total.submitted, tuesday.total.district_stays) == (0, 1)
    # The night is outside office hours: no working time.
    assert tuesday.total.district_minutes == 0


@pytest.mark.usefixtures("_hours")
def test_a_long_range_adds_whole_months_and_edge_days_in_one_query(p):
    """Whole months from the monthly rows, the days at the edges from the daily rows."""
    with at(27, 9, month=2):  # Friday 27 February
        first = make_submitted(p.desa_a)
    with at(2, 9):
        make_submitted(p.desa_a, subject_nik="3516011205900011")
    with at(31, 9):
        second = make_submitted(p.desa_a, subject_nik="3516011205900012")
    with at(1, 9, month=4):
        services.request_return(actor=p.kecamatan_a, request=first, reason="Buram")
        services.request_verify(actor=p.kecamatan_a, request=second)
        refresh_activity()
        today = date(2026, 4, 1)
        scope = scope_for(p.head)
        long = parse_period("2026-02-28..2026-04-01", today)
        assert long.whole_months == [date(2026, 3, 1)]
        with CaptureQueriesContext(connection) as queries:
            report = returns_report(scope, long)
        edges = returns_report(scope, parse_period("2026-02-27..2026-02-28", today))
        speed = speed_report(scope, long)
        last_day = speed_report(scope, parse_period("2026-04-01", today))
    # Submitted: the 2nd and 31st of March (the 27th of February is outside); the return of
    # the 1st of April inside.
    assert (report.submitted, report.returned_requests) == (2, 1)
    assert (edges.submitted, edges.returned_requests) == (1, 0)
    assert speed.total.submitted == 2
    # At the kecamatan: the first since Friday 27 February, the second since Tuesday 31
    # March, both ended Wednesday 1 April: counted whole on that day, inside the range.
    assert speed.total.district_stays == last_day.total.district_stays == 2
    assert speed.total.district_minutes == last_day.total.district_minutes > 8 * 60
    period_reads = [q["sql"] for q in queries if "UNION ALL" in q["sql"].upper()]
    assert len(period_reads) == 2  # the activity, and the reasons: one query each


@pytest.mark.usefixtures("_hours")
def test_the_ikm_of_a_range_of_days_is_that_of_its_whole_months_with_the_same_cohort(p):
    """PermenPAN-RB 14/2017: the sample is drawn from the people served in the period. A
    response keeps only its month, so a range of days counts the IKM and the people served
    over the whole months it touches: one cohort, and the sample rule still holds."""
    with at(10, 9):
        requests = [handed_over(p, subject_nik=f"35160112059000{n + 10}") for n in range(5)]
        for request in requests:
            answer(request, 4)
    with at(20, 9):
        refresh_activity()
        report = ikm_report(scope_for(p.head), parse_period("2026-03-15..2026-03-20", TODAY))
    assert report.period.key == "2026-03"
    assert (report.served, report.total.responses, report.sample_needed) == (5, 5, 5)
    assert report.sample_adequate


# --- the form: shortcuts, validation, the other inputs kept -------------------------------------


def test_a_shortcut_fills_the_range_form_with_its_days_up_to_today(p, rf):
    scope = scope_for(p.head)
    filters = Filters.build(rf.get("/", {"period": "2026-05"}).GET, scope, TODAY)
    assert (filters.range_from, filters.range_to) == ("2026-05-01", "2026-05-14")
    assert filters.period.key == "2026-05"
    keys = [choice.key for choice in filters.periods]
    # The shortcuts as before: this month and the eleven before, quarters, semesters, years.
    assert keys[:2] == ["2026-05", "2026-04"]
    assert {"2026-Q2", "2026-S1", "2026", "2025-Q4", "2025"} <= set(keys)
    quarter = Filters.build(rf.get("/", {"period": "2025-Q4"}).GET, scope, TODAY)
    assert (quarter.range_from, quarter.range_to) == ("2025-10-01", "2025-12-31")


def test_a_range_of_days_from_the_form_becomes_its_key_in_every_link(p, en):
    en.force_login(p.head)
    page = en.get(
        reverse("reports_speed"),
        {"period": "range", "from": "2026-01-10", "to": "2026-02-05", "area": "35.16.01"},
    )
    assert page.status_code == 200
    filters = page.context["filters"]
    assert not filters.error
    assert filters.period.key == "2026-01-10..2026-02-05"
    assert filters.period.label == "10 January 2026 to 5 February 2026"
    html = page.content.decode()
    assert "period=2026-01-10..2026-02-05&amp;area=35.16.01" in html
    assert 'type="date" name="from" id="range-from" value="2026-01-10"' in html
    assert "Asia/Jakarta" in html
    # The menu shows the range chosen, selected.
    assert '<option value="2026-01-10..2026-02-05" selected>' in html


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-02-05", "2026-01-10", "The range ends before it begins"),
        ("2026-01-10", "2999-01-01", "The range cannot end after today"),
        ("2020-01-10", "2026-01-10", "at most five years (60 months) long"),
        ("1999-12-01", "2000-01-10", "Reports begin in 2000."),
        ("2026-01-10", "", "Choose the first and the last day."),
        ("2026-02-30", "2026-03-05", "“2026-02-30” is not a day"),
    ],
)
def test_a_wrong_range_of_days_is_explained_and_every_input_kept(p, en, start, end, message):
    en.force_login(p.kecamatan_a)
    page = en.get(
        reverse("reports_ranking"),
        {"period": "range", "from": start, "to": end, "area": "35.16.01", "order": "volume"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert message in page.context["filters"].error
    assert "Shown instead:" in html
    assert f'value="{start}"' in html
    if end:
        assert f'value="{end}"' in html
    assert page.context["scope"].region.code == "35.16.01"
    assert page.context["report"].order == "volume"
    assert 'aria-invalid="true"' in html


def test_the_range_of_days_is_explained_in_indonesian(p, client):
    client.force_login(p.head)
    page = client.get(
        reverse("reports_speed"), {"period": "range", "from": "2026-02-05", "to": "2999-01-01"}
    )
    html = page.content.decode()
    assert "Rentang tidak boleh berakhir setelah hari ini" in html
    assert "Atau rentang hari mana pun (paling lama lima tahun)" in html
    page = client.get(
        reverse("reports_speed"), {"period": "range", "from": "2020-01-10", "to": "2026-01-10"}
    )
    assert "paling lama lima tahun" in page.content.decode()


# --- exports and access with a range --------------------------------------------------------------

EXPORTS = [
    "reports_speed_xlsx",
    "reports_ikm_xlsx",
    "reports_returns_xlsx",
    "reports_ranking_xlsx",
    "reports_pdf",
]
PAGES = ["reports_speed", "reports_ikm", "reports_returns", "reports_ranking", "reports_workload"]


@pytest.mark.parametrize("name", EXPORTS)
def test_every_export_takes_a_range_of_days(p, en, name):
    en.force_login(p.head)
    response = en.get(reverse(name), {"period": "2026-01-10..2026-02-05"})
    assert response.status_code == 200
    assert "-2026-01-10_2026-02-05." in response["Content-Disposition"]
    if name.endswith("_xlsx"):
        book = load_workbook(io.BytesIO(response.content))
        about = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
        if name == "reports_ikm_xlsx":
            assert about["Period"] == "January 2026 to February 2026"
            assert about["Days chosen"] == "10 January 2026 to 5 February 2026"
            assert "whole months" in str(about["IKM counted over"])
        else:
            assert about["Period"] == "10 January 2026 to 5 February 2026"


def test_the_ikm_export_of_days_inside_one_month_carries_that_months_tabulation(p, en):
    with at(10, 9):
        for n in range(5):
            answer(handed_over(p, subject_nik=f"35160112059000{n + 10}"), 4)
    with at(20, 9):
        refresh_activity()
        en.force_login(p.head)
        book = load_workbook(
            io.BytesIO(en.get(reverse("reports_ikm_xlsx"), {"period": "2026-03-15"}).content)
        )
        assert len(list(book["Tabulation"].iter_rows(min_row=2))) == 5
        en.force_login(p.clerk)
        book = load_workbook(
            io.BytesIO(en.get(reverse("reports_ikm_xlsx"), {"period": "2026-03-15"}).content)
        )
        assert "Tabulation" not in book.sheetnames


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "head", "viewer"])
def test_every_reader_opens_their_pages_with_a_range_and_no_more(p, en, persona):
    en.force_login(getattr(p, persona))
    key = {"period": "2026-01-10..2026-02-05"}
    allowed = {
        "reports_speed": True,
        "reports_ikm": True,
        "reports_returns": True,
        "reports_ranking": persona != "desa_a",
        "reports_workload": persona in ("clerk", "head"),
    }
    for name, may in allowed.items():
        assert en.get(reverse(name), key).status_code == (200 if may else 404), name
    outside = {
        "desa_a": "35.16.01.2002",
        "kecamatan_a": "35.16.02",
        "clerk": "35.78",
        "head": "35.78",
        "viewer": "35.78.01",
    }[persona]
    for name in ("reports_speed", "reports_ikm_xlsx", "reports_pdf"):
        assert en.get(reverse(name), {**key, "area": outside}).status_code == 404


@pytest.mark.parametrize("name", [*PAGES, *EXPORTS])
def test_the_administrator_sees_nothing_with_a_range_either(p, en, name):
    en.force_login(p.admin)
    assert en.get(reverse(name), {"period": "2026-01-10..2026-02-05"}).status_code == 404


def test_the_viewer_reads_no_comment_with_a_range_and_the_head_does(p, en):
    with at(10, 9):
        for n in range(5):
            answer(
                handed_over(p, subject_nik=f"35160112059000{n + 10}"), 4, comment="Pelayanan cepat"
            )
    with at(20, 9):
        refresh_activity()
        en.force_login(p.viewer)
        viewer = en.get(reverse("reports_ikm"), {"period": "2026-03-15..2026-03-20"})
        en.force_login(p.head)
        head = en.get(reverse("reports_ikm"), {"period": "2026-03-15..2026-03-20"})
    assert viewer.context["report"].comments is None
    assert "Pelayanan cepat" not in viewer.content.decode()
    assert [c.text for c in head.context["report"].comments] == ["Pelayanan cepat"] * 5
    assert "The IKM is counted over whole months: March 2026" in head.content.decode()


# --- the reads stay on the indexes ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["head", "kecamatan_a", "desa_a"])
def test_the_daily_rows_are_read_through_an_index(p, persona):
    """The edge days of a range are read by index, never by a scan of the whole table (on
    PostgreSQL `bench/explain.py` checks the same on a generated data set)."""
    scope = scope_for(getattr(p, persona))
    edges = scope.daily_activity().filter(day__gte=date(2026, 3, 10), day__lte=date(2026, 3, 20))
    plan = edges.values("village_id").annotate(n=Sum("submitted")).explain()
    if connection.vendor == "sqlite":
        assert "USING" in plan
        assert "INDEX" in plan
        assert "SCAN reports_dailyactivity" not in plan
