"""Uploads from the phone, in a real browser (Debian's chromium through Playwright).

A big phone photo is shrunk before it leaves the browser, a dropped connection loses neither
the file nor the form and never stores a file twice, and without JavaScript the plain form
still uploads.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from paradewi.catalogue.services import catalogue_load
from paradewi.requests.models import ServiceRequest, Upload
from paradewi.requests.tests.factories import jpeg_bytes, make_draft, pdf_bytes
from paradewi.testing import Personas, load_mojokerto, make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "kk-lama"  # a requirement of "KK perubahan data", the draft's service
PHOTO_NAME = "IMG_20251104_093012.jpg"
TARGET_BYTES = 500_000
MAX_SIDE = 2000
# EXIF orientation 6: the phone was held upright; the pixels are stored lying on their side.
ROTATED_UPRIGHT = 6


def phone_photo() -> bytes:
    """A 12-megapixel photo of a paper form, as a phone camera saves it (JPEG quality 95).

    Uneven light (gradients), a sheet with a header box, a stamp and a pasted photo, lines of
    handwriting-like strokes, a slightly soft lens and sensor noise: content that compresses
    like a real photo, not like a flat test card.
    """
    size = (4000, 3000)
    rnd = random.Random(3516)
    horizontal = Image.linear_gradient("L").rotate(90).resize(size)
    vertical = Image.linear_gradient("L").resize(size)
    red = ImageChops.add(horizontal.point(lambda v: v // 3), Image.new("L", size, 150))
    green = ImageChops.add(vertical.point(lambda v: v // 4), Image.new("L", size, 140))
    blue = ImageChops.add(horizontal.point(lambda v: v // 5), Image.new("L", size, 110))
    photo = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(photo)
    draw.rectangle((300, 200, 3700, 2800), fill=(236, 232, 222))
    draw.rectangle((380, 280, 3620, 560), outline=(40, 40, 60), width=8)
    draw.ellipse((500, 320, 740, 520), fill=(160, 30, 40))
    draw.rectangle((3000, 700, 3500, 1350), fill=(120, 110, 100))
    for line in range(30):
        y = 700 + line * 68
        x = 420
        end = 2900 if y < 1400 else 3560
        while x < end - 60:
            word = rnd.randint(40, 220)
            for stroke in range(0, word, 14):
                top = y + rnd.randint(-4, 4)
                draw.line((x + stroke, top, x + stroke + 8, top + 34), fill=(25, 25, 40), width=5)
            x += word + rnd.randint(24, 48)
    photo = photo.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise(size, 3.5).convert("RGB")
    photo = ImageChops.add(photo, noise, offset=-128)
    exif = Image.Exif()
    exif[0x0112] = ROTATED_UPRIGHT
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=95, exif=exif)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def photo() -> bytes:
    data = phone_photo()
    assert len(data) > 4 * 1024 * 1024
    return data


@pytest.fixture
def people() -> Personas:
    load_mojokerto()
    catalogue_load()
    return make_personas()


@pytest.fixture
def draft(people: Personas) -> ServiceRequest:
    return make_draft(people.desa_a)


@pytest.fixture
def open_page(browser: Any, live_server: Any, people: Personas) -> Iterator[Any]:
    """A phone-sized page of the village officer, logged in; JavaScript on unless told."""
    contexts = []

    def opener(*, javascript: bool = True) -> Any:
        context = browser.new_context(
            locale="id-ID", viewport={"width": 390, "height": 800}, java_script_enabled=javascript
        )
        contexts.append(context)
        client = Client()
        client.force_login(people.desa_a)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    yield opener
    for context in contexts:
        context.close()


def edit_url(live_server: Any, request: ServiceRequest) -> str:
    return f"{live_server.url}/requests/{request.pk}/edit/"


def choose(page: Any, name: str, content: bytes, mime: str) -> None:
    page.locator(f"#req-{CODE} input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )


def wait_uploaded(page: Any, name: str) -> None:
    page.locator(f"#req-{CODE} .req-file a", has_text=name).wait_for()


def sent_file(body: bytes, content_type: str) -> bytes:
    """The file part of a multipart/form-data body."""
    message = message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=policy.default
    )
    assert isinstance(message, EmailMessage)
    for part in message.iter_parts():
        if part.get_filename():
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload
    raise AssertionError("no file in the body")


def record_posts(page: Any) -> list[bytes]:
    """The file bytes of every upload POST the page sends, in order.

    Routes registered later run first: call this after any other route of the test, whose
    handler then decides what becomes of the request.
    """
    files: list[bytes] = []

    def record(route: Any) -> None:
        request = route.request
        if request.method == "POST":
            files.append(sent_file(request.post_data_buffer, request.headers["content-type"]))
        route.fallback()

    page.route("**/uploads/**", record)
    return files


def stored(upload: Upload) -> bytes:
    with upload.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def test_it_shrinks_a_phone_photo_before_it_leaves_the_phone(
    open_page: Any, live_server: Any, draft: ServiceRequest, photo: bytes, record_property: Any
) -> None:
    page = open_page()
    sent = record_posts(page)
    page.goto(edit_url(live_server, draft))

    choose(page, PHOTO_NAME, photo, "image/jpeg")  # no button pressed: choosing sends it
    wait_uploaded(page, PHOTO_NAME)

    assert len(sent) == 1
    with Image.open(io.BytesIO(sent[0])) as image:
        assert image.format == "JPEG"
        assert image.size == (1500, 2000)  # upright, long side at most 2000 px
        assert not image.getexif()  # nothing of the camera's metadata leaves the phone
    assert len(sent[0]) < TARGET_BYTES

    upload = Upload.objects.get(request=draft, requirement_code=CODE)
    data = stored(upload)
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) <= MAX_SIDE
        assert image.height > image.width
    assert upload.size == len(data) < TARGET_BYTES
    assert upload.original_name == PHOTO_NAME

    sizes = f"photo {len(photo)} bytes -> sent {len(sent[0])} bytes -> stored {len(data)} bytes"
    record_property("sizes", sizes)
    print(sizes)  # the figures docs/documents.md quotes (pytest -s)

    # The list of what is still missing follows without a reload.
    assert "Kartu Keluarga lama" not in page.locator("#missing").inner_text()


@pytest.mark.parametrize("lost", ["before_the_server", "on_the_way_back"])
def test_a_dropped_connection_sends_the_file_again_and_it_arrives_once(
    open_page: Any, live_server: Any, draft: ServiceRequest, photo: bytes, lost: str
) -> None:
    page = open_page()
    attempts: list[str] = []
    stored_by_the_lost_one: list[int] = []

    def drop_the_first(route: Any) -> None:
        if route.request.method != "POST":  # the row asking whether the photo is checked
            route.continue_()
            return
        attempts.append(route.request.method)
        if len(attempts) > 1:
            route.continue_()
            return
        if lost == "on_the_way_back":
            # The server receives and stores the file; its answer never reaches the phone.
            assert route.fetch().status == 200
            stored_by_the_lost_one.append(Upload.objects.filter(request=draft).count())
        route.abort("connectionreset")

    page.route("**/uploads/**", drop_the_first)
    sent = record_posts(page)
    page.goto(edit_url(live_server, draft))

    choose(page, PHOTO_NAME, photo, "image/jpeg")
    wait_uploaded(page, PHOTO_NAME)

    assert len(attempts) == 2
    if lost == "on_the_way_back":
        assert stored_by_the_lost_one == [1]
    assert sent[0] == sent[1]  # the same prepared bytes, not a second compression
    assert Upload.objects.filter(request=draft, requirement_code=CODE).count() == 1


def test_after_the_retries_it_offers_to_try_again(
    open_page: Any, live_server: Any, draft: ServiceRequest
) -> None:
    page = open_page()
    offline = {"on": True}
    attempts: list[str] = []

    def drop_while_offline(route: Any) -> None:
        attempts.append(route.request.method)
        if offline["on"]:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/uploads/**", drop_while_offline)
    page.goto(edit_url(live_server, draft))
    # Short pauses between the automatic retries, so the test does not wait seconds.
    page.locator("[data-uploads]").evaluate("box => { box.dataset.retryDelays = '50,50' }")
    failed_text = page.locator("[data-uploads]").get_attribute("data-msg-failed")

    choose(page, "kk.pdf", pdf_bytes(text="KK lama"), "application/pdf")
    retry = page.locator(f"#req-{CODE} [data-upload-retry]")
    retry.wait_for(state="visible")
    assert len(attempts) == 3  # the first try and two automatic retries
    assert page.locator(f"#req-{CODE} [role=status]").inner_text() == failed_text
    assert not Upload.objects.filter(request=draft).exists()

    offline["on"] = False
    retry.click()
    wait_uploaded(page, "kk.pdf")
    assert Upload.objects.filter(request=draft, requirement_code=CODE).count() == 1


def test_it_sends_a_pdf_as_it_is(open_page: Any, live_server: Any, draft: ServiceRequest) -> None:
    page = open_page()
    page.goto(edit_url(live_server, draft))
    pdf = pdf_bytes(pages=2, text="SKPWNI")

    choose(page, "skpwni.pdf", pdf, "application/pdf")
    wait_uploaded(page, "skpwni.pdf")

    upload = Upload.objects.get(request=draft, requirement_code=CODE)
    assert upload.sha256 == hashlib.sha256(pdf).hexdigest()


def test_without_javascript_the_plain_form_uploads(
    open_page: Any, live_server: Any, draft: ServiceRequest
) -> None:
    page = open_page(javascript=False)
    page.goto(edit_url(live_server, draft))

    choose(page, "kk-lama.jpg", jpeg_bytes((600, 400)), "image/jpeg")
    page.locator(f"#req-{CODE} button[type=submit]").click()
    page.wait_for_url(f"**/requests/{draft.pk}/edit/#req-{CODE}")
    wait_uploaded(page, "kk-lama.jpg")

    upload = Upload.objects.get(request=draft, requirement_code=CODE)
    assert upload.original_name == "kk-lama.jpg"


def test_the_row_of_a_photo_being_checked_changes_by_itself_when_the_check_is_done(
    open_page: Any, live_server: Any, draft: ServiceRequest, photo: bytes, settings: Any
) -> None:
    from paradewi.requests import services

    # No worker: the photo stays "being checked" until the test checks it, as a worker would.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = open_page()
    page.goto(edit_url(live_server, draft))
    choose(page, PHOTO_NAME, photo, "image/jpeg")
    row = page.locator(f"#req-{CODE}")
    row.locator(".badge", has_text="sedang diperiksa").wait_for()
    assert row.locator(".req-file a").count() == 0  # nothing to open yet
    upload = Upload.objects.get(request=draft, requirement_code=CODE)
    assert upload.state == "checking"

    assert services.upload_check(upload.pk) == "ready"
    wait_uploaded(page, PHOTO_NAME)  # the row asked again and shows the link, no reload
    assert row.locator(".badge", has_text="sedang diperiksa").count() == 0
