"""The complaint pages: a resident files and follows; officers see their queue and handle."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from paradewi.complaints import services
from paradewi.complaints.models import Complaint, Status
from paradewi.complaints.tests.factories import file_complaint
from paradewi.complaints.tracking import make_token
from paradewi.notifications.models import Event, Notification, Outbox
from paradewi.requests.tests.factories import make_submitted
from paradewi.requests.tracking import make_token as request_token
from paradewi.testing import Client as OfficerClient


@pytest.fixture
def resident():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def _file(client, **data):
    form = {
        "form": "file",
        "c-category": "slow",
        "c-text": "Sudah tiga minggu belum ada kabar, NIK saya 3516011205900001.",
        **{f"c-{key}": value for key, value in data.items()},
    }
    return client.post(reverse("complaints"), form, REMOTE_ADDR="192.0.2.5")


def test_a_resident_files_about_a_request_with_its_number_and_pin(personas, resident):
    request = make_submitted(personas.desa_a)
    response = _file(resident, request_number=request.number, request_pin=request.pin)
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.request == request
    assert complaint.village == request.village
    page = resident.get(response["Location"])
    content = page.content.decode()
    assert complaint.number in content
    assert complaint.pin in content  # shown once, right after filing
    assert "3516011205900001" not in content  # masked on display
    assert complaint.pin not in resident.get(response["Location"]).content.decode()


def test_a_wrong_request_pin_is_refused_and_the_words_are_kept(personas, resident):
    request = make_submitted(personas.desa_a)
    response = _file(resident, request_number=request.number, request_pin="000000")
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "Sudah tiga minggu" in response.content.decode()


def test_a_general_complaint_needs_no_contact(db, resident):
    response = _file(resident)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.request is None
    assert complaint.contact_phone == ""


def test_the_indonesian_page_says_what_is_wrong(db):
    client = Client()
    response = client.post(
        reverse("complaints"),
        {"form": "file", "c-text": "pendek", "c-contact_phone": "123"},
        REMOTE_ADDR="192.0.2.6",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "pendek" in content  # the input is kept


def test_filing_is_rate_limited_per_address(db, resident):
    for _ in range(5):
        assert _file(resident).status_code == 302
    assert _file(resident).status_code == 429
    assert Complaint.objects.count() == 5


def test_the_status_page_links_to_a_complaint_about_the_request(personas, resident):
    request = make_submitted(personas.desa_a)
    status = resident.get(reverse("track_token", args=[request_token(request)]))
    link = reverse("complaint_about_request", args=[request_token(request)])
    assert link in status.content.decode()
    response = resident.post(
        link, {"c-category": "data_wrong", "c-text": "Nama ibu saya salah ketik di formulir."}
    )
    assert response.status_code == 302
    assert Complaint.objects.get().request == request


def test_follow_with_number_and_pin(db, resident):
    complaint = file_complaint()
    response = resident.post(
        reverse("complaints"),
        {"form": "follow", "f-number": complaint.number, "f-pin": complaint.pin},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("complaint_follow", args=[make_token(complaint)])
    wrong = resident.post(
        reverse("complaints"), {"form": "follow", "f-number": complaint.number, "f-pin": "1"}
    )
    assert "wrong" in wrong.content.decode()


def test_the_complainant_sees_the_answer_rates_it_and_reopens_once(personas, resident):
    complaint = file_complaint(contact_email="warga@contoh.id")
    services.complaint_answer(actor=personas.head, complaint=complaint, text="KK sudah dikirim.")
    url = reverse("complaint_follow", args=[make_token(complaint)])
    page = resident.get(url).content.decode()
    assert "KK sudah dikirim." in page
    assert personas.head.full_name not in page  # no officer's name for the complainant
    assert resident.post(url, {"do": "rate", "rate-rating": "4"}).status_code == 302
    assert (
        resident.post(url, {"do": "reopen", "reopen-text": "Belum sampai di desa."}).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN
    assert complaint.rating is None  # a new answer will be rated again


def test_each_answer_goes_to_the_complainant_by_text_and_e_mail(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_GATEWAY_URL = ""
    settings.DEBUG = True  # the gateway logs text messages instead of sending
    complaint = file_complaint(contact_email="warga@contoh.id")
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_answer(
            actor=personas.head, complaint=complaint, text="NIK 3516011205900001 benar."
        )
    messages = Outbox.objects.filter(
        event__in=[Event.RESIDENT_COMPLAINT_ANSWERED, Event.RESIDENT_COMPLAINT_EMAIL]
    )
    assert {m.recipient for m in messages} == {"+6281234567899", "warga@contoh.id"}
    assert all("3516011205900001" not in m.body for m in messages)
    assert any(complaint.number in m.subject for m in mail.outbox)


def test_the_managers_are_told_of_a_new_complaint_and_the_assignee_of_theirs(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint()
    assert Notification.objects.filter(user=personas.head, event=Event.COMPLAINT_FILED).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_assign(actor=personas.head, complaint=complaint, assignee=personas.clerk)
    note = Notification.objects.get(user=personas.clerk, event=Event.COMPLAINT_ASSIGNED)
    client = OfficerClient()
    client.force_login(personas.clerk)
    listing = client.get(reverse("notification_list")).content.decode()
    assert complaint.number in listing
    opened = client.post(reverse("notification_open", args=[note.pk]))
    assert opened["Location"] == reverse("complaint_detail", args=[complaint.pk])
    assert note.params["number"] == complaint.number


# --- officers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("desa_a", 200),
        ("kecamatan_a", 200),
        ("clerk", 200),
        ("head", 200),
        ("viewer", 404),
        ("admin", 404),
    ],
)
def test_who_opens_the_queue(personas, client, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("complaint_queue")).status_code == status


def test_the_queue_shows_only_the_area_s_complaints_with_warnings(personas, client):
    mine = file_complaint(request=make_submitted(personas.desa_a))
    other = file_complaint(request=make_submitted(personas.desa_c))
    Complaint.objects.filter(pk=mine.pk).update(due_at=mine.filed_at)  # overdue
    client.force_login(personas.kecamatan_a)
    content = client.get(reverse("complaint_queue")).content.decode()
    assert mine.number in content
    assert other.number not in content
    assert "badge-overdue" in content


@pytest.mark.parametrize("persona", ["desa_b", "desa_c", "kecamatan_c", "viewer", "admin"])
def test_a_complaint_outside_the_area_is_a_404(personas, client, persona):
    complaint = file_complaint(request=make_submitted(personas.desa_a))
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("complaint_detail", args=[complaint.pk])).status_code == 404
    answer = client.post(
        reverse("complaint_answer", args=[complaint.pk]), {"answer-text": "Sudah ya."}
    )
    assert answer.status_code == 404


def test_the_village_reads_but_does_not_answer_or_assign(personas, client):
    complaint = file_complaint(request=make_submitted(personas.desa_a))
    client.force_login(personas.desa_a)
    page = client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    assert reverse("complaint_answer", args=[complaint.pk]) not in page
    assert reverse("complaint_assign", args=[complaint.pk]) not in page
    response = client.post(
        reverse("complaint_answer", args=[complaint.pk]), {"answer-text": "Sudah beres."}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("complaint_assign", args=[complaint.pk]), {"assignee": personas.desa_a.pk}
    )
    assert response.status_code == 404


def test_the_head_assigns_answers_closes_and_records_lapor(personas, client):
    complaint = file_complaint(request=make_submitted(personas.desa_a))
    client.force_login(personas.head)
    detail = reverse("complaint_detail", args=[complaint.pk])
    assert client.get(detail).status_code == 200
    client.post(reverse("complaint_assign", args=[complaint.pk]), {"assignee": personas.clerk.pk})
    complaint.refresh_from_db()
    assert complaint.assignee == personas.clerk
    short = client.post(reverse("complaint_answer", args=[complaint.pk]), {"answer-text": "ok"})
    assert short.status_code == 400
    client.post(
        reverse("complaint_answer", args=[complaint.pk]), {"answer-text": "Sudah kami perbaiki."}
    )
    client.post(reverse("complaint_close", args=[complaint.pk]), {"close-text": ""})
    client.post(
        reverse("complaint_lapor", args=[complaint.pk]),
        {"lapor-direction": "forwarded", "lapor-lapor_number": "4567890"},
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.lapor_number) == (Status.CLOSED, "4567890")
    export = client.get(reverse("complaint_lapor_export", args=[complaint.pk]))
    assert export["Content-Type"].startswith("text/plain")
    body = export.content.decode()
    assert complaint.number in body
    assert "+62812" not in body  # the complainant's contact stays here


def test_an_officer_files_for_a_resident_at_the_office(personas, client):
    request = make_submitted(personas.desa_a)
    client.force_login(personas.desa_a)
    response = client.post(
        reverse("complaint_new"),
        {
            "request_number": request.number,
            "category": "requirements",
            "text": "Syarat akta tidak jelas di papan.",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.filed_by == personas.desa_a
    assert complaint.channel == "office"


def test_an_officer_cannot_file_about_a_request_outside_the_area(personas, client):
    request = make_submitted(personas.desa_c)
    client.force_login(personas.desa_a)
    response = client.post(
        reverse("complaint_new"),
        {"request_number": request.number, "category": "slow", "text": "Lama sekali prosesnya."},
    )
    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_the_head_records_a_complaint_received_from_lapor(personas, client):
    client.force_login(personas.head)
    client.post(
        reverse("complaint_new"),
        {"category": "fees", "text": "Diminta uang di kantor desa.", "lapor_number": "LPR-998877"},
    )
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.lapor_direction) == ("lapor", "received")


def test_the_clock_warns_whoever_answers_once_per_stage(personas):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from paradewi.notifications.services.complaints import complaints_warn

    jakarta = ZoneInfo("Asia/Jakarta")
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=jakarta), tick=False):
        given = file_complaint()
        services.complaint_assign(actor=personas.head, complaint=given, assignee=personas.clerk)
        unassigned = file_complaint()
    thursday = datetime(2026, 12, 10, 9, 0, tzinfo=jakarta)
    friday = datetime(2026, 12, 11, 10, 0, tzinfo=jakarta)  # the last working day
    monday = datetime(2026, 12, 14, 10, 0, tzinfo=jakarta)  # past the target
    assert complaints_warn(thursday) == 0
    assert complaints_warn(friday) == 2  # the clerk for the one given, the head for the other
    assert complaints_warn(friday) == 0
    assert complaints_warn(monday) == 2
    notes = Notification.objects.filter(event=Event.COMPLAINT_DUE)
    assert {(n.user_id, n.params["complaint"]) for n in notes} == {
        (personas.clerk.pk, given.pk),
        (personas.head.pk, unassigned.pk),
    }
    client = OfficerClient()
    client.force_login(personas.clerk)
    assert (
        "past its target"
        in client.get(reverse("notification_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        or Notification.objects.filter(user=personas.clerk).count() == 2
    )
