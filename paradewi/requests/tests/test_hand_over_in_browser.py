"""An akta kelahiran (the akta and the KK to print, the KIA card at the Dinas) ends in a real
browser on a phone (360x740): the page puts what to print first, the village hands over the
printed documents to a named family member after a confirmation, and the Dinas the card; the
survey invitation waits for the last part."""

from __future__ import annotations

import re

import pytest

from paradewi.accounts.models import User
from paradewi.catalogue.services import catalogue_load
from paradewi.demo.services import DEMO_PASSWORD, demo_load
from paradewi.documents import services as documents_services
from paradewi.notifications.models import Event, Outbox
from paradewi.regions.services import regions_load
from paradewi.requests import services
from paradewi.requests.models import HandOver, ServiceRequest, Status
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import make_submitted, pdf_file
from paradewi.surveys.links import survey_path
from paradewi.testing import pass_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PLACE = "Kantor Dinas Kependudukan dan Pencatatan Sipil Kabupaten Mojokerto"


@pytest.fixture
def birth(settings) -> ServiceRequest:
    """An akta kelahiran of the demo village, finished by the Dinas."""
    settings.DEMO_MODE = True
    regions_load(regency_code="35.16")
    catalogue_load()
    demo_load()
    desa = User.objects.get(username="demo-desa")
    clerk = User.objects.get(username="demo-dinas")
    request = make_submitted(desa, "akta-kelahiran", subject_name="Bayi Ny. Wulan")
    request = services.request_verify(
        actor=User.objects.get(username="demo-kecamatan"), request=request
    )
    request = services.request_claim(actor=clerk, request=request)
    return documents_services.request_complete(
        actor=clerk,
        request=request,
        outputs=[
            OutputUpload("akta-kelahiran", pdf_file("akta.pdf")),
            OutputUpload("kk", pdf_file("kk.pdf")),
        ],
        pickup_place=PLACE,
    )


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="en-US", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.get_by_label(re.compile("^Username")).fill(username)
    page.get_by_label(re.compile("^Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_two_factor(page, username)
    page.wait_for_url(base + "/home/")


def survey_invitations(request: ServiceRequest) -> int:
    return Outbox.objects.filter(event=Event.RESIDENT_SURVEY, request=request).count()


def test_a_birth_is_printed_first_and_each_part_handed_over_with_a_record(
    live_server, phone, birth, tmp_path
):
    page, base = phone, live_server.url
    assert birth.status == Status.DONE
    log_in(page, base, "demo-desa")

    # The home page lists it among the documents to print, not the cards.
    home = page.locator("main")
    after = "xpath=following-sibling::ul[1]"
    done_list = home.locator("h3", has_text="Done: print and hand over").locator(after)
    assert birth.number in done_list.inner_text()
    cards = home.locator("h3", has_text="Cards ready for pick-up")
    assert not cards.count() or birth.number not in cards.locator(after).inner_text()

    # The request page: what to print on the first screen, then the card and its place.
    page.goto(base + f"/requests/{birth.pk}/")
    first_print = page.get_by_role("link", name="Print: Kutipan akta kelahiran")
    assert first_print.bounding_box()["y"] < PHONE["height"]
    outputs = page.locator("#outputs").locator("xpath=..").inner_text()
    assert "Cards to pick up" in outputs
    assert "card, not printed" in outputs
    assert PLACE in outputs
    assert "picked up" not in outputs.replace("waiting to be picked up", "")
    page.screenshot(path=tmp_path / "done.png", full_page=True)

    # The form: both parts offered; a family member needs a name and a relationship.
    page.get_by_role("link", name="Record the hand-over").click()
    page.wait_for_url(base + f"/requests/{birth.pk}/hand-over/")
    page.get_by_label("Printed documents: Kutipan akta kelahiran").wait_for()
    page.get_by_label("Cards: KIA").uncheck()
    page.get_by_label("Another family member (type the name)").check()
    page.get_by_label("Name of the family member").fill("Wulan Sari")
    page.get_by_role("button", name="Next: check and confirm").click()
    assert "Choose how the family member is related" in page.inner_text("main")
    assert page.get_by_label("Name of the family member").input_value() == "Wulan Sari"
    page.get_by_label("Relationship to the person").select_option("parent")
    page.get_by_role("button", name="Next: check and confirm").click()

    # The confirmation repeats it; nothing is recorded before "Yes".
    confirmation = page.inner_text("main")
    assert "Wulan Sari (Parent)" in confirmation
    assert "The rest stays waiting" in confirmation
    birth.refresh_from_db()
    assert birth.status == Status.DONE
    assert not HandOver.objects.filter(request=birth).exists()
    page.screenshot(path=tmp_path / "confirm.png", full_page=True)
    page.get_by_role("button", name="Yes, record the hand-over").click()
    page.wait_for_url(base + f"/requests/{birth.pk}/")
    assert "The hand-over was recorded." in page.inner_text("main")

    birth.refresh_from_db()
    assert birth.status == Status.READY_FOR_PICKUP
    record = HandOver.objects.get(request=birth)
    assert (record.parts, record.receiver_name, record.receiver_relationship) == (
        ["documents"],
        "Wulan Sari",
        "parent",
    )
    assert record.transition.actor.username == "demo-desa"
    assert survey_invitations(birth) == 0
    outputs = page.locator("#outputs").locator("xpath=..").inner_text()
    assert "received by Wulan Sari (Parent)" in outputs
    assert "waiting to be picked up" in outputs

    # The Dinas hands over the card (cards only), and that ends the request.
    log_in(page, base, "demo-dinas")
    page.goto(base + f"/requests/{birth.pk}/hand-over/")
    assert not page.get_by_label("Printed documents").count()
    page.get_by_label("Bayi Ny. Wulan (the person themselves)").check()
    page.get_by_role("button", name="Next: check and confirm").click()
    assert "the request ends here" in page.inner_text("main")
    page.get_by_role("button", name="Yes, record the hand-over").click()
    page.wait_for_url(base + f"/requests/{birth.pk}/")
    birth.refresh_from_db()
    assert birth.status == Status.HANDED_OVER
    assert HandOver.objects.filter(request=birth).count() == 2
    # Invited once every part was received (when a survey can be answered).
    assert survey_invitations(birth) == (1 if survey_path(birth) else 0)
