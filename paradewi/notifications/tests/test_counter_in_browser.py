"""In a real browser: a village officer's unread counter changes, without reloading the page,
when the kecamatan returns one of the village's requests."""

from __future__ import annotations

import re

import pytest

from paradewi.catalogue.services import catalogue_load
from paradewi.requests.models import Status
from paradewi.requests.tests.factories import make_submitted
from paradewi.testing import PASSWORD, load_mojokerto, make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(settings):
    settings.NOTIFICATIONS_POLL_SECONDS = 1
    load_mojokerto()
    catalogue_load()
    return make_personas()


@pytest.fixture
def new_page(browser):
    contexts = []

    def open_page():
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/login/")
    page.get_by_label(re.compile("^Username")).fill(username)
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/home/")


def test_the_unread_counter_changes_when_another_role_acts(live_server, people, new_page):
    base = live_server.url
    request = make_submitted(people.desa_a)

    village = new_page()
    log_in(village, base, people.desa_a.username)
    counter = village.locator("#notification-counter")
    assert counter.get_attribute("data-unread") == "0"
    village.evaluate("window.notReloaded = true")

    # The kecamatan operator, in another browser, returns the request to the village.
    kecamatan = new_page()
    log_in(kecamatan, base, people.kecamatan_a.username)
    assert kecamatan.locator("#notification-counter .badge").inner_text() == "1"  # submitted
    kecamatan.goto(base + f"/requests/{request.pk}/")
    kecamatan.get_by_role("link", name="Return to the village").click()
    kecamatan.get_by_label("General reason").fill("Scan KK buram, foto ulang.")
    kecamatan.get_by_role("button", name="Return to the village").click()
    kecamatan.wait_for_url(base + f"/requests/{request.pk}/")
    request.refresh_from_db()
    assert request.status == Status.RETURNED

    # The village officer's page counts it within a poll, without a reload.
    village.locator('#notification-counter[data-unread="1"]').wait_for()
    assert village.locator("#notification-counter .badge").inner_text() == "1"
    assert village.evaluate("window.notReloaded") is True

    # The list says what happened; opening it leads to the request and clears the counter.
    village.locator("#notification-counter").click()
    village.get_by_role("button", name=re.compile("was returned to fix")).click()
    village.wait_for_url(base + f"/requests/{request.pk}/")
    assert village.locator("#notification-counter").get_attribute("data-unread") == "0"
