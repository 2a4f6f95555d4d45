"""A form sent after the session ended comes back filled in after logging in again."""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from paradewi.accounts import kept_form
from paradewi.accounts.tasks import clear_expired_sessions_task
from paradewi.core.clock import tick
from paradewi.core.crypto import decrypt_text
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    load_catalogue,
    make_draft,
    make_submitted,
    pdf_file,
    upload_all,
)
from paradewi.testing import PASSWORD, Client, totp_code, totp_device

CREATE = reverse("request_create", args=["kk-perubahan"])
LOGIN = reverse("login")
VERIFY = reverse("two_factor_verify")


@pytest.fixture
def p(personas):
    load_catalogue()
    return personas


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def typed(**overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "idempotency_key": str(uuid.uuid4()),
        "subject_nik": NIK_MAN,
        "subject_kk": KK_NUMBER,
        "subject_name": "Slamet Riyadi",
        "subject_sex": "L",
        "subject_birth_place": "Mojokerto",
        "subject_birth_date": "1990-05-12",
        "reporter_relationship": "self",
        "reporter_nik": "",
        "reporter_name": "",
        "reporter_phone": "0812-3456-7890",
        "changes": ["element"],
        "description": "Perubahan pekerjaan: petani menjadi pedagang",
    }
    data.update(overrides)
    return data


def log_in_again(client, username: str, path: str):
    """The login page the session's end led to, sent with the user's password."""
    response = client.post(
        f"{LOGIN}?next={path}", {"username": username, "password": PASSWORD, "next": path}
    )
    assert response.status_code == 302, response.content.decode()[:400]
    return response


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def sent_to_login(response, path: str) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path == LOGIN and parse_qs(location.query)["next"] == [path]


def in_process(p) -> ServiceRequest:
    request = make_submitted(p.desa_a)
    request = services.request_verify(actor=p.kecamatan_a, request=request)
    return services.request_claim(actor=p.clerk, request=request)


# --- the create form after inactivity -----------------------------------------------------------


def test_a_form_sent_after_inactivity_is_kept_and_shown_again_after_logging_in(en, p, clock):
    en.force_login(p.desa_a)
    assert en.get(CREATE).status_code == 200
    clock.shift(timedelta(minutes=31))
    data = typed()

    response = en.post(CREATE, data)
    assert sent_to_login(response, CREATE)
    assert not ServiceRequest.objects.exists()
    login_page = en.get(response["Location"])
    assert "what you typed comes back" in login_page.content.decode()

    assert log_in_again(en, "desa-a", CREATE)["Location"] == CREATE
    page = en.get(CREATE)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.is_bound
    assert form["subject_name"].value() == "Slamet Riyadi"
    assert form["subject_nik"].value() == NIK_MAN
    assert form["idempotency_key"].value() == data["idempotency_key"]
    assert page.context["details_form"]["description"].value() == data["description"]
    html = page.content.decode()
    assert 'value="Slamet Riyadi"' in html
    assert "Perubahan pekerjaan: petani menjadi pedagang" in html
    assert any("nothing was saved" in text for text in messages_of(page))
    assert not ServiceRequest.objects.exists()  # shown again, not saved

    assert en.post(CREATE, data).status_code == 302
    assert ServiceRequest.objects.get().subject_name == "Slamet Riyadi"
    # The same form sent once more finds the request it made (the kept idempotency key).
    assert en.post(CREATE, data).status_code == 302
    assert ServiceRequest.objects.count() == 1


def test_the_kept_form_is_given_once(en, p, clock):
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    en.post(CREATE, typed())
    log_in_again(en, "desa-a", CREATE)
    assert en.get(CREATE).context["form"].is_bound
    assert not en.get(CREATE).context["form"].is_bound


def test_the_session_holds_the_kept_form_only_encrypted(en, p, clock):
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    en.post(CREATE, typed(subject_name="Sri Wahyuni"))
    stored = Session.objects.get(session_key=en.session.session_key).get_decoded()
    token = stored[kept_form.SESSION_KEY]
    assert token.startswith("pde1.")
    assert NIK_MAN not in str(stored)
    assert KK_NUMBER not in str(stored)
    assert "Wahyuni" not in str(stored)
    assert "csrfmiddlewaretoken" not in decrypt_text(token, context=kept_form.CONTEXT)


def test_the_csrf_token_and_passwords_are_not_kept(en, p, clock):
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    en.post(CREATE, typed(csrfmiddlewaretoken="x" * 64, new_password1="rahasia-sekali"))
    log_in_again(en, "desa-a", CREATE)
    data = en.get(CREATE).context["form"].data
    assert "csrfmiddlewaretoken" not in data
    assert "new_password1" not in data
    assert data["subject_name"] == "Slamet Riyadi"


def test_a_kept_form_older_than_fifteen_minutes_is_dropped(en, p, clock):
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    en.post(CREATE, typed())
    clock.shift(timedelta(minutes=16))
    log_in_again(en, "desa-a", CREATE)
    assert not en.get(CREATE).context["form"].is_bound


def test_the_kept_form_waits_for_its_own_page(en, p, clock):
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    en.post(CREATE, typed())
    log_in_again(en, "desa-a", CREATE)
    assert en.get(reverse("home")).status_code == 200
    other = reverse("request_create", args=["kk-baru"])
    assert not en.get(other).context["form"].is_bound
    assert en.get(CREATE).context["form"].is_bound


def test_a_damaged_kept_form_is_dropped(en, p, clock):
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    en.post(CREATE, typed())
    session = en.session
    session[kept_form.SESSION_KEY] = "pde1.t1.AAAA"
    session.save()
    log_in_again(en, "desa-a", CREATE)
    assert not en.get(CREATE).context["form"].is_bound


def test_nothing_is_kept_for_a_page_that_needs_no_login(en, p):
    en.post(reverse("track"), {"number": "3516012001-2611-0007", "pin": "123456"})
    en.post(LOGIN, {"username": "desa-a", "password": "wrong"})
    assert kept_form.SESSION_KEY not in en.session


def test_a_form_sent_by_a_logged_in_user_is_not_kept(en, p):
    en.force_login(p.desa_a)
    en.post(CREATE, typed(subject_name=""))  # invalid: shown with errors, as always
    assert kept_form.SESSION_KEY not in en.session


# --- other ways a session ends ------------------------------------------------------------------


def test_a_form_sent_after_log_out_everywhere_is_kept(en, p):
    phone = Client()
    phone.force_login(p.desa_a)
    en.force_login(p.desa_a)
    phone.post(reverse("logout_everywhere"))

    assert sent_to_login(en.post(CREATE, typed()), CREATE)
    log_in_again(en, "desa-a", CREATE)
    assert en.get(CREATE).context["form"]["subject_name"].value() == "Slamet Riyadi"


def test_a_form_sent_after_the_twelve_hour_limit_is_kept(en, p, clock):
    en.force_login(p.desa_a)
    for _ in range(36):  # active all day, a page every 20 minutes
        clock.shift(timedelta(minutes=20))
        en.get(reverse("home"))
    assert sent_to_login(en.post(CREATE, typed()), CREATE)
    log_in_again(en, "desa-a", CREATE)
    assert en.get(CREATE).context["form"]["subject_name"].value() == "Slamet Riyadi"


def test_a_form_sent_after_the_session_row_was_deleted_is_kept(en, p):
    en.force_login(p.desa_a)
    Session.objects.all().delete()
    assert sent_to_login(en.post(CREATE, typed()), CREATE)
    log_in_again(en, "desa-a", CREATE)
    assert en.get(CREATE).context["form"].is_bound


# --- the edit page and the action forms ---------------------------------------------------------


def test_the_edit_page_shows_the_kept_changes_and_saves_nothing_until_sent(en, p, clock):
    request = make_submitted(p.desa_a)
    request = services.request_return(
        actor=p.kecamatan_a, request=request, reason="Data salah", items={"data": "Nama salah"}
    )
    edit = reverse("request_edit", args=[request.pk])
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    data = typed(subject_name="Slamet Riyadi Santoso")
    del data["idempotency_key"]
    assert sent_to_login(en.post(edit, data), edit)
    log_in_again(en, "desa-a", edit)
    page = en.get(edit)
    assert page.context["form"]["subject_name"].value() == "Slamet Riyadi Santoso"
    request.refresh_from_db()
    assert request.subject_name == "Slamet Riyadi"
    assert en.post(edit, data).status_code == 302
    request.refresh_from_db()
    assert request.subject_name == "Slamet Riyadi Santoso"


def test_another_officer_logging_in_gets_404_and_the_kept_form_is_dropped(en, p, clock):
    request = make_submitted(p.desa_a)
    request = services.request_return(
        actor=p.kecamatan_a, request=request, reason="Data salah", items={"data": "Nama salah"}
    )
    edit = reverse("request_edit", args=[request.pk])
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    en.post(edit, typed(subject_name="Slamet Riyadi Santoso"))
    log_in_again(en, "desa-c", edit)
    response = en.get(edit)
    assert response.status_code == 404
    assert "Santoso" not in response.content.decode()
    assert kept_form.SESSION_KEY not in en.session


def test_a_dinas_user_passes_the_second_step_and_gets_the_reject_reason_back(en, p, clock):
    request = in_process(p)
    reject = reverse("request_reject", args=[request.pk])
    device = totp_device(p.clerk)
    en.force_login(p.clerk)
    clock.shift(timedelta(minutes=31))
    reason = "Akta yang dilampirkan bukan milik pemohon, mohon dicek kembali."
    assert sent_to_login(en.post(reject, {"reason": reason}), reject)

    key_before_password = en.session.session_key
    assert log_in_again(en, "clerk", reject)["Location"] == reject
    key_after_password = en.session.session_key
    assert key_after_password != key_before_password
    to_code = en.get(reject)
    assert to_code["Location"].startswith(VERIFY)  # the kept form waits for the code
    clock.shift(timedelta(seconds=31))
    response = en.post(VERIFY, {"code": totp_code(device), "next": reject})
    assert response["Location"] == reject
    assert en.session.session_key != key_after_password

    page = en.get(reject)
    assert page.status_code == 200
    assert page.context["form"]["reason"].value() == reason
    assert reason in page.content.decode()
    request.refresh_from_db()
    assert request.status == Status.IN_PROCESS
    en.post(reject, {"reason": reason})
    request.refresh_from_db()
    assert request.status == Status.REJECTED


def test_chosen_files_are_not_kept_and_the_message_says_so(en, p, clock):
    request = in_process(p)
    complete = reverse("request_complete", args=[request.pk])
    en.force_login(p.clerk)
    clock.shift(timedelta(minutes=31))
    assert sent_to_login(en.post(complete, {"output-kk": pdf_file("kk.pdf")}), complete)
    log_in_again(en, "clerk", complete)
    en.two_factor_verified(p.clerk)
    page = en.get(complete)
    assert page.status_code == 200
    assert any("Files cannot be kept: choose them again." in text for text in messages_of(page))
    request.refresh_from_db()
    assert request.status == Status.IN_PROCESS


def test_an_action_without_input_is_not_done_and_the_user_is_told(en, p, clock):
    request = make_submitted(p.desa_a)
    verify = reverse("request_verify", args=[request.pk])
    en.force_login(p.kecamatan_a)
    clock.shift(timedelta(minutes=31))
    assert sent_to_login(en.post(verify), verify)
    log_in_again(en, "kecamatan-a", verify)
    detail = en.get(verify, follow=True)
    assert detail.redirect_chain[-1][0] == reverse("request_detail", args=[request.pk])
    assert any("nothing was saved" in text for text in messages_of(detail))
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert kept_form.SESSION_KEY not in en.session


# --- buttons that send to an address of their own -----------------------------------------------


def test_submit_after_the_session_ended_leads_back_to_the_edit_page(en, p, clock):
    request = make_draft(p.desa_a)
    upload_all(p.desa_a, request)
    edit = reverse("request_edit", args=[request.pk])
    submit = reverse("request_submit", args=[request.pk])
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    response = en.post(submit, HTTP_REFERER=f"http://testserver{edit}")
    assert sent_to_login(response, edit)
    assert log_in_again(en, "desa-a", edit)["Location"] == edit
    page = en.get(edit)
    assert page.status_code == 200
    assert any("nothing was saved" in text for text in messages_of(page))
    request.refresh_from_db()
    assert request.status == Status.DRAFT
    assert en.post(submit).status_code == 302
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_an_upload_after_the_session_ended_asks_to_choose_the_file_again(en, p, clock):
    request = make_draft(p.desa_a)
    edit = reverse("request_edit", args=[request.pk])
    upload = reverse("request_upload", args=[request.pk, "kk-lama"])
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    response = en.post(
        upload, {"kk-lama-file": pdf_file("kk.pdf")}, HTTP_REFERER=f"http://testserver{edit}"
    )
    assert sent_to_login(response, edit)
    log_in_again(en, "desa-a", edit)
    page = en.get(edit)
    assert not page.context["form"].is_bound
    assert any("Files cannot be kept" in text for text in messages_of(page))
    assert not request.uploads.exists()


def test_the_page_of_another_site_is_never_the_way_back(en, p, clock):
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    for referer in (
        "https://evil.example/requests/",
        "http://testserver//evil.example/requests/",
        "http://testserver/\\evil.example/",
    ):
        response = en.post(CREATE, typed(), HTTP_REFERER=referer)
        assert sent_to_login(response, CREATE)


def test_a_form_page_with_a_query_keeps_its_data(en, p, clock):
    with_query = f"{CREATE}?nik={NIK_MAN}"
    en.force_login(p.desa_a)
    clock.shift(timedelta(minutes=31))
    response = en.post(with_query, typed(), HTTP_REFERER=f"http://testserver{with_query}")
    assert sent_to_login(response, with_query)
    log_in_again(en, "desa-a", with_query)
    assert en.get(with_query).context["form"]["subject_name"].value() == "Slamet Riyadi"


@pytest.mark.django_db
def test_the_daily_clock_removes_expired_sessions():
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(minutes=1)
    )
    Session.objects.create(
        session_key="y" * 32, session_data="", expire_date=timezone.now() + timedelta(minutes=30)
    )
    assert clear_expired_sessions_task.name in tick()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["y" * 32]
