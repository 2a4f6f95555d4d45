"""No long upload that ends in a refusal: on a phone over a throttled 3G link, a file the server
would refuse for its size or type is refused on the phone, before one byte of it is sent, with
a message that says what to do instead; the Dinas's completion form does the same; and without
JavaScript the server refuses the oversize body from its declared length.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings

from paradewi.catalogue.services import catalogue_load
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Upload
from paradewi.requests.tests.factories import jpeg_bytes, make_draft, make_submitted
from paradewi.testing import Client, Personas, load_mojokerto, make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "kk-lama"  # a requirement of "KK perubahan data", the draft's service
PHONE = {"width": 360, "height": 740}
# Chrome DevTools' "Regular 3G" (bytes per second, milliseconds).
REGULAR_3G = {
    "offline": False,
    "latency": 100,
    "downloadThroughput": 750 * 1024 / 8,
    "uploadThroughput": 250 * 1024 / 8,
}
MB = 1024 * 1024


def scanned_pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n"
    return head + b"0" * (size - len(head) - 6) + b"%%EOF\n"


@pytest.fixture
def people() -> Personas:
    load_mojokerto()
    catalogue_load()
    return make_personas()


@dataclass
class Phone:
    page: Any
    posts: list[str] = field(default_factory=list)  # every POST the page made (Playwright)
    wire: list[str] = field(default_factory=list)  # POSTs the network stack was given (CDP)


@pytest.fixture
def open_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A phone page of `user` on 3G, logged in; with the requests and CDP events it sent."""
    contexts = []

    def opener(
        user: Any, *, javascript: bool = True, link: dict[str, Any] | None = REGULAR_3G
    ) -> Any:
        context = browser.new_context(
            locale="id-ID", viewport=PHONE, java_script_enabled=javascript
        )
        contexts.append(context)
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        phone = Phone(page)
        page.on("request", lambda r: phone.posts.append(r.url) if r.method == "POST" else None)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        if link is not None:
            cdp.send("Network.emulateNetworkConditions", link)
        cdp.on(
            "Network.requestWillBeSent",
            lambda event: (
                phone.wire.append(event["request"]["url"])
                if event["request"]["method"] == "POST"
                else None
            ),
        )
        return phone

    yield opener
    for context in contexts:
        context.close()


def choose(page: Any, name: str, content: bytes, mime: str) -> None:
    page.locator(f"#req-{CODE} input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )


def test_an_oversize_pdf_is_refused_on_the_phone_before_any_byte_is_sent(
    open_page: Any, live_server: Any, people: Personas
) -> None:
    draft = make_draft(people.desa_a)
    phone = open_page(people.desa_a)
    page = phone.page
    page.goto(f"{live_server.url}/requests/{draft.pk}/edit/")

    # (Handing 13 MB to the browser takes Playwright a moment; the clock starts once chosen.)
    choose(page, "scan-akta.pdf", scanned_pdf(13 * MB), "application/pdf")
    started = time.monotonic()
    status = page.locator(f"#req-{CODE} [data-upload-status]")
    status.filter(has_text="tidak dikirim").wait_for()
    seconds = time.monotonic() - started

    text = status.inner_text().replace("\xa0", " ")
    assert "13,0 MB" in text
    assert "5,0 MB" in text
    assert "foto halamannya" in text  # what to do instead
    assert seconds < 5  # not 425 s of 3G
    page.wait_for_timeout(1000)
    assert phone.posts == []  # no request at all: not one byte of the body left the phone
    assert phone.wire == []
    assert not Upload.objects.filter(request=draft).exists()
    assert page.locator(f"#req-{CODE}").get_attribute("class").split().count("upload-failed") == 1

    # The photo of the page instead: sent, small, over the same 3G link.
    choose(page, "IMG_0001.jpg", jpeg_bytes((1200, 1600), "white"), "image/jpeg")
    page.locator(f"#req-{CODE} .req-file a", has_text="IMG_0001.jpg").wait_for()
    assert len(phone.posts) == 1
    assert Upload.objects.filter(request=draft, requirement_code=CODE).count() == 1


def test_a_file_of_another_type_is_refused_on_the_phone(
    open_page: Any, live_server: Any, people: Personas
) -> None:
    draft = make_draft(people.desa_a)
    phone = open_page(people.desa_a)
    page = phone.page
    page.goto(f"{live_server.url}/requests/{draft.pk}/edit/")
    choose(page, "IMG_0002.HEIC", b"\x00\x00\x00\x18ftypheic" + b"0" * 4000, "image/heic")
    status = page.locator(f"#req-{CODE} [data-upload-status]")
    status.filter(has_text="JPEG, PNG").wait_for()
    page.wait_for_timeout(500)
    assert phone.posts == []


def test_the_dinas_completion_form_refuses_an_oversize_pdf_before_sending(
    open_page: Any, live_server: Any, people: Personas
) -> None:
    request = make_submitted(people.desa_a, "kk-perubahan")
    request = services.request_verify(actor=people.kecamatan_a, request=request)
    request = services.request_claim(actor=people.clerk, request=request)
    phone = open_page(people.clerk)
    page = phone.page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/requests/{request.pk}/complete/")
    field = page.locator("input[type=file]").first
    field.set_input_files(
        {"name": "kk.pdf", "mimeType": "application/pdf", "buffer": scanned_pdf(21 * MB)}
    )
    message = page.locator(".file-check")
    message.wait_for()
    assert "20,0 MB" in message.inner_text().replace("\xa0", " ")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_timeout(1000)
    assert phone.posts == []  # the submission was stopped on the page
    request.refresh_from_db()
    assert request.status == "in_process"


def test_without_javascript_the_server_refuses_the_oversize_body_and_says_why(
    open_page: Any, live_server: Any, people: Personas
) -> None:
    draft = make_draft(people.desa_a)
    # Over the loopback: without script the browser sends the whole body whatever the answer,
    # which is what the phone's own check avoids; this is the server's guard.
    page = open_page(people.desa_a, javascript=False, link=None).page
    edit = f"{live_server.url}/requests/{draft.pk}/edit/"
    page.goto(edit)
    choose(page, "scan-akta.pdf", scanned_pdf(6 * MB), "application/pdf")
    page.locator(f"#req-{CODE} button[type=submit]", has_text="Unggah").click()
    page.wait_for_url(edit)
    assert "paling besar 5,0" in page.locator("main").inner_text().replace("\xa0", " ")
    assert not Upload.objects.filter(request=draft).exists()
    assert ServiceRequest.objects.get(pk=draft.pk).status == "draft"
