"""The kiosk in a real browser: the officer hands the device over, the resident answers, the
device comes back without having shown the officer's pages."""

from __future__ import annotations

import re

import pytest

from paradewi.surveys.models import Channel, SurveyResponse
from paradewi.surveys.tests.factories import handed_over
from paradewi.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_resident_answers_on_the_officers_device(live_server, english_page, personas):
    page, base = english_page, live_server.url
    request = handed_over(personas)
    page.goto(base + "/login/")
    page.get_by_label(re.compile("^Username")).fill("desa-a")
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/home/")

    page.goto(base + f"/requests/{request.pk}/")
    page.get_by_role("link", name="Open the survey on this device").click()
    page.wait_for_url(base + f"/survey/kiosk/{request.pk}/")
    assert page.get_by_role("navigation").count() == 0
    assert page.get_by_role("link").count() == 0
    assert request.subject_nik not in page.content()

    # One question left out: it is asked for again, the others keep their answers.
    questions = page.locator("fieldset.question")
    assert questions.count() == 13
    for index in range(13):
        if index != 2:
            questions.nth(index).locator("input[type=radio]").last.check()
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("alert").first.is_visible()
    assert page.locator("#q-u3 .errorlist").is_visible()
    assert page.locator("#q-u1 input[type=radio]").last.is_checked()
    page.locator("#q-u3 input[type=radio]").nth(1).check()
    page.get_by_role("button", name="Send my answers").click()

    page.wait_for_url(base + f"/survey/kiosk/{request.pk}/done/")
    assert page.get_by_text("Please hand the device back to the officer.").is_visible()
    assert page.get_by_role("navigation").count() == 0
    assert request.subject_name not in page.content()
    response = SurveyResponse.objects.get()
    assert (response.u1, response.u3, response.channel) == (4, 2, Channel.KIOSK)

    # The form opened again: refused, still without a way into the officer's pages.
    page.goto(base + f"/survey/kiosk/{request.pk}/")
    assert page.get_by_text("already been answered").is_visible()
    assert page.get_by_role("link").count() == 0
    page.goto(base + f"/survey/kiosk/{request.pk}/done/")
    page.get_by_role("link", name="Officer: back to the request").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    assert page.get_by_text("The resident has answered the survey").is_visible()
    assert SurveyResponse.objects.count() == 1
