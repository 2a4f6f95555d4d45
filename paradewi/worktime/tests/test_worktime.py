from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from paradewi.env import env_int_list, env_time_range
from paradewi.worktime.models import Closure, OfficeSchedule, OfficeWindow, ScheduleKind
from paradewi.worktime.services import (
    WorkCalendar,
    WorkingTimeIndex,
    add_working_minutes,
    holiday_name,
    target_minutes,
    working_minutes_between,
)

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


def test_a_working_day_of_a_target_is_seven_and_a_half_hours():
    """Perpres 21/2023 Pasal 3 and Pasal 4 ayat (1): 37 hours 30 minutes over five days."""
    assert target_minutes(1, "days") == 450
    assert target_minutes(24, "hours") == 24 * 60
    assert target_minutes(30, "minutes") == 30


def test_one_working_day_from_tuesday_morning_is_wednesday_morning():
    """Perpres 21/2023 Pasal 4: Tuesday 10.00 + 7.5 h: 10.00-12.00 and 13.00-16.00 on
    Tuesday (5 h), 07.30-10.00 on Wednesday (2.5 h)."""
    assert add_working_minutes(at(2026, 11, 24, 10), 450) == at(2026, 11, 25, 10)


def test_the_clock_skips_the_weekend():
    """Perpres 21/2023 Pasal 3: Monday to Friday. Friday 2026-11-27 14:00 + 7.5 h: 2.5 h on
    Friday (to 16.30), 5 h on Monday (07.30-12.00, 13.00-13.30)."""
    assert add_working_minutes(at(2026, 11, 27, 14), 450) == at(2026, 11, 30, 13, 30)


def test_a_request_submitted_after_hours_starts_counting_next_morning():
    """Perpres 21/2023 Pasal 4 ayat (3): the working day starts at 07.30."""
    assert add_working_minutes(at(2026, 11, 24, 20), 30) == at(2026, 11, 25, 8)


def test_public_holidays_and_cuti_bersama_are_skipped():
    # 2026-03-18 cuti bersama Nyepi, 03-19 Nyepi, 03-20 cuti bersama, 03-21/22 Idul Fitri
    # (weekend), 03-23/24 cuti bersama: from Tuesday 03-17 10:00, the next working day is 03-25.
    assert add_working_minutes(at(2026, 3, 17, 10), 450) == at(2026, 3, 25, 10)
    assert holiday_name(date(2026, 8, 17)) is not None


def test_closures_entered_by_the_administrator_are_skipped():
    Closure.objects.create(date=date(2026, 11, 25), name="Hari jadi Kabupaten")
    assert add_working_minutes(at(2026, 11, 24, 10), 450) == at(2026, 11, 26, 10)
    assert holiday_name(date(2026, 11, 25)) == "Hari jadi Kabupaten"


def test_elapsed_working_time_counts_only_office_hours():
    """Friday 15.00-16.30 and Monday 07.30-09.00 (Perpres 21/2023 Pasal 4)."""
    assert working_minutes_between(at(2026, 11, 27, 15), at(2026, 11, 30, 9)) == 180
    assert working_minutes_between(at(2026, 11, 28, 9), at(2026, 11, 29, 17)) == 0
    assert working_minutes_between(at(2026, 11, 30, 9), at(2026, 11, 27, 9)) == 0


def test_the_breaks_are_not_working_time():
    """Perpres 21/2023 Pasal 4 ayat (5): 60 minutes' break, 90 on Friday (12.00-13.00 and
    11.30-13.00 in the KemenPAN-RB layout)."""
    assert working_minutes_between(at(2026, 11, 24, 11), at(2026, 11, 24, 14)) == 120
    assert working_minutes_between(at(2026, 11, 27, 11), at(2026, 11, 27, 14)) == 90
    assert add_working_minutes(at(2026, 11, 24, 11, 30), 60) == at(2026, 11, 24, 13, 30)


def test_a_week_has_the_thirty_seven_and_a_half_hours_of_the_perpres():
    """Perpres 21/2023 Pasal 4 ayat (1) and (3): 37 h 30 min a week without the breaks, from
    07.30; Friday longer (to 16.30) for its longer break."""
    assert working_minutes_between(at(2026, 11, 23), at(2026, 11, 30)) == 37 * 60 + 30
    calendar = WorkCalendar(date(2026, 11, 23), date(2026, 11, 29))
    assert calendar.day_windows(date(2026, 11, 23)) == (
        (time(7, 30), time(12)),
        (time(13), time(16)),
    )
    assert calendar.day_windows(date(2026, 11, 27)) == (
        (time(7, 30), time(11, 30)),
        (time(13), time(16, 30)),
    )
    assert calendar.day_windows(date(2026, 11, 28)) == ()


def test_ramadan_has_its_own_hours_by_date_range():
    """Perpres 21/2023 Pasal 4 ayat (2), (4), (6): in Ramadan 32 h 30 min a week from 08.00,
    breaks of 30 minutes (60 on Friday). The administrator enters the days of Ramadan; a
    schedule without windows has the Perpres hours of its kind."""
    OfficeSchedule.objects.create(
        name="Ramadan 1448 H",
        kind=ScheduleKind.RAMADAN,
        starts=date(2027, 2, 8),
        ends=date(2027, 3, 9),
    )
    week = working_minutes_between(at(2027, 2, 15), at(2027, 2, 22))
    assert week == 32 * 60 + 30
    calendar = WorkCalendar(date(2027, 2, 1), date(2027, 3, 31))
    assert calendar.day_windows(date(2027, 2, 15)) == (
        (time(8), time(12)),
        (time(12, 30), time(15)),
    )
    assert calendar.day_windows(date(2027, 2, 19)) == (
        (time(8), time(11, 30)),
        (time(12, 30), time(15, 30)),
    )
    # Outside the range the regular hours apply again.
    assert calendar.day_windows(date(2027, 3, 16))[0][0] == time(7, 30)


def test_the_regency_keeps_its_own_hours():
    """Perpres 21/2023 Pasal 5: the details are set by the instance. A regular schedule with
    windows replaces the defaults: here Saturday mornings too, and no break."""
    schedule = OfficeSchedule.objects.create(name="Jam layanan Dispendukcapil")
    for weekday in range(1, 6):
        OfficeWindow.objects.create(
            schedule=schedule, weekday=weekday, opens=time(8), closes=time(16)
        )
    OfficeWindow.objects.create(schedule=schedule, weekday=6, opens=time(8), closes=time(12))
    assert add_working_minutes(at(2026, 11, 27, 15), 120) == at(2026, 11, 28, 9)
    assert working_minutes_between(at(2026, 11, 24, 11), at(2026, 11, 24, 14)) == 180


def test_an_administrator_can_reopen_a_day_the_library_marks_closed():
    """A cuti bersama cancelled or moved by the government (SKB of the three ministers, as
    revised in 2020 and 2021): the day is worked with its weekday's hours."""
    # 2026-03-24 is cuti bersama Idul Fitri in the library.
    assert not WorkCalendar(date(2026, 3, 24), date(2026, 3, 24)).is_working_day(date(2026, 3, 24))
    Closure.objects.create(date=date(2026, 3, 24), name="Cuti bersama dibatalkan", opened=True)
    assert WorkCalendar(date(2026, 3, 24), date(2026, 3, 24)).is_working_day(date(2026, 3, 24))
    assert add_working_minutes(at(2026, 3, 17, 10), 450) == at(2026, 3, 24, 10)
    assert holiday_name(date(2026, 3, 24)) is None


def test_the_working_time_index_counts_like_the_office_hour_windows():
    Closure.objects.create(date=date(2026, 3, 4), name="Rapat kerja")
    Closure.objects.create(date=date(2026, 3, 24), name="Cuti bersama dibatalkan", opened=True)
    OfficeSchedule.objects.create(
        name="Ramadan", kind=ScheduleKind.RAMADAN, starts=date(2026, 2, 18), ends=date(2026, 3, 19)
    )
    index = WorkingTimeIndex(date(2025, 1, 1), date(2027, 12, 31))
    rng = random.Random(7)
    for _ in range(400):
        start = at(2025, 6, 1) + timedelta(minutes=rng.randrange(0, 600 * 24 * 60))
        # Seconds and microseconds too, and stays from a minute to three months.
        start += timedelta(microseconds=rng.randrange(0, 60_000_000))
        end = start + timedelta(seconds=rng.randrange(1, 90 * 24 * 3600), microseconds=7)
        assert index.between(start, end) == working_minutes_between(start, end)
        assert index.between(end, start) == 0
        # A position turns back into the moment add_working_minutes gives.
        minutes = rng.randrange(1, 5000)
        position = index.position(start) + minutes * 60_000_000
        assert index.moment(position) == add_working_minutes(start, minutes)
    # A moment in UTC is placed in local time like any other (Ramadan hours, 3 March).
    start, end = at(2026, 3, 3, 14), at(2026, 3, 5, 9)
    assert index.between(start.astimezone(UTC), end.astimezone(UTC)) == 60 + 60


@pytest.mark.parametrize("value", ["8-16", "16:00-08:00", "08:00", "pagi-sore"])
def test_malformed_office_hours_fail_loudly(value):
    with pytest.raises(ImproperlyConfigured, match="OFFICE_HOURS"):
        env_time_range("OFFICE_HOURS", "08:00-16:00", environ={"OFFICE_HOURS": value})


def test_malformed_office_days_fail_loudly():
    with pytest.raises(ImproperlyConfigured, match="OFFICE_DAYS"):
        env_int_list("OFFICE_DAYS", [1], minimum=1, maximum=7, environ={"OFFICE_DAYS": "1,8"})
    assert env_int_list("OFFICE_DAYS", [1], environ={"OFFICE_DAYS": "1, 2,3"}) == [1, 2, 3]
