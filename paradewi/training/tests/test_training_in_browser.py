"""A village officer on a phone (360x740) plays the "return and fix" scenario alone: training on,
the practice birth registration filled and submitted, returned by the scenario for a blurred
surat keterangan lahir, the scan replaced, completed with a sample result, printed, handed
over; training off, and nothing of it is left in the real worklist.

With PARADEWI_SHOTS=<folder> the pages are also photographed, at 360x740 and 1366x768, in
Indonesian (the default language) by the second test.
"""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from paradewi.accounts.models import User
from paradewi.catalogue.services import catalogue_load
from paradewi.core.practice_pdf import MARK
from paradewi.demo.services import demo_load
from paradewi.regions.services import regions_load
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.tests.factories import KK_NUMBER, NIK_MAN, NIK_WOMAN, jpeg_bytes, pdf_bytes
from paradewi.requests.tests.test_field_flow_in_browser import PHONE, fill_the_rest
from paradewi.requests.tests.test_flow_in_browser import log_in, log_out
from paradewi.training.models import PracticeRun
from paradewi.training.services import scenarios_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCENARIO = "Akta kelahiran: dikembalikan karena surat keterangan lahir buram"
CHILD = "Muhammad Rizky Pratama"


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    regions_load(regency_code="35.16")
    catalogue_load()
    demo_load()
    scenarios_load()


def _context(browser, *, locale: str, viewport: dict[str, int], mobile: bool):
    return browser.new_context(
        locale=locale,
        viewport=viewport,
        is_mobile=mobile,
        has_touch=mobile,
        device_scale_factor=2 if mobile else 1,
    )


@pytest.fixture
def phone(browser):
    context = _context(browser, locale="en-US", viewport=PHONE, mobile=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def field(page, name: str):
    return page.locator(f"#data [name={name}]")


def upload(page, code: str, name: str, content: bytes, mime: str) -> None:
    row = page.locator(f"#req-{code}")
    row.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )
    row.get_by_role("button", name="Upload").click()
    page.locator(f"#req-{code}").get_by_text(name).wait_for()


def banner_shown(page) -> bool:
    return bool(page.locator(".training-banner").is_visible())


def fill_birth(page) -> None:
    born = timezone.localdate() - timedelta(days=10)
    assert field(page, "subject_name").input_value() == CHILD  # from the scenario
    field(page, "subject_kk").fill(KK_NUMBER)
    field(page, "subject_birth_place").fill("Mojokerto")
    field(page, "reporter_relationship").select_option("parent")
    field(page, "reporter_nik").fill(NIK_MAN)
    field(page, "reporter_name").fill("Agus Santoso")
    field(page, "reporter_phone").fill("081234567890")
    field(page, "birth_order").fill("1")
    field(page, "mother_nik").fill(NIK_WOMAN)
    field(page, "mother_name").fill("Siti Aminah")
    field(page, "father_nik").fill(NIK_MAN)
    fill_the_rest(page, born)


def play_scenario(page, base: str) -> ServiceRequest:
    """The whole loop on the phone; returns the practice request handed over."""
    page.goto(base + "/training/")
    page.get_by_role("button", name="Start training (Latihan)").click()
    page.wait_for_url(base + "/training/")
    assert banner_shown(page)
    card = page.locator("li.card", has_text=SCENARIO)
    card.get_by_role("button", name="Start this scenario").click()
    page.wait_for_url(re.compile(r"/requests/\d+/edit/"))
    assert banner_shown(page)
    match = re.search(r"/requests/(\d+)/", page.url)
    assert match is not None, page.url
    request = ServiceRequest.practice.get(pk=int(match.group(1)))  # names are encrypted
    assert request.subject_name == CHILD

    fill_birth(page)
    page.get_by_role("button", name="Save the data").click()
    page.wait_for_url(re.compile(r"/requests/\d+/edit/"))
    upload(page, "f-201", "f201.pdf", pdf_bytes(text="F-2.01"), "application/pdf")
    upload(page, "surat-keterangan-lahir", "skl.jpg", jpeg_bytes((400, 300)), "image/jpeg")
    upload(page, "buku-nikah", "nikah.pdf", pdf_bytes(text="buku nikah"), "application/pdf")
    upload(page, "kk", "kk.pdf", pdf_bytes(text="KK"), "application/pdf")
    page.get_by_role("button", name="Submit the request").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")

    # The scenario answered through the task queue: returned, with the reason to fix.
    request.refresh_from_db()
    assert request.status == Status.RETURNED, request.status
    assert request.number.startswith("LATIHAN-")
    receipt = page.request.get(base + f"/requests/{request.pk}/receipt.pdf")
    assert MARK in PdfReader(io.BytesIO(receipt.body())).pages[0].extract_text()
    page.get_by_role("link", name="Fix and send again").click()
    assert page.get_by_text(re.compile("Surat keterangan kelahiran buram")).first.is_visible()
    upload(
        page,
        "surat-keterangan-lahir",
        "skl-terbaca.jpg",
        jpeg_bytes((800, 600), color="gray"),
        "image/jpeg",
    )
    page.get_by_role("button", name="Submit the fixed request").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")

    # Completed with the sample result: printed (marked), then handed over.
    request.refresh_from_db()
    assert request.status == Status.DONE, request.status
    for output in request.outputs.all():
        document = page.request.get(base + f"/requests/{request.pk}/outputs/{output.pk}/")
        assert MARK in PdfReader(io.BytesIO(document.body())).pages[0].extract_text()
    page.get_by_role("link", name="Record the hand-over").click()
    page.get_by_label(re.compile(CHILD)).check()
    page.get_by_role("button", name="Next: check and confirm").click()
    page.get_by_role("button", name="Yes, record the hand-over").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    request.refresh_from_db()
    return request


def test_a_village_officer_on_a_phone_plays_return_and_fix_alone(live_server, phone, demo):
    page, base = phone, live_server.url
    log_in(page, base, "demo-desa")
    request = play_scenario(page, base)
    assert request.status == Status.HANDED_OVER
    run = PracticeRun.objects.get(request=request)
    assert run.completed_at is not None
    officer = User.objects.get(username="demo-desa")
    assert run.officer == officer

    # Training off: the practice is nowhere in the real worklist, and opens no page.
    page.goto(base + "/training/")
    page.get_by_role("button", name="Leave training, back to real requests").click()
    page.wait_for_url(base + "/home/")
    assert not banner_shown(page)
    page.goto(base + "/requests/?tab=all&q=" + request.number)
    assert request.number not in page.locator("#request-rows").inner_text()
    assert page.goto(base + f"/requests/{request.pk}/").status == 404
    page.goto(base + "/home/")
    log_out(page)


def _shots_folder() -> Path | None:
    folder = os.environ.get("PARADEWI_SHOTS")
    return Path(folder) if folder else None


def test_the_training_pages_photographed(live_server, browser, demo):
    """Screenshots for the note (only with PARADEWI_SHOTS): the practice request, its receipt
    and result, the progress page, at 360x740 and 1366x768, in Indonesian."""
    folder = _shots_folder()
    if folder is None:
        pytest.skip("PARADEWI_SHOTS is not set")
    folder.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    context = _context(browser, locale="en-US", viewport=PHONE, mobile=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, base, "demo-desa")
    request = play_scenario(page, base)
    log_out(page)
    context.close()
    outputs = list(request.outputs.order_by("output_code"))
    sizes = {"360x740": (PHONE, True), "1366x768": ({"width": 1366, "height": 768}, False)}
    for label, (viewport, mobile) in sizes.items():
        context = _context(browser, locale="id-ID", viewport=viewport, mobile=mobile)
        page = context.new_page()
        page.set_default_timeout(30_000)
        log_in_id(page, base, "demo-desa")
        page.goto(base + "/training/")
        page.locator("form[action='/training/switch/'] button").first.click()
        page.goto(base + f"/requests/{request.pk}/")
        page.screenshot(path=str(folder / f"practice-request-{label}.png"), full_page=True)
        page.goto(base + "/training/")
        page.screenshot(path=str(folder / f"training-home-{label}.png"), full_page=True)
        for name, url in (
            ("receipt", f"/requests/{request.pk}/receipt.pdf"),
            ("result", f"/requests/{request.pk}/outputs/{outputs[0].pk}/"),
        ):
            pdf = page.request.get(base + url).body()
            (folder / f"practice-{name}.pdf").write_bytes(pdf)
        page.goto(base + "/training/services/akta-kelahiran/")
        page.screenshot(path=str(folder / f"service-help-{label}.png"), full_page=True)
        page.locator("form[action='/logout/'] button").click()
        log_in_id(page, base, "demo-kadis")
        page.goto(base + "/training/progress/?district=35.16.01")
        page.screenshot(path=str(folder / f"progress-{label}.png"), full_page=True)
        context.close()


def log_in_id(page, base: str, username: str) -> None:
    """Log in on the Indonesian pages (the labels are Indonesian)."""
    from paradewi.demo.services import DEMO_PASSWORD
    from paradewi.testing import pass_two_factor

    page.goto(base + "/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    pass_two_factor(page, username)
    page.wait_for_url(base + "/home/")
