from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from paradewi.env import env_int_list, env_time_range
from paradewi.worktime.models import Closure
from paradewi.worktime.services import (
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


def test_a_working_day_is_one_day_of_office_hours():
    assert target_minutes(1, "days") == 8 * 60
    assert target_minutes(24, "hours") == 24 * 60
    assert target_minutes(30, "minutes") == 30


def test_one_working_day_from_tuesday_morning_is_wednesday_morning():
    assert add_working_minutes(at(2026, 11, 24, 10), 480) == at(2026, 11, 25, 10)


def test_the_clock_skips_the_weekend():
    # Friday 2026-11-27 14:00 + 1 working day: 2 h on Friday, 6 h on Monday.
    assert add_working_minutes(at(2026, 11, 27, 14), 480) == at(2026, 11, 30, 14)


def test_a_request_submitted_after_hours_starts_counting_next_morning():
    assert add_working_minutes(at(2026, 11, 24, 20), 30) == at(2026, 11, 25, 8, 30)


def test_public_holidays_and_cuti_bersama_are_skipped():
    # 2026-03-18 cuti bersama Nyepi, 03-19 Nyepi, 03-20 cuti bersama, 03-21/22 Idul Fitri
    # (weekend), 03-23/24 cuti bersama: from Tuesday 03-17 10:00, the next working day is 03-25.
    assert add_working_minutes(at(2026, 3, 17, 10), 480) == at(2026, 3, 25, 10)
    assert holiday_name(date(2026, 8, 17)) is not None


def test_closures_entered_by_the_administrator_are_skipped():
    Closure.objects.create(date=date(2026, 11, 25), name="Hari jadi Kabupaten")
    assert add_working_minutes(at(2026, 11, 24, 10), 480) == at(2026, 11, 26, 10)
    assert holiday_name(date(2026, 11, 25)) == "Hari jadi Kabupaten"


def test_elapsed_working_time_counts_only_office_hours():
    assert working_minutes_between(at(2026, 11, 27, 15), at(2026, 11, 30, 9)) == 120
    assert working_minutes_between(at(2026, 11, 28, 9), at(2026, 11, 29, 17)) == 0
    assert working_minutes_between(at(2026, 11, 30, 9), at(2026, 11, 27, 9)) == 0


def test_office_hours_and_days_come_from_settings(settings):
    settings.OFFICE_HOURS = env_time_range("X", "07:30-16:00")
    settings.OFFICE_DAYS = [1, 2, 3, 4, 5, 6]
    assert add_working_minutes(at(2026, 11, 27, 15), 120) == at(2026, 11, 28, 8, 30)


def test_the_working_time_index_counts_like_the_office_hour_windows():
    Closure.objects.create(date=date(2026, 3, 4), name="Rapat kerja")
    index = WorkingTimeIndex(date(2025, 1, 1), date(2027, 12, 31))
    rng = random.Random(7)
    for _ in range(400):
        start = at(2025, 6, 1) + timedelta(minutes=rng.randrange(0, 600 * 24 * 60))
        # Seconds and microseconds too, and stays from a minute to three months.
        start += timedelta(microseconds=rng.randrange(0, 60_000_000))
        end = start + timedelta(seconds=rng.randrange(1, 90 * 24 * 3600), microseconds=7)
        assert index.between(start, end) == working_minutes_between(start, end)
        assert index.between(end, start) == 0
    # A moment in UTC is placed in local time like any other.
    start, end = at(2026, 3, 3, 15), at(2026, 3, 5, 9)
    assert index.between(start.astimezone(UTC), end.astimezone(UTC)) == 60 + 60


@pytest.mark.parametrize("value", ["8-16", "16:00-08:00", "08:00", "pagi-sore"])
def test_malformed_office_hours_fail_loudly(value):
    with pytest.raises(ImproperlyConfigured, match="OFFICE_HOURS"):
        env_time_range("OFFICE_HOURS", "08:00-16:00", environ={"OFFICE_HOURS": value})


def test_malformed_office_days_fail_loudly():
    with pytest.raises(ImproperlyConfigured, match="OFFICE_DAYS"):
        env_int_list("OFFICE_DAYS", [1], minimum=1, maximum=7, environ={"OFFICE_DAYS": "1,8"})
    assert env_int_list("OFFICE_DAYS", [1], environ={"OFFICE_DAYS": "1, 2,3"}) == [1, 2, 3]
