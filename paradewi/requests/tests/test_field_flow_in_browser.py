"""The field flow on a phone (360x740, a slow 3G link where files or pages travel): possible
duplicates, picking the family's people instead of typing them, fixing a returned request, and
the error summary of a refused form. Debian's chromium, driven by Playwright; the UI in English
so the test reads like the source strings. Screenshots go to $PARADEWI_SHOTS when it is set."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from paradewi.accounts.models import User
from paradewi.catalogue.services import catalogue_load
from paradewi.demo.services import demo_load
from paradewi.regions.models import Region
from paradewi.regions.services import regions_load
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    NIK_WOMAN,
    jpeg_bytes,
    make_draft,
    make_submitted,
    upload_all,
)
from paradewi.requests.tests.test_flow_in_browser import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# Chrome's "Slow 3G": 400 ms round trip, about 50 KB/s each way.
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
# Counts the characters typed (printable keys) across page loads of the tab.
COUNT_KEYS = """
addEventListener("keydown", (event) => {
  if (event.key.length === 1) {
    sessionStorage.typed = String(Number(sessionStorage.typed || 0) + 1);
  }
}, true);
"""
CHILD_NAME = "Bagus Pratama Putra"


def request_on(page) -> ServiceRequest:
    """The request whose page the browser is on (names are encrypted: no lookup by name)."""
    match = re.search(r"/requests/(\d+)/", page.url)
    assert match is not None, page.url
    return ServiceRequest.objects.get(pk=int(match.group(1)))


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    regions_load(regency_code="35.16")
    catalogue_load()
    demo_load()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.add_init_script(COUNT_KEYS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def throttle(page) -> None:
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", SLOW_3G)


def shot(page, name: str, *, full: bool = False) -> None:
    folder = os.environ.get("PARADEWI_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=full)


def typed(page) -> int:
    return int(page.evaluate("Number(sessionStorage.typed || 0)"))


def field(page, name: str):
    return page.locator(f"#data [name={name}]")


def focused(page, element_id: str) -> None:
    """Wait until the element has the focus, through Playwright's own check: the page's CSP
    refuses to evaluate a string, which wait_for_function does once it has to poll."""
    expect(page.locator(f"#{element_id}")).to_be_focused()


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and -2 <= box["y"] < PHONE["height"]


def family_known_from_earlier_requests(officer: User) -> None:
    """An older child's birth (the mother reported it) and the father's KTP-el reprint."""
    make_draft(
        officer,
        "akta-kelahiran",
        subject_nik="",
        subject_name="Dewi Lestari",
        subject_sex="P",
        subject_birth_date=date(2020, 3, 1),
        reporter_relationship="parent",
        reporter_nik=NIK_WOMAN,
        reporter_name="Siti Aminah",
        details={"mother_nik": NIK_WOMAN, "father_nik": NIK_MAN, "birth_order": 1},
    )
    make_draft(officer, "ktp-el-cetak-ulang", details={"reason": "lost"})


def fill_the_rest(page, born: date) -> None:
    """What is chosen, not typed, in both ways of filling the birth form, and what both ways
    type alike (F-2.01's weight and length, the parents' places of birth, the two witnesses:
    `TYPED_IN_BOTH` characters)."""
    field(page, "subject_sex").select_option("L")
    field(page, "subject_birth_date").fill(born.isoformat())
    field(page, "birth_time").fill("07:30")
    field(page, "attendant").select_option("midwife")
    field(page, "birth_facility").select_option("puskesmas")
    field(page, "birth_type").select_option("single")
    for name, value in TYPED_ALIKE:
        field(page, name).press_sequentially(value)


# Typed the same way whether the family is picked or not.
TYPED_ALIKE = (
    ("weight_kg", "3.2"),
    ("length_cm", "49"),
    ("mother_birth_place", "Mojokerto"),
    ("father_birth_place", "Jombang"),
    ("witness1_nik", "3516011506850004"),
    ("witness1_name", "Budi Santoso"),
    ("witness1_kk", "3516010202210004"),
    ("witness2_nik", "3516015203880005"),
    ("witness2_name", "Sri Wahyuni"),
    ("witness2_kk", "3516010303210006"),
)
TYPED_IN_BOTH = sum(len(value) for _name, value in TYPED_ALIKE)


def test_a_birth_request_picks_the_family_instead_of_typing_it(live_server, phone, demo):
    page, base = phone, live_server.url
    officer = User.objects.get(username="demo-desa")
    family_known_from_earlier_requests(officer)
    born = timezone.localdate() - timedelta(days=5)
    log_in(page, base, "demo-desa")
    create = base + "/requests/new/akta-kelahiran/"

    # Typed, as before: the KK, the child, the reporter and both parents' NIKs.
    page.goto(create)
    page.evaluate("sessionStorage.typed = '0'")
    field(page, "subject_kk").press_sequentially(KK_NUMBER)
    field(page, "subject_name").press_sequentially(CHILD_NAME)
    field(page, "subject_birth_place").press_sequentially("Mojokerto")
    field(page, "reporter_relationship").select_option("parent")
    field(page, "reporter_nik").press_sequentially(NIK_MAN)
    field(page, "reporter_name").press_sequentially("Slamet Riyadi")
    field(page, "reporter_phone").press_sequentially("081234567890")
    field(page, "birth_order").press_sequentially("2")
    field(page, "mother_nik").press_sequentially(NIK_WOMAN)
    field(page, "mother_name").press_sequentially("Siti Aminah")
    field(page, "father_nik").press_sequentially(NIK_MAN)
    fill_the_rest(page, born)
    typed_before = typed(page)
    page.get_by_role("button", name="Save the draft and go on to the uploads").click()
    page.wait_for_url(re.compile(r"/requests/\d+/edit/"))
    typed_first = request_on(page)
    assert typed_first.subject_name == CHILD_NAME
    # The same child again below: this try is cancelled, not left as a duplicate.
    services.request_cancel(actor=officer, request=typed_first, reason="Contoh pengetikan.")

    # Picked: the KK finds the family; mother, father and "the father reports" are taps.
    page.goto(create)
    page.evaluate("sessionStorage.typed = '0'")
    page.locator("#prefill_kk").press_sequentially(KK_NUMBER)
    page.get_by_role("button", name="Find the family").click()
    page.get_by_role("heading", name="People of this family").wait_for()
    shot(page, "6-family-picks-phone")
    page.get_by_role("button", name=re.compile("^Mother .*Siti Aminah")).click()
    page.get_by_role("button", name=re.compile("^Father .*Slamet Riyadi")).click()
    field(page, "subject_name").press_sequentially(CHILD_NAME)
    field(page, "subject_birth_place").press_sequentially("Mojokerto")
    field(page, "birth_order").press_sequentially("2")
    page.get_by_role("button", name="The father reports").click()
    fill_the_rest(page, born)
    assert field(page, "subject_kk").input_value() == KK_NUMBER
    assert field(page, "reporter_name").input_value() == "Slamet Riyadi"
    assert field(page, "reporter_relationship").input_value() == "parent"
    pressed = page.locator("[aria-pressed=true]").evaluate_all(
        "bs => bs.map(b => b.getAttribute('data-pick') || b.getAttribute('data-copy-parent'))"
    )
    assert pressed == ["father", "mother", "father"]  # the father's, the mother's, who reports
    shot(page, "6-family-picked-phone", full=True)
    typed_after = typed(page)
    page.get_by_role("button", name="Save the draft and go on to the uploads").click()
    page.wait_for_url(re.compile(r"/requests/\d+/edit/"))
    saved = request_on(page)
    assert (saved.subject_name, saved.status) == (CHILD_NAME, Status.DRAFT)
    assert saved.details["mother_nik"] == NIK_WOMAN
    assert saved.details["father_nik"] == NIK_MAN
    assert (saved.reporter_nik, saved.reporter_name) == (NIK_MAN, "Slamet Riyadi")
    assert saved.reporter_phone == "+6281234567890"

    print(f"typed characters of a birth request: before {typed_before}, after {typed_after}")
    assert typed_before == (
        16 + len(CHILD_NAME) + 9 + 16 + 13 + 12 + 1 + 16 + 11 + 16 + TYPED_IN_BOTH
    )
    assert typed_after == 16 + len(CHILD_NAME) + 9 + 1 + TYPED_IN_BOTH


def test_a_refused_form_shows_a_summary_on_top_and_moves_the_focus_there(live_server, phone, demo):
    page, base = phone, live_server.url
    log_in(page, base, "demo-desa")
    page.goto(base + "/requests/new/akta-kelahiran/")
    field(page, "subject_kk").fill(KK_NUMBER)
    field(page, "subject_name").fill(CHILD_NAME)
    fill_the_rest(page, timezone.localdate() - timedelta(days=5))
    field(page, "subject_birth_place").fill("Mojokerto")
    field(page, "birth_order").fill("1")
    field(page, "reporter_relationship").select_option("parent")
    field(page, "reporter_nik").fill(NIK_MAN)
    field(page, "reporter_name").fill("Slamet Riyadi")
    field(page, "mother_nik").fill(NIK_MAN)  # a man's NIK: refused, at the bottom of the form
    page.get_by_role("button", name="Save the draft and go on to the uploads").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    focused(page, "error-summary")
    assert in_view(page, "#error-summary")
    assert "The mother's NIK is a man's NIK." in summary.inner_text()
    shot(page, "8-error-summary-phone")
    summary.get_by_role("link", name=re.compile("Mother's NIK")).click()
    focused(page, "id_mother_nik")
    assert in_view(page, "#id_mother_nik")
    shot(page, "8-error-field-phone")
    assert field(page, "subject_name").input_value() == CHILD_NAME  # the rest is kept


def test_a_second_request_for_the_same_child_is_flagged_to_the_village_and_the_kecamatan(
    live_server, phone, demo
):
    page, base = phone, live_server.url
    other_kecamatan = User.objects.get(username="demo-desa3")
    child: dict[str, Any] = {
        "subject_nik": "",
        "subject_name": CHILD_NAME,
        "subject_sex": "L",
        "subject_birth_date": timezone.localdate() - timedelta(days=5),
        "reporter_relationship": "parent",
        "details": {"mother_nik": NIK_WOMAN, "birth_order": 1, "attendant": "midwife"},
    }
    earlier = make_submitted(other_kecamatan, "akta-kelahiran", **child)
    officer = User.objects.get(username="demo-desa")
    mine = make_draft(officer, "akta-kelahiran", **{**child, "subject_name": "BAGUS pratama putra"})
    upload_all(officer, mine)

    throttle(page)
    log_in(page, base, "demo-desa")
    page.goto(base + f"/requests/{mine.pk}/edit/")
    card = page.locator("#duplicates")
    assert in_view(page, "#duplicates")
    text = card.inner_text()
    assert "The same service · Submitted" in text
    assert earlier.number not in page.content()
    assert earlier.village.name not in text
    shot(page, "5-duplicate-village-phone")
    page.get_by_role("button", name="Submit the request").click()
    page.get_by_text("Not submitted. The same person has another open request").wait_for()
    mine.refresh_from_db()
    assert mine.status == Status.DRAFT
    page.get_by_label(re.compile("This is not the same request")).check()
    page.get_by_role("button", name="Submit the request").click()
    page.wait_for_url(base + f"/requests/{mine.pk}/")
    mine.refresh_from_db()
    assert mine.status == Status.SUBMITTED
    log_out(page)

    log_in(page, base, "demo-kecamatan")
    page.goto(base + "/requests/?tab=verify")
    row = page.locator("tr", has_text=mine.number)
    assert row.locator(".badge-duplicate").inner_text() == "Possible duplicate"
    shot(page, "5-duplicate-kecamatan-queue-phone", full=True)
    row.get_by_role("link", name=mine.number).click()
    assert "in another area" in page.locator("#duplicates").inner_text()
    shot(page, "5-duplicate-kecamatan-detail-phone")


def test_a_returned_request_is_fixed_on_the_phone_from_the_top(live_server, phone, demo):
    page, base = phone, live_server.url
    officer = User.objects.get(username="demo-desa")
    request = make_submitted(officer)
    reason = (
        "Foto KK lama buram di bagian bawah, nomor KK tidak terbaca.\n"
        "Foto ulang di tempat terang, seluruh halaman masuk, tanpa lipatan.\n"
        "Jangan pakai lampu kilat."
    )

    log_in(page, base, "demo-kecamatan")
    page.goto(base + f"/requests/{request.pk}/return/")
    box = page.get_by_label(re.compile("^Kartu Keluarga lama"))
    box.fill(reason)
    # The box grows with the text: all of it shows, nothing scrolls inside it.
    assert box.evaluate("b => b.scrollHeight <= b.clientHeight + 2")
    shot(page, "7-return-reasons-phone")
    page.get_by_role("button", name="Return to the village").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    request.refresh_from_db()
    assert request.status == Status.RETURNED
    log_out(page)

    throttle(page)
    log_in(page, base, "demo-desa")
    page.goto(base + f"/requests/{request.pk}/edit/")
    fix = page.locator("#to-fix")
    assert in_view(page, "#to-fix")
    assert "Photograph" not in fix.inner_text()
    assert "tanpa lipatan" in fix.inner_text()
    upload_box = fix.locator("#req-kk-lama input[type=file]")
    assert upload_box.count() == 1
    # The locked data is text to read, not greyed-out fields.
    assert page.locator("#data input, #data select").count() == 0
    assert page.locator("[disabled]").count() == 0
    shot(page, "7-returned-fix-first-phone")
    upload_box.set_input_files(
        {"name": "kk-lama-baru.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((800, 600))}
    )
    fix.locator("#req-kk-lama").get_by_role("button", name="Upload").click()
    fix.locator("#req-kk-lama").get_by_text("kk-lama-baru.jpg").wait_for()
    shot(page, "7-returned-uploaded-phone")
    page.get_by_role("link", name="Go to “Submit again”").click()
    page.get_by_role("button", name="Submit the fixed request").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert Region.objects.filter(pk=request.village_id).exists()
