"""A resident files a complaint about their request on a phone, the Dinas head answers it,
and the resident reads the answer: Debian's chromium, driven by Playwright, on the phone
profile (360x740), in Indonesian as residents see it."""

from __future__ import annotations

import re

import pytest

from paradewi.complaints.models import Complaint, Status
from paradewi.requests.tests.factories import make_submitted
from paradewi.requests.tracking import make_token
from paradewi.testing import PASSWORD, make_personas, pass_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "Sudah dua minggu KK saya belum selesai. NIK saya 3516011205900001."
ANSWER = "Mohon maaf, KK Anda sudah dicetak dan dapat diambil di kantor desa besok."


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def laptop(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_resident_complains_about_a_request_and_reads_the_dinas_head_s_answer(
    live_server, regions, phone, laptop
):
    p = make_personas()
    request = make_submitted(p.desa_a)
    base = live_server.url

    # The resident opens the receipt's QR link and complains from the status page.
    phone.goto(f"{base}/t/{make_token(request)}/")
    phone.get_by_role("link", name=re.compile("Ajukan pengaduan")).click()
    phone.get_by_label("Terlalu lama").check()
    phone.locator("textarea[name=c-text]").fill(WORDS)
    phone.locator("input[name=c-contact_phone]").fill("0812 3456 7899")
    phone.get_by_role("button", name="Kirim pengaduan").click()
    phone.get_by_text("Pengaduan Anda sudah diterima").wait_for()
    complaint = Complaint.objects.get()
    follow_url = phone.url
    page_text = phone.locator("main").inner_text()
    assert complaint.number in page_text
    assert complaint.pin in page_text
    assert "3516011205900001" not in page_text  # the NIK typed in is masked on display
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # The Dinas head finds it in the queue and answers.
    laptop.goto(f"{base}/login/")
    laptop.locator("input[name=username]").fill(p.head.username)
    laptop.locator("input[name=password]").fill(PASSWORD)
    laptop.locator("main form button[type=submit]").click()
    pass_two_factor(laptop, p.head.username)
    laptop.goto(f"{base}/complaints/queue/")
    laptop.get_by_role("link", name=complaint.number).click()
    laptop.locator("textarea[name=answer-text]").fill(ANSWER)
    laptop.get_by_role("button", name="Kirim jawaban").click()
    laptop.get_by_text(ANSWER).wait_for()
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED

    # The resident reloads their page, reads the answer and rates it.
    phone.goto(follow_url)
    phone.get_by_text(ANSWER).wait_for()
    assert p.head.full_name not in phone.locator("main").inner_text()
    phone.get_by_label("Sangat puas").check()
    phone.get_by_role("button", name="Nilai jawaban").click()
    phone.get_by_text("4 dari 4").first.wait_for()
    complaint.refresh_from_db()
    assert complaint.rating == 4
