"""In a real browser: the session ends while a form is being filled in, and nothing typed is lost.

Debian's chromium, driven by Playwright, in English so the test reads like the source strings.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session

from paradewi.catalogue.services import catalogue_load
from paradewi.regions.services import regions_load
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.tests.factories import KK_NUMBER, NIK_MAN, make_submitted
from paradewi.testing import PASSWORD, make_personas, pass_two_factor, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    regions_load(regency_code="35.16")
    catalogue_load()
    return make_personas()


@pytest.fixture
def english_page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def field(page, name: str):
    return page.locator(f"[name={name}]")


def log_in(page, username: str) -> None:
    """On the login page (wherever it came from): the username and the password."""
    page.get_by_label(re.compile("^Username")).fill(username)
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def session_ends() -> None:
    """The server forgets every session, as after the inactivity timeout."""
    Session.objects.all().delete()


def test_the_create_form_survives_the_end_of_the_session(live_server, english_page, people):
    page, base = english_page, live_server.url
    create = "/requests/new/kk-perubahan/"
    page.goto(base + create)
    log_in(page, "desa-a")
    page.wait_for_url(base + create)

    field(page, "subject_nik").fill(NIK_MAN)
    field(page, "subject_kk").fill(KK_NUMBER)
    field(page, "subject_name").fill("Slamet Riyadi")
    field(page, "subject_sex").select_option("L")
    field(page, "subject_birth_place").fill("Mojokerto")
    field(page, "subject_birth_date").fill("1990-05-12")
    field(page, "reporter_relationship").select_option("self")
    field(page, "reporter_phone").fill("0812 3456 7890")
    page.get_by_label("A member is added").check()
    session_ends()
    page.get_by_role("button", name="Save the draft and go on to the uploads").click()

    # The login page says what happened; nothing was saved.
    page.wait_for_url(re.compile(r"/login/\?next="))
    assert "what you typed comes back" in page.content()
    assert not ServiceRequest.objects.exists()

    log_in(page, "desa-a")
    page.wait_for_url(base + create)
    assert "nothing was saved" in page.content()
    assert field(page, "subject_name").input_value() == "Slamet Riyadi"
    assert field(page, "subject_nik").input_value() == NIK_MAN
    assert field(page, "subject_birth_date").input_value() == "1990-05-12"
    assert field(page, "subject_sex").input_value() == "L"
    assert page.get_by_label("A member is added").is_checked()
    assert not ServiceRequest.objects.exists()

    page.get_by_role("button", name="Save the draft and go on to the uploads").click()
    page.wait_for_url(re.compile(r"/requests/\d+/edit/"))
    assert ServiceRequest.objects.count() == 1
    assert ServiceRequest.objects.get().subject_name == "Slamet Riyadi"


def test_a_dinas_clerk_gets_the_reason_back_after_the_password_and_the_code(
    live_server, english_page, people
):
    page, base = english_page, live_server.url
    request = make_submitted(people.desa_a)
    request = services.request_verify(actor=people.kecamatan_a, request=request)
    request = services.request_claim(actor=people.clerk, request=request)
    totp_device(people.clerk)
    reject = f"/requests/{request.pk}/reject/"
    page.goto(base + reject)
    log_in(page, "clerk")
    pass_two_factor_to(page, "clerk", base + reject)

    reason = "Akta yang dilampirkan bukan milik pemohon."
    field(page, "reason").fill(reason)
    session_ends()
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/login/\?next="))
    log_in(page, "clerk")
    pass_two_factor_to(page, "clerk", base + reject)
    assert field(page, "reason").input_value() == reason
    request.refresh_from_db()
    assert request.status == Status.IN_PROCESS

    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    request.refresh_from_db()
    assert request.status == Status.REJECTED


def pass_two_factor_to(page, username: str, target: str) -> None:
    page.wait_for_url(re.compile(r"/account/two-factor/"))
    pass_two_factor(page, username)
    page.wait_for_url(target)
