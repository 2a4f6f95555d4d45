"""A printed akta kelahiran with a wrong name, corrected in a real browser: the village asks
for the pembetulan from the issued request (on a phone, 360x740), the Dinas issues the
corrected akta (on a desktop, 1366x768), and the wrong akta's public page says it was
corrected and when, without the new data. Screenshots of every page at both sizes go to
SHOTS when it is set (the notes of the change), to the test's temporary folder otherwise."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from paradewi.accounts.models import User
from paradewi.catalogue.services import catalogue_load
from paradewi.demo.services import DEMO_PASSWORD, demo_load
from paradewi.documents import services as documents_services
from paradewi.documents.models import OutputFile
from paradewi.regions.services import regions_load
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import jpeg_bytes, make_submitted, pdf_bytes, pdf_file
from paradewi.requests.workflow import Part
from paradewi.testing import pass_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
RIGHT = "Bayu Setiawan"
WRONG = "Bayu Setiwan"
AKTA = "Kutipan akta kelahiran"
AKTA_NUMBER = "3516-LT-01122026-0001"


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SHOTS", "") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def printed(settings) -> ServiceRequest:
    """An akta kelahiran of the demo village, issued with the name typed wrong and printed."""
    settings.DEMO_MODE = True
    regions_load(regency_code="35.16")
    catalogue_load()
    demo_load()
    desa = User.objects.get(username="demo-desa")
    clerk = User.objects.get(username="demo-dinas")
    request = make_submitted(desa, "akta-kelahiran", subject_name=RIGHT)
    request = services.request_verify(
        actor=User.objects.get(username="demo-kecamatan"), request=request
    )
    request = services.request_claim(actor=clerk, request=request)
    request = documents_services.request_complete(
        actor=clerk,
        request=request,
        outputs=[
            OutputUpload("akta-kelahiran", pdf_file("akta.pdf", text=WRONG), AKTA_NUMBER),
            OutputUpload("kk", pdf_file("kk.pdf")),
        ],
        pickup_place="Kantor Dinas",
    )
    return services.request_hand_over(actor=desa, request=request, part=Part.DOCUMENTS)


def context(browser, viewport):
    made = browser.new_context(locale="en-US", viewport=viewport)
    page = made.new_page()
    page.set_default_timeout(15_000)
    return made, page


def log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.get_by_label(re.compile("^Username")).fill(username)
    page.get_by_label(re.compile("^Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_two_factor(page, username)
    page.wait_for_url(base + "/home/")


def both_sizes(browser, base: str, path: str, name: str, shots: Path, user: str = "") -> str:
    """Screenshots of `path` at 360x740 and 1366x768 (logged in as `user`, if any); returns
    the text of the page."""
    text = ""
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        made, page = context(browser, viewport)
        if user:
            log_in(page, base, user)
        page.goto(base + path)
        text = page.inner_text("main")
        page.screenshot(path=shots / f"{name}-{label}.png", full_page=True)
        made.close()
    return text


def test_a_printed_akta_with_a_wrong_name_is_corrected(live_server, browser, printed, shots):
    base = live_server.url
    wrong = OutputFile.objects.get(request=printed, output_code="akta-kelahiran")
    before = both_sizes(
        browser, base, f"/verify/{wrong.verification_code}/", "1-wrong-akta-valid", shots
    )
    assert "Valid" in before or "Issued" in before

    # The village asks for the pembetulan from the issued request, on a phone.
    made, phone = context(browser, PHONE)
    log_in(phone, base, "demo-desa")
    phone.goto(base + f"/requests/{printed.pk}/")
    phone.get_by_role("link", name="Correct a document").click()
    phone.wait_for_url(base + f"/requests/{printed.pk}/correct/")
    phone.get_by_role("radio", name=re.compile(AKTA)).check()
    phone.get_by_label("The Dinas's own clerical error (pembetulan)").check()
    phone.get_by_label("What is wrong, and what is right?").fill(
        f"Nama anak tercetak “{WRONG}”; di F-2.01 dan surat keterangan lahir “{RIGHT}”."
    )
    # Sent without the evidence first: the message says so, and what was typed stays.
    phone.get_by_role("button", name="Ask for the correction").click()
    assert "Upload the evidence of the error." in phone.inner_text("main")
    assert WRONG in phone.get_by_label("What is wrong, and what is right?").input_value()
    phone.screenshot(path=shots / "2-ask-correction-error-phone.png", full_page=True)
    evidence = shots / "evidence.jpg"
    evidence.write_bytes(jpeg_bytes(size=(400, 300)))
    phone.get_by_role("radio", name=re.compile(AKTA)).check()
    phone.get_by_label("The Dinas's own clerical error (pembetulan)").check()
    phone.get_by_label("Evidence (JPEG, PNG or PDF)").set_input_files(str(evidence))
    phone.get_by_role("button", name="Ask for the correction").click()
    correction = ServiceRequest.objects.get(corrects=printed)
    phone.wait_for_url(base + f"/requests/{correction.pk}/")
    text = phone.inner_text("main")
    assert "The correction was sent to the Dinas" in text
    assert "Corrects the Dinas's own clerical error in:" in text
    assert printed.number in text
    made.close()
    evidence.unlink()
    assert correction.status == Status.VERIFIED
    both_sizes(
        browser, base, f"/requests/{printed.pk}/correct/", "2-ask-correction", shots, "demo-desa"
    )
    both_sizes(
        browser, base, f"/requests/{correction.pk}/", "3-correction-in-queue", shots, "demo-desa"
    )

    # The Dinas takes it and issues the corrected akta, on a desktop.
    made, desk = context(browser, DESKTOP)
    log_in(desk, base, "demo-dinas")
    desk.goto(base + f"/requests/{correction.pk}/")
    desk.get_by_role("button", name="Take this request").click()
    desk.get_by_role("link", name="Complete: upload the documents").click()
    desk.wait_for_url(base + f"/requests/{correction.pk}/complete/")
    form = desk.inner_text("main")
    assert "Card" not in form  # only the akta is issued again: no KIA, no KK
    corrected_pdf = shots / "akta-benar.pdf"
    corrected_pdf.write_bytes(pdf_bytes(text=RIGHT))
    desk.locator("input[name='output-akta-kelahiran']").set_input_files(str(corrected_pdf))
    desk.get_by_label(f"Number of the {AKTA} (optional)").fill(AKTA_NUMBER)
    desk.screenshot(path=shots / "4-complete-correction-desktop.png", full_page=True)
    desk.get_by_role("button", name="Complete").click()
    desk.wait_for_url(base + f"/requests/{correction.pk}/")
    assert "The request was completed." in desk.inner_text("main")
    made.close()
    corrected_pdf.unlink()

    correction.refresh_from_db()
    assert correction.status == Status.DONE
    wrong.refresh_from_db()
    right = OutputFile.objects.get(request=correction)
    assert wrong.revoked_at is not None
    assert wrong.superseded_by_id == right.pk

    # Both requests name each other; the village prints the corrected akta.
    original_page = both_sizes(
        browser, base, f"/requests/{printed.pk}/", "5-original-with-correction", shots, "demo-desa"
    )
    assert correction.number in original_page
    assert "Corrected (pembetulan)" in original_page
    correction_page = both_sizes(
        browser, base, f"/requests/{correction.pk}/", "6-correction-done", shots, "demo-desa"
    )
    assert "Print: Kutipan akta kelahiran" in correction_page

    # The wrong akta's page: corrected, and when; nothing of the new one.
    after = both_sizes(
        browser, base, f"/verify/{wrong.verification_code}/", "7-wrong-akta-corrected", shots
    )
    assert "Corrected: this copy is not valid" in after
    assert RIGHT not in after
    assert right.verification_code not in after.replace("-", "")
    assert correction.number not in after
    new = both_sizes(
        browser, base, f"/verify/{right.verification_code}/", "8-corrected-akta-valid", shots
    )
    assert "not revoked" in new
