"""The whole loop in a real browser, on the demo data: the village officer hands a card over,
the resident answers the survey on the officer's device, and the Dinas head sees the index
move."""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import timezone

from paradewi.catalogue.services import catalogue_load
from paradewi.demo.requests import DEMO_NAMESPACE
from paradewi.demo.services import DEMO_PASSWORD, demo_load
from paradewi.regions.services import regions_load
from paradewi.reports.periods import add_months
from paradewi.requests.models import ServiceRequest, Status
from paradewi.surveys.models import Channel, SurveyResponse
from paradewi.testing import pass_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    regions_load(regency_code="35.16")
    catalogue_load()
    demo_load()


@pytest.fixture
def device(browser):
    """A new browser (own cookies) per person, in English, phone-sized."""
    contexts = []

    def open_device():
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_device
    for context in contexts:
        context.close()


def log_in(page, base, username):
    page.goto(base + "/login/")
    page.get_by_label(re.compile("^Username")).fill(username)
    page.get_by_label(re.compile("^Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_two_factor(page, username)
    page.wait_for_url(base + "/home/")


def figures(page):
    return (
        page.locator("#ikm-index").inner_text(),
        int(page.locator("#ikm-responses").inner_text()),
        int(page.locator("#ikm-served").inner_text()),
    )


def test_a_resident_answers_on_the_kiosk_and_the_head_sees_the_index_change(
    live_server, device, demo
):
    base = live_server.url
    card = ServiceRequest.objects.get(idempotency_key=uuid.uuid5(DEMO_NAMESPACE, "t-pickup"))
    assert card.status == Status.READY_FOR_PICKUP
    # The last six months: enough demo answers for an index.
    this_month = timezone.localdate().replace(day=1)
    period = f"{add_months(this_month, -5):%Y-%m}..{this_month:%Y-%m}"
    report = f"{base}/reports/ikm/?period={period}"

    head = device()
    log_in(head, base, "demo-kadis")
    head.goto(report)
    index_before, responses_before, served_before = figures(head)
    assert re.fullmatch(r"\d+\.\d\d", index_before)
    assert responses_before >= 5

    officer = device()
    log_in(officer, base, "demo-desa")
    officer.goto(f"{base}/requests/{card.pk}/")
    officer.get_by_role("link", name="Record the hand-over").click()
    officer.locator("input[name=receiver][value=subject]").check()
    officer.get_by_role("button", name="Next: check and confirm").click()
    officer.get_by_role("button", name="Yes, record the hand-over").click()
    officer.get_by_role("link", name="Open the survey on this device").click()
    officer.wait_for_url(f"{base}/survey/kiosk/{card.pk}/")
    assert officer.get_by_role("navigation").count() == 0

    # The resident: the worst answer to each of the nine questions, a profile, a comment.
    for number in range(1, 10):
        officer.locator(f"#q-u{number} input[type=radio]").first.check()
    for question in ("sex", "age_band", "education", "occupation"):
        officer.locator(f"#q-{question} input[type=radio]").first.check()
    officer.get_by_label("Comments or suggestions (optional)").fill(
        "Kartu lama sekali jadinya, mohon dipercepat."
    )
    officer.get_by_role("button", name="Send my answers").click()
    officer.wait_for_url(f"{base}/survey/kiosk/{card.pk}/done/")
    assert officer.get_by_text("Please hand the device back to the officer.").is_visible()
    response = SurveyResponse.objects.get(comment="Kartu lama sekali jadinya, mohon dipercepat.")
    assert (response.channel, response.u1, response.u9) == (Channel.KIOSK, 1, 1)

    # The head reloads the report: the answer is in (the survey asked for a refresh).
    head.goto(report)
    index_after, responses_after, served_after = figures(head)
    assert responses_after == responses_before + 1
    assert served_after == served_before + 1
    assert float(index_after) < float(index_before)


def test_the_leadership_screens_fit_a_laptop(live_server, browser, demo):
    """On a 1366x768 laptop: the viewer's home shows service figures, the Dinas head's home
    counts the villages without an officer instead of listing them, every table of the speed
    report fits its card, and the stage chart draws its bars on their tracks."""
    base = live_server.url
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, base, "demo-viewer")
        main = page.inner_text("main")
        assert "completed on time" in main
        assert "Active accounts" not in main
        page.goto(base + "/reports/")
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('.card .table-wrap')]
                .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1).length"""
        )
        assert overflowing == 0
        assert page.locator("svg rect.track").count() == 5  # one per stage
        context.clear_cookies()
        log_in(page, base, "demo-kadis")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 4 * 768, height  # the list of 301 villages made it 9,570 px
        page.get_by_role("link", name="villages without an officer account").click()
        assert page.locator("main tbody tr").count() == 18
    finally:
        context.close()
