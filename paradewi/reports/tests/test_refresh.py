"""The monthly pre-aggregate: stage times in working minutes and events, from the history."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from paradewi.documents import services as documents_services
from paradewi.reports.models import MonthlyActivity, ReportState
from paradewi.reports.services import refresh_activity
from paradewi.requests import services
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import make_draft, make_submitted, pdf_file, upload_all
from paradewi.worktime.testing import eight_to_four

WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0, month: int = 3):
    """A moment of 2026 (no holidays in early March) in local time, with the clock frozen."""
    return time_machine.travel(datetime(2026, month, day, hour, minute, tzinfo=WIB), tick=False)


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture(autouse=True)
def _hours(db):
    """The stays below are counted by hand in one window of 08.00-16.00 a day."""
    eight_to_four()


def travel(p, *, complete_on: tuple[int, int] = (3, 9)):
    """A KK change through every stage: Monday 2 March 09:00 submitted, 10:00 verified, 13:00
    taken, completed at `complete_on` (day, hour), handed over Wednesday 4 March 10:00."""
    with at(2, 9):
        request = make_submitted(p.desa_a)
    with at(2, 10):
        request = services.request_verify(actor=p.kecamatan_a, request=request)
    with at(2, 13):
        request = services.request_claim(actor=p.clerk, request=request)
    with at(*complete_on):
        request = documents_services.request_complete(
            actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file())]
        )
    with at(4, 10):
        request = services.request_hand_over(actor=p.desa_a, request=request)
    return request


def test_it_counts_each_stage_in_working_minutes(p):
    request = travel(p)
    with at(5, 8):
        # One activity row; durations of four stages, to completion and to hand-over; the
        # time to completion of the service in its kecamatan. Per day: activity on the 2nd,
        # 3rd and 4th; two durations ended on each of them.
        assert refresh_activity() == 1 + 6 + 1 + 3 + 6
    row = MonthlyActivity.objects.get()
    assert (row.month, row.village, row.district, row.service) == (
        date(2026, 3, 1),
        request.village,
        request.district,
        request.service,
    )
    assert (row.submitted, row.completed, row.handed_over) == (1, 1, 1)
    assert (row.district_stays, row.district_minutes) == (1, 60)
    assert (row.queue_stays, row.queue_minutes) == (1, 180)
    # Monday 13:00-16:00 and Tuesday 08:00-09:00: the night does not count.
    assert (row.process_stays, row.process_minutes) == (1, 240)
    # Tuesday 09:00-16:00 and Wednesday 08:00-10:00.
    assert (row.pickup_stays, row.pickup_minutes) == (1, 540)
    # One working day from submission: due Tuesday 09:00, completed then: on time.
    assert row.lead_minutes == 480
    assert row.completed_on_time == 1


def test_a_request_completed_after_its_due_time_is_late(p):
    travel(p, complete_on=(3, 11))
    with at(5, 8):
        refresh_activity()
    row = MonthlyActivity.objects.get()
    assert row.completed == 1
    assert row.completed_on_time == 0
    assert row.lead_minutes == 600


def test_time_back_at_the_village_is_a_stage_of_its_own_and_stops_the_clock(p):
    with at(2, 9):
        request = make_submitted(p.desa_a)
    with at(2, 11):
        request = services.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    with at(3, 9):
        request = services.request_submit(actor=p.desa_a, request=request)
    with at(3, 10):
        request = services.request_verify(actor=p.kecamatan_a, request=request)
    with at(3, 11):
        services.request_cancel(actor=p.desa_a, request=request, reason="Salah layanan")
    with at(3, 12):
        draft = make_draft(p.desa_a)
        services.request_cancel(actor=p.desa_a, request=draft, reason="Batal")
    with at(5, 8):
        refresh_activity()
    row = MonthlyActivity.objects.get()
    assert row.submitted == 1  # the resubmission is not a new request
    assert row.returned_by_district == 1
    assert (row.district_stays, row.district_minutes) == (2, 120 + 60)
    assert (row.fix_stays, row.fix_minutes) == (1, 300 + 60)
    assert (row.queue_stays, row.queue_minutes) == (1, 60)
    assert row.cancelled == 1  # the draft thrown away does not count


def test_a_reassignment_does_not_split_a_stay_in_process(p):
    with at(2, 9):
        request = make_submitted(p.desa_a)
        request = services.request_verify(actor=p.kecamatan_a, request=request)
    with at(2, 10):
        request = services.request_claim(actor=p.clerk, request=request)
    with at(2, 11):
        request = services.request_reassign(actor=p.head, request=request, clerk=p.head)
    with at(2, 12):
        services.request_reject(actor=p.head, request=request, reason="Tidak memenuhi syarat")
    with at(5, 8):
        refresh_activity()
    row = MonthlyActivity.objects.get()
    assert (row.process_stays, row.process_minutes) == (1, 120)
    assert row.rejected == 1
    assert row.completed == 0


def test_events_count_in_the_month_they_happen_and_refreshes_recompute_recent_months(p):
    with at(27, 9):
        request = make_submitted(p.desa_a)
    with at(27, 10):
        request = services.request_verify(actor=p.kecamatan_a, request=request)
    with at(31, 8):
        refresh_activity()
    assert MonthlyActivity.objects.get().submitted == 1
    with at(1, 9, month=4):  # Wednesday 1 April
        services.request_claim(actor=p.clerk, request=request)
        refresh_activity()
    rows = {row.month: row for row in MonthlyActivity.objects.all()}
    assert rows[date(2026, 3, 1)].submitted == 1
    assert rows[date(2026, 3, 1)].queue_stays == 0
    # Verified Friday 27 March 10:00, taken Wednesday 1 April 09:00: Friday 6 h, Monday 30 and
    # Tuesday 31 March 16 h, Wednesday 1 h.
    assert rows[date(2026, 4, 1)].queue_minutes == (6 + 16 + 1) * 60
    state = ReportState.objects.get()
    assert state.refreshed_at == datetime(2026, 4, 1, 9, tzinfo=WIB)
    # Running it again changes nothing.
    with at(1, 10, month=4):
        refresh_activity()
        assert MonthlyActivity.objects.count() == 2
        refresh_activity(rebuild=True)
    assert {row.month: row.queue_minutes for row in MonthlyActivity.objects.all()} == {
        date(2026, 3, 1): 0,
        date(2026, 4, 1): 23 * 60,
    }


def test_drafts_never_submitted_leave_no_figures(p):
    with at(2, 9):
        draft = make_draft(p.desa_a)
        upload_all(p.desa_a, draft)
        refresh_activity()
    assert not MonthlyActivity.objects.exists()


def test_the_satisfaction_sums_have_a_column_for_every_answer_of_the_questionnaire():
    from paradewi.reports.models import MonthlySatisfaction
    from paradewi.reports.selectors import SATISFACTION_SUMS

    columns = {f.name for f in MonthlySatisfaction._meta.concrete_fields}
    assert set(SATISFACTION_SUMS) <= columns


def test_survey_responses_are_summed_per_month_village_service_and_channel(p):
    from paradewi.reports.models import MonthlySatisfaction
    from paradewi.surveys.models import Channel
    from paradewi.surveys.tests.factories import answer, handed_over

    with at(2, 9):
        first = handed_over(p)
        second = handed_over(p, subject_nik="3516011205900011")
        answer(first, 4, channel=Channel.KIOSK, sex="L", age_band="u20")
        answer(second, 2, channel=Channel.KIOSK)
        answer(handed_over(p, subject_nik="3516011205900012"), 3)
        refresh_activity()
    kiosk = MonthlySatisfaction.objects.get(channel=Channel.KIOSK)
    assert (kiosk.month, kiosk.village, kiosk.service) == (
        date(2026, 3, 1),
        first.village,
        first.service,
    )
    assert (kiosk.responses, kiosk.u1, kiosk.u9) == (2, 6, 6)
    assert (kiosk.sex_l, kiosk.sex_p, kiosk.age_band_u20, kiosk.age_band_30) == (1, 1, 1, 1)
    assert MonthlySatisfaction.objects.get(channel=Channel.LINK).responses == 1


def test_returns_are_counted_per_requirement_and_a_request_returned_twice_once(p):
    from paradewi.reports.models import MonthlyReturn

    with at(2, 9):
        request = make_submitted(p.desa_a)
        other = make_submitted(p.desa_a, subject_nik="3516011205900011")
    with at(2, 10):
        request = services.request_return(
            actor=p.kecamatan_a,
            request=request,
            items={"f-102": "Belum ditandatangani", "kk-lama": "Buram"},
        )
        services.request_return(actor=p.kecamatan_a, request=other, items={"kk-lama": "Buram"})
    with at(2, 11):
        request = services.request_submit(actor=p.desa_a, request=request)
    with at(2, 12):
        services.request_return(actor=p.kecamatan_a, request=request, reason="Data tidak cocok")
    with at(5, 8):
        refresh_activity()
    row = MonthlyActivity.objects.get()
    assert (row.submitted, row.returned_by_district, row.returned_requests) == (2, 3, 2)
    counts = {r.requirement: r.returns for r in MonthlyReturn.objects.all()}
    assert counts == {"f-102": 1, "kk-lama": 2, MonthlyReturn.GENERAL: 1}
    assert {r.service_id for r in MonthlyReturn.objects.all()} == {request.service_id}
