"""The range of days in a real browser, on the demo data: the Dinas head picks two days in
the date fields, the dashboard shows that range and carries it to the other tabs; a range
that ends before it begins is explained and the days stay. On a phone (360x740) and a laptop
(1366x768) nothing runs off the side. Screenshots go to $PARADEWI_SHOTS when it is set."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from paradewi.catalogue.services import catalogue_load
from paradewi.demo.services import demo_load
from paradewi.regions.services import regions_load
from paradewi.reports.tests.test_ikm_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    regions_load(regency_code="35.16")
    catalogue_load()
    demo_load()


def shoot(page, name):
    folder = os.environ.get("PARADEWI_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=False)


def overflow(page):
    """The elements wider than the window (none, when nothing runs off the side)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                && !e.closest('.table-wrap'))
            .map(e => e.tagName + '#' + e.id + '.' + e.className)"""
    )


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1366, 768)])
def test_the_head_picks_a_range_of_days(live_server, browser, demo, width, height):
    base = live_server.url
    today = timezone.localdate()
    first = today - timedelta(days=45)
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, base, "demo-kadis")
        page.goto(base + "/reports/")
        page.get_by_label("From", exact=True).fill(f"{first:%Y-%m-%d}")
        page.get_by_label("To", exact=True).fill(f"{today:%Y-%m-%d}")
        page.get_by_role("button", name="Show the range").click()
        key = f"{first:%Y-%m-%d}..{today:%Y-%m-%d}"
        page.wait_for_url("**/reports/?period=range*")
        heading = page.locator("h1 small").inner_text()
        assert f"{first.day} " in heading
        assert f"{today.year}" in heading
        assert page.locator("#range-from").input_value() == f"{first:%Y-%m-%d}"
        assert page.locator("#range-to").input_value() == f"{today:%Y-%m-%d}"
        page.locator("form.range").scroll_into_view_if_needed()
        shoot(page, f"speed-range-{width}x{height}")
        assert not overflow(page)
        href = page.get_by_role("link", name="Satisfaction (IKM)").get_attribute("href")
        assert f"period={key}" in href
        page.get_by_role("link", name="Satisfaction (IKM)").click()
        assert page.locator("#ikm-months").is_visible()
        page.locator("#ikm-months").scroll_into_view_if_needed()
        assert not overflow(page)
        shoot(page, f"ikm-range-{width}x{height}")

        # Backwards: explained, both days kept, this month shown meanwhile.
        page.goto(base + "/reports/")
        page.get_by_label("From", exact=True).fill(f"{today:%Y-%m-%d}")
        page.get_by_label("To", exact=True).fill(f"{first:%Y-%m-%d}")
        page.get_by_role("button", name="Show the range").click()
        page.wait_for_url("**/reports/?period=range*")
        alert = page.get_by_role("alert")
        assert "The range ends before it begins" in alert.inner_text()
        assert page.locator("#range-from").input_value() == f"{today:%Y-%m-%d}"
        assert page.locator("#range-to").input_value() == f"{first:%Y-%m-%d}"
        assert not overflow(page)
        alert.scroll_into_view_if_needed()
        shoot(page, f"speed-range-error-{width}x{height}")
    finally:
        context.close()


def test_the_range_form_speaks_indonesian(live_server, browser, demo):
    """The Dinas head's page in Indonesian (the default language): the form's labels and a
    range that ends after today, explained, on a phone."""
    base = live_server.url
    today = timezone.localdate()
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, base, "demo-kadis")
        context.add_cookies([{"name": "django_language", "value": "id", "url": base}])
        page.goto(
            f"{base}/reports/?period=range&from={today - timedelta(days=20):%Y-%m-%d}"
            f"&to={today + timedelta(days=3):%Y-%m-%d}"
        )
        assert page.get_by_label("Dari", exact=True).is_visible()
        alert = page.get_by_role("alert")
        assert "Rentang tidak boleh berakhir setelah hari ini" in alert.inner_text()
        assert not overflow(page)
        page.locator("form.range").scroll_into_view_if_needed()
        shoot(page, "speed-range-error-id-360x740")
    finally:
        context.close()
