"""One request through a real browser: village -> kecamatan -> Dinas -> village -> resident.

Debian's chromium, driven by Playwright. The UI runs in English here so the test reads like
the source strings; the Indonesian default is covered by the login test of the demo.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from paradewi.catalogue.services import catalogue_load
from paradewi.core.crypto import blind_index
from paradewi.demo.services import DEMO_PASSWORD, demo_load
from paradewi.regions.services import regions_load
from paradewi.requests.models import ServiceRequest, Status, Transition, Upload
from paradewi.requests.tests.factories import KK_NUMBER, NIK_MAN, jpeg_bytes, pdf_bytes
from paradewi.testing import pass_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    regions_load(regency_code="35.16")
    catalogue_load()
    demo_load()


@pytest.fixture
def english_page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # What the Content-Security-Policy blocked (an inline script or style left somewhere).
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/login/")
    page.get_by_label(re.compile("^Username")).fill(username)
    page.get_by_label(re.compile("^Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_two_factor(page, username)
    page.wait_for_url(base + "/home/")


def field(page, name: str):
    """A form field by its name (labels carry a colon and change with the service)."""
    return page.locator(f"[name={name}]")


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def upload(page, code: str, name: str, content: bytes, mime: str) -> None:
    row = page.locator(f"#req-{code}")
    row.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )
    row.get_by_role("button", name="Upload").click()
    page.locator(f"#req-{code}").get_by_text(name).wait_for()


def test_a_request_travels_from_the_village_to_the_dinas_and_back(
    live_server, english_page, demo, tmp_path
):
    page, base = english_page, live_server.url

    # The village officer fills the data of a KK change for a resident.
    log_in(page, base, "demo-desa")
    page.goto(base + "/requests/new/")
    page.get_by_role("link", name=re.compile("perubahan data")).first.click()
    field(page, "subject_nik").fill(NIK_MAN)
    field(page, "subject_kk").fill(KK_NUMBER)
    field(page, "subject_name").fill("Slamet Riyadi")
    field(page, "subject_sex").select_option("L")
    field(page, "subject_birth_place").fill("Mojokerto")
    field(page, "subject_birth_date").fill("1990-05-12")
    field(page, "reporter_relationship").select_option("self")
    field(page, "reporter_phone").fill("0812 3456 7890")
    page.get_by_label("A member is added").check()
    page.get_by_role("button", name="Save the draft and go on to the uploads").click()
    page.wait_for_url(re.compile(r"/requests/\d+/edit/"))
    request = ServiceRequest.objects.get(
        subject_nik_index=blind_index(NIK_MAN, purpose="nik"), status=Status.DRAFT
    )

    # One upload per requirement, each sent on its own (htmx swaps the row).
    upload(page, "f-102", "f102.pdf", pdf_bytes(text="F-1.02"), "application/pdf")
    upload(page, "kk-lama", "kk-lama.jpg", jpeg_bytes((600, 400)), "image/jpeg")
    upload(page, "bukti-peristiwa", "akta.pdf", pdf_bytes(text="akta"), "application/pdf")
    page.get_by_role("button", name="Submit the request").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert request.number in page.content()

    # The receipt: a PDF with the number and the PIN.
    receipt = page.request.get(base + f"/requests/{request.pk}/receipt.pdf")
    assert receipt.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.body())).pages)
    assert request.pin in text
    assert "Slamet Riyadi" not in text
    log_out(page)

    # The kecamatan returns it: the old KK scan is blurred.
    log_in(page, base, "demo-kecamatan")
    page.goto(base + f"/requests/{request.pk}/")
    page.get_by_role("link", name="Return to the village").click()
    page.get_by_label(re.compile("^Kartu Keluarga lama")).fill("Scan KK buram, foto ulang.")
    page.get_by_role("button", name="Return to the village").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    request.refresh_from_db()
    assert request.status == Status.RETURNED
    log_out(page)

    # The village sees what to fix, replaces only that scan and submits again.
    log_in(page, base, "demo-desa")
    page.goto(base + f"/requests/{request.pk}/")
    page.get_by_role("link", name="Fix and send again").click()
    assert page.get_by_text("Scan KK buram, foto ulang.").first.is_visible()
    upload(page, "kk-lama", "kk-lama-2.jpg", jpeg_bytes((800, 600), color="gray"), "image/jpeg")
    page.get_by_role("button", name="Submit the fixed request").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    log_out(page)

    # The kecamatan verifies; the Dinas clerk takes it and completes it with the new KK.
    log_in(page, base, "demo-kecamatan")
    page.goto(base + f"/requests/{request.pk}/")
    page.get_by_role("button", name="Verify: complete").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    log_out(page)

    log_in(page, base, "demo-dinas")
    page.goto(base + "/requests/")
    page.get_by_role("link", name=request.number).click()
    page.get_by_role("button", name="Take this request").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    page.get_by_role("link", name="Complete: upload the documents").click()
    page.locator("input[type=file]").first.set_input_files(
        {"name": "kk.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(text="KK baru")}
    )
    page.get_by_role("button", name="Complete").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    request.refresh_from_db()
    assert request.status == Status.DONE
    log_out(page)

    # The village prints the document and records the hand-over.
    log_in(page, base, "demo-desa")
    page.goto(base + f"/requests/{request.pk}/")
    document = page.request.get(
        base + f"/requests/{request.pk}/outputs/{request.outputs.get().pk}/"
    )
    assert document.body().startswith(b"%PDF")
    page.get_by_role("link", name="Record the hand-over").click()
    page.get_by_label("Slamet Riyadi (the person themselves)").check()
    page.get_by_role("button", name="Next: check and confirm").click()
    page.get_by_role("button", name="Yes, record the hand-over").click()
    page.wait_for_url(base + f"/requests/{request.pk}/")
    log_out(page)

    request.refresh_from_db()
    assert request.status == Status.HANDED_OVER
    assert list(Transition.objects.filter(request=request).values_list("action", flat=True)) == [
        "create",
        "submit",
        "return",
        "submit",
        "verify",
        "claim",
        "complete",
        "hand_over",
    ]
    assert Upload.objects.filter(request=request, requirement_code="kk-lama").count() == 2

    # The resident follows it with the number and the PIN from the receipt.
    page.goto(base + "/track/")
    page.get_by_label(re.compile("^Registration number")).fill(request.number)
    page.get_by_label(re.compile("^PIN")).fill(request.pin)
    page.get_by_role("button", name="Show the status").click()
    content = page.content()
    assert request.number in content
    assert "Slamet Riyadi" not in content
    assert NIK_MAN not in content
    assert "Handed over" in content
    # Every page on the way ran under the Content-Security-Policy without a violation.
    assert page.csp_violations == []
