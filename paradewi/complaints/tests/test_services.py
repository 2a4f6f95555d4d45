"""Filing, handling and following a complaint; the clock and its warnings."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from paradewi.complaints import services
from paradewi.complaints.models import Action, Channel, ComplaintEvent, Status
from paradewi.complaints.selectors import Clock, clock_states, complaint_figures, timeline
from paradewi.complaints.tests.factories import file_complaint
from paradewi.complaints.tracking import (
    complaint_for_token,
    find_by_number_and_pin,
    make_token,
    normalise_number,
)
from paradewi.core.crypto import is_token

JAKARTA = ZoneInfo("Asia/Jakarta")
# Monday 7 December 2026, 09:00 local time; office hours 08:00-16:00, Monday to Friday.
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=JAKARTA)


def test_a_complaint_gets_a_number_a_pin_and_its_first_step(db):
    complaint = file_complaint()
    assert normalise_number(complaint.number) == complaint.number
    assert complaint.number.startswith("ADU-")
    assert len(complaint.pin) == 6
    assert complaint.pin.isdigit()
    assert complaint.channel == Channel.WEB
    assert complaint.contact_phone == "+6281234567899"
    (step,) = ComplaintEvent.objects.filter(complaint=complaint)
    assert step.action == Action.FILE


def test_numbers_follow_each_other_within_a_month(db):
    first, second = file_complaint(), file_complaint()
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


def test_contact_data_and_text_are_encrypted_in_the_table(db):
    from django.db import connection

    complaint = file_complaint(contact_email="siti@contoh.id", contact_name="Siti Aminah")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_phone, contact_email, contact_name, text FROM complaints_complaint "
            "WHERE id = %s",
            [complaint.pk],
        )
        row = cursor.fetchone()
    assert all(is_token(value) for value in row)


def test_input_errors_are_said_per_field(db):
    with pytest.raises(ValidationError) as caught:
        file_complaint(text="pendek", contact_phone="12345", contact_email="bukan-email")
    assert set(caught.value.message_dict) == {"text", "contact_phone", "contact_email"}


def test_a_complaint_is_found_by_number_and_pin_or_by_its_link(db):
    complaint = file_complaint()
    typed = complaint.number.replace("-", " ").lower()
    assert find_by_number_and_pin(number=typed, pin=complaint.pin, client_ip="1.2.3.4") == complaint
    assert find_by_number_and_pin(number=typed, pin="000000", client_ip="1.2.3.4") in (None,)
    assert complaint_for_token(make_token(complaint)) == complaint
    assert complaint_for_token(make_token(complaint) + "x") is None


def test_the_whole_life_of_a_complaint(personas):
    complaint = file_complaint()
    services.complaint_assign(actor=personas.head, complaint=complaint, assignee=personas.clerk)
    services.complaint_answer(
        actor=personas.clerk, complaint=complaint, text="Sudah selesai, silakan diambil."
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED
    assert complaint.first_answered_at is not None
    services.complaint_reply(complaint=complaint, text="Terima kasih, tapi KK belum ada.")
    services.complaint_reopen(complaint=complaint, text="Di kantor desa KK belum ada.")
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN
    services.complaint_answer(
        actor=personas.head, complaint=complaint, text="Sudah dikirim ke desa."
    )
    with pytest.raises(services.ComplaintError, match="once"):
        services.complaint_reopen(complaint=complaint, text="Masih belum ada juga.")
    services.complaint_rate(complaint=complaint, rating=3)
    with pytest.raises(services.ComplaintError):
        services.complaint_rate(complaint=complaint, rating=4)
    services.complaint_close(actor=personas.head, complaint=complaint)
    services.complaint_record_lapor(
        actor=personas.head, complaint=complaint, direction="forwarded", lapor_number="LPR-1234567"
    )
    actions = list(complaint.events.values_list("action", flat=True))
    assert actions == [
        Action.FILE,
        Action.ASSIGN,
        Action.ANSWER,
        Action.REPLY,
        Action.REOPEN,
        Action.ANSWER,
        Action.RATE,
        Action.CLOSE,
        Action.LAPOR,
    ]


def test_someone_else_first_is_refused(personas):
    complaint = file_complaint()
    stale = type(complaint).objects.get(pk=complaint.pk)
    services.complaint_answer(actor=personas.head, complaint=complaint, text="Jawaban pertama.")
    with pytest.raises(services.ComplaintError):
        services.complaint_answer(actor=personas.head, complaint=stale, text="Jawaban kedua.")


def test_numbers_typed_into_the_text_are_masked_on_display(db):
    complaint = file_complaint(text="NIK saya 3516011205900001, hubungi 0812-3456-7890.")
    (step,) = timeline(complaint, for_officer=True)
    assert "3516011205900001" not in step.text
    assert "0812-3456-7890" not in step.text
    assert "***" in step.text


def test_the_target_defaults_to_five_working_days(db):
    with time_machine.travel(MONDAY, tick=False):
        complaint = file_complaint()
    # Five working days of eight hours from Monday 09:00: the next Monday at 09:00.
    assert complaint.due_at == datetime(2026, 12, 14, 9, 0, tzinfo=JAKARTA)
    assert complaint.first_due_at == complaint.due_at


def test_the_administrator_s_target_applies_to_new_complaints(db):
    row = services.settings_row()
    row.answer_target_days = 2
    row.save()
    with time_machine.travel(MONDAY, tick=False):
        complaint = file_complaint()
    assert complaint.due_at == datetime(2026, 12, 9, 9, 0, tzinfo=JAKARTA)


def test_the_clock_warns_in_the_last_working_day_and_then_says_overdue(db):
    with time_machine.travel(MONDAY, tick=False):
        complaint = file_complaint()
    on_time = datetime(2026, 12, 10, 9, 0, tzinfo=JAKARTA)  # Thursday: two working days left
    approaching = datetime(2026, 12, 11, 10, 0, tzinfo=JAKARTA)  # Friday: 7 working hours left
    weekend = datetime(2026, 12, 12, 10, 0, tzinfo=JAKARTA)  # Saturday: still 1 working hour
    overdue = datetime(2026, 12, 14, 9, 1, tzinfo=JAKARTA)
    assert clock_states([complaint], on_time)[complaint.pk] == Clock.ON_TIME
    assert clock_states([complaint], approaching)[complaint.pk] == Clock.APPROACHING
    assert clock_states([complaint], weekend)[complaint.pk] == Clock.APPROACHING
    assert clock_states([complaint], overdue)[complaint.pk] == Clock.OVERDUE


def test_an_answered_complaint_stops_the_clock_and_a_reopened_one_restarts_it(personas):
    with time_machine.travel(MONDAY, tick=False):
        complaint = file_complaint()
    with time_machine.travel(datetime(2026, 12, 8, 9, 0, tzinfo=JAKARTA), tick=False):
        services.complaint_answer(actor=personas.head, complaint=complaint, text="Sudah kami cek.")
    assert clock_states([complaint])[complaint.pk] == Clock.STOPPED
    with time_machine.travel(datetime(2026, 12, 9, 9, 0, tzinfo=JAKARTA), tick=False):
        services.complaint_reopen(complaint=complaint, text="Belum beres, mohon dicek lagi.")
    complaint.refresh_from_db()
    assert complaint.due_at == datetime(2026, 12, 16, 9, 0, tzinfo=JAKARTA)
    assert complaint.first_due_at == datetime(2026, 12, 14, 9, 0, tzinfo=JAKARTA)


def test_the_figures_count_working_time_and_the_target(personas):
    from paradewi.complaints.models import Complaint

    with time_machine.travel(MONDAY, tick=False):
        quick, late, waiting = file_complaint(), file_complaint(), file_complaint()
    with time_machine.travel(datetime(2026, 12, 7, 11, 0, tzinfo=JAKARTA), tick=False):
        services.complaint_answer(actor=personas.head, complaint=quick, text="Jawaban cepat.")
    with time_machine.travel(datetime(2026, 12, 15, 9, 0, tzinfo=JAKARTA), tick=False):
        services.complaint_answer(actor=personas.head, complaint=late, text="Jawaban terlambat.")
        services.complaint_reopen(complaint=late, text="Belum beres, mohon dicek lagi.")
    now = datetime(2026, 12, 15, 10, 0, tzinfo=JAKARTA)
    figures = complaint_figures(Complaint.objects.all(), MONDAY.date(), MONDAY.date(), now=now)
    assert figures.total == 3
    assert figures.first_answer.count == 2
    assert figures.first_answer.median == 120
    # Office hours of Perpres 21/2023: Monday 09.00-16.00 less the 12.00-13.00 break (6 h),
    # Tuesday to the next Monday 7.5 h a day (5 days), Tuesday 07.30-09.00 (1.5 h).
    assert figures.first_answer.p90 == 6 * 60 + 5 * 450 + 90
    assert figures.due == 3  # two answered, one waiting past its target
    assert figures.within_target == 1
    assert figures.reopened == 1
    # The one never answered is overdue; the reopened one is due one target after reopening.
    assert (figures.open_now, figures.overdue_now) == (2, 1)
    assert waiting.first_answered_at is None
