"""`make run`'s demo: each demo user logs in through a real browser and sees their home page."""

from __future__ import annotations

import pytest

from paradewi.catalogue.services import catalogue_load
from paradewi.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_load
from paradewi.regions.services import regions_load
from paradewi.testing import pass_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "demo-admin": "Kabupaten Mojokerto",
    "demo-dinas": "Antrean Dinas",
    "demo-kadis": "Kabupaten Mojokerto",
    "demo-viewer": "Kabupaten Mojokerto",
    "demo-kecamatan": "Kecamatan Jatirejo",
    "demo-desa": "Desa Tawangrejo",
    "demo-desa2": "Desa Rejosari",
    "demo-desa3": "Desa Gumeng",
}


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    regions_load(regency_code="35.16")
    catalogue_load()
    demo_load()


def test_each_demo_user_logs_in_and_sees_their_home_page(live_server, page, demo):
    assert {account.username for account in DEMO_ACCOUNTS} == set(HEADINGS)
    for account in DEMO_ACCOUNTS:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Nama pengguna").fill(account.username)
        page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        pass_two_factor(page, account.username)  # Dinas and admin: enrol an app first
        page.wait_for_url(live_server.url + "/home/")
        assert HEADINGS[account.username] in page.locator("h1").inner_text()
        page.get_by_role("button", name="Keluar").click()
        page.wait_for_url(live_server.url + "/login/")


def test_a_wrong_password_is_refused_with_a_clear_message(live_server, page, demo):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Nama pengguna").fill("demo-desa")
    page.get_by_label("Kata sandi").fill("wrong-password")
    page.get_by_role("button", name="Masuk").click()
    assert (
        "benar" in page.locator(".errorlist").inner_text()
    )  # "...nama pengguna dan kata sandi yang benar"
    assert page.get_by_label("Nama pengguna").input_value() == "demo-desa"
