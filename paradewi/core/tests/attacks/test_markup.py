"""Markup, template syntax, links and formulas in every free-text field stay text: on every
page that shows them, in every PDF and in every spreadsheet."""

from __future__ import annotations

import io
import uuid
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from paradewi.core.tests.attacks.markup import (
    ESCAPED_NAME,
    ESCAPED_SCRIPT,
    FORMULA,
    IMG,
    LONG,
    MEDIUM,
    NAME,
    SCRIPT,
    TEMPLATE,
    Marked,
    live_markup,
    marked_world,
    pdf_findings,
    pdf_text,
    squeezed,
)
from paradewi.core.tests.attacks.support import body_of
from paradewi.documents.models import OutputFile
from paradewi.documents.official_forms import forms_of
from paradewi.requests.models import Upload
from paradewi.requests.tests.factories import load_catalogue, make_submitted, person_data
from paradewi.requests.tracking import make_token
from paradewi.surveys.links import make_survey_token
from paradewi.surveys.tests.factories import answer, handed_over
from paradewi.testing import Client


@pytest.fixture
def marked(personas) -> Marked:
    return marked_world(personas)


def pages(m: Marked) -> list[tuple[str, str, bool]]:
    """(persona, URL, whether the page must show a payload) for every page showing user text."""
    finished, ready = m.finished, m.ready
    upload = Upload.objects.filter(request=finished).first()
    assert upload is not None
    shown = [
        ("desa_a", reverse("home"), True),
        ("desa_a", reverse("request_list"), True),
        ("desa_a", reverse("request_list") + "?status=done", False),
        ("kecamatan_a", reverse("request_list"), True),
        ("clerk", reverse("request_list"), True),
        ("head", reverse("request_list"), True),
        ("desa_a", reverse("notification_list"), True),
        ("kecamatan_a", reverse("notification_list"), True),
        ("clerk", reverse("notification_list"), False),
        ("head", reverse("announcement_list"), True),
        ("head", reverse("announcement_detail", args=[m.announcement.pk]), True),
        ("desa_a", reverse("request_detail", args=[finished.pk]), True),
        ("clerk", reverse("request_detail", args=[finished.pk]), True),
        ("desa_a", reverse("request_detail", args=[ready.pk]), True),
        ("kecamatan_a", reverse("request_detail", args=[m.waiting.pk]), True),
        ("clerk", reverse("request_detail", args=[m.queued.pk]), True),
        ("desa_a", reverse("request_detail", args=[m.rejected.pk]), True),
        ("desa_a", reverse("request_detail", args=[m.cancelled.pk]), True),
        ("desa_a", reverse("request_upload_viewer", args=[finished.pk, upload.pk]), False),
        ("kecamatan_a", reverse("area_detail", args=["35.16.01"]), True),
        ("kecamatan_a", reverse("area_detail", args=["35.16.01.2001"]), True),
        ("desa_a", reverse("survey_kiosk", args=[finished.pk]), False),
        ("desa_a", reverse("account"), True),
        (None, reverse("track_token", args=[make_token(finished)]), False),
        (None, reverse("verify_result", args=[_output(m).verification_code]), True),
        (None, reverse("survey_answer", args=[make_survey_token(finished)]), False),
        (None, reverse("service_list"), False),
    ]
    shown += [
        ("head", reverse("audit_user_list"), True),
        ("head", reverse("audit_user_log", args=[m.p.clerk.pk]), True),
        ("head", reverse("audit_request_log", args=[finished.pk]), True),
    ]
    for report in ("reports_speed", "reports_ikm", "reports_returns", "reports_ranking"):
        shown.append(("head", reverse(report) + "?period=year", False))
    for request in m.drafts.values():
        shown.append(("desa_a", reverse("request_edit", args=[request.pk]), True))
        shown.append(("desa_a", reverse("request_detail", args=[request.pk]), True))
    return shown


def _output(m: Marked) -> OutputFile:
    return OutputFile.objects.get(request=m.finished)


def test_every_page_shows_the_payloads_as_text(marked):
    clerk = Client()
    clerk.force_login(marked.p.clerk)
    archive_of(clerk, marked.finished.pk, reason=LONG)  # the reason goes to the access log
    failures = []
    clients: dict[str | None, Client] = {}
    for persona, url, must_show in pages(marked):
        if persona not in clients:
            clients[persona] = Client()
            if persona:
                clients[persona].force_login(getattr(marked.p, persona))
        response = clients[persona].get(url)
        if response.status_code != 200:
            failures.append(f"{persona} {url}: {response.status_code}")
            continue
        body = body_of(response)
        failures += [f"{persona} {url}: {found}" for found in live_markup(body)]
        if must_show and not (ESCAPED_SCRIPT in body and TEMPLATE in body):
            failures.append(f"{persona} {url}: the payload is not shown (a wrong page?)")
    assert not failures, "\n".join(failures)


def _pdf_failures(name: str, data: bytes, *, must_show: bool = True) -> list[str]:
    if not data.startswith(b"%PDF-"):
        return [f"{name}: not a PDF"]
    failures = [f"{name}: {found}" for found in pdf_findings(data)]
    text = pdf_text(data)
    if must_show and not all(squeezed(payload) in text for payload in (SCRIPT, IMG, TEMPLATE)):
        failures.append(f"{name}: the payload is not printed literally")
    return failures


def archive_of(
    client: Client, request_pk: int, reason: str = "Pemeriksaan arsip oleh Dinas"
) -> bytes:
    """The archive ZIP: straight from the link, or after giving the reason the form asks for."""
    url = reverse("request_archive", args=[request_pk])
    response = client.get(url)
    if response.get("Content-Type") != "application/zip":
        response = client.post(url, {"reason": reason})
    assert response.get("Content-Type") == "application/zip", response.status_code
    return content_of(response)


def content_of(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return content_of(response)


def _workbook_failures(marked: Marked) -> list[str]:
    """Cells of the XLSX exports that are formulas (none may be: user text is text)."""
    head = Client()
    head.force_login(marked.p.head)
    failures, texts = [], []
    for name in (
        "reports_speed_xlsx",
        "reports_ikm_xlsx",
        "reports_returns_xlsx",
        "reports_ranking_xlsx",
    ):
        data = _get(head, reverse(name) + "?period=year")
        workbook = load_workbook(io.BytesIO(data))
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        failures.append(f"{name} {sheet.title}!{cell.coordinate}: {cell.value}")
                    if isinstance(cell.value, str):
                        texts.append(cell.value)
    if not any(text.startswith(FORMULA) for text in texts):
        failures.append("no workbook holds the comment that begins like a formula")
    return failures


def test_every_pdf_prints_the_payloads_literally_and_no_workbook_computes_them(marked):
    """One world for both (building it is the slow part). Four more answers make five in
    the month, enough for residents' comments to be shown (and exported)."""
    for _ in range(4):
        answer(handed_over(marked.p), 4)
    p = marked.p
    village, clerk, head = Client(), Client(), Client()
    village.force_login(p.desa_a)
    clerk.force_login(p.clerk)
    head.force_login(p.head)
    finished = marked.finished
    output = _output(marked)
    pdfs = {
        "receipt": _get(village, reverse("request_receipt", args=[finished.pk])),
    }
    for request in [finished, *marked.drafts.values()]:
        for form in forms_of(request):
            url = reverse("official_form", args=[request.pk, form.slug])
            pdfs[f"{request.service_version.service.code} {form.code}"] = _get(village, url)
    with zipfile.ZipFile(io.BytesIO(archive_of(clerk, finished.pk))) as archive:
        summaries = [name for name in archive.namelist() if name.endswith("summary.pdf")]
        assert summaries, archive.namelist()
        pdfs["archive summary"] = archive.read(summaries[0])
    slip = _get(village, reverse("output_slip", args=[finished.pk, output.pk]))
    report = _get(head, reverse("reports_pdf") + "?period=year")
    assert len(pdfs) > 8
    failures = [found for name, data in pdfs.items() for found in _pdf_failures(name, data)]
    failures += _pdf_failures("report", report)
    failures += _pdf_failures("slip (the name is masked)", slip, must_show=False)
    failures += _workbook_failures(marked)
    assert not failures, "\n".join(failures)


def _inert(client: Client, url: str, failures: list[str], *, must_show: bool = True) -> None:
    response = client.get(url)
    body = body_of(response)
    failures += [f"{url}: {found}" for found in live_markup(body)]
    if must_show and ESCAPED_SCRIPT not in body:
        failures.append(f"{url}: the typed text is not shown")


def test_payloads_typed_into_the_real_forms_come_back_as_text(personas):
    """The same payloads typed by people into the site's own forms: each form either takes
    the text or refuses it with a message, and wherever it is shown it is text."""
    p = personas
    load_catalogue()
    failures: list[str] = []
    village, kecamatan, head = Client(), Client(), Client()
    village.force_login(p.desa_a)
    kecamatan.force_login(p.kecamatan_a)
    head.force_login(p.head)

    # The village officer's new request: names, place of birth, the service's free text.
    # Names refuse digits ("alert(1)"), so they get a payload without any.
    data = {
        **person_data(subject_name=NAME, reporter_name=NAME, subject_birth_place=MEDIUM),
        "subject_birth_date": "1990-05-12",
        "changes": ["element"],
        "description": LONG,
        "idempotency_key": str(uuid.uuid4()),
    }
    created = village.post(reverse("request_create", args=["kk-perubahan"]), data)
    failures += [f"create form: {found}" for found in live_markup(body_of(created))]
    assert created.status_code in (200, 302), "the form takes the text or says why not"
    if created.status_code == 302:
        page = village.get(created["Location"])
        failures += [f"new request: {found}" for found in live_markup(body_of(page))]
        if ESCAPED_NAME not in body_of(page):
            failures.append("the new request does not show the typed name")

    # The kecamatan's return: a general reason and one per requirement.
    request = make_submitted(p.desa_a)
    code = request.definition["requirements"][0]["code"]
    returned = kecamatan.post(
        reverse("request_return", args=[request.pk]), {"reason": LONG, f"item-{code}": LONG}
    )
    assert returned.status_code == 302, "the return form takes the text"
    _inert(village, reverse("request_detail", args=[request.pk]), failures)
    _inert(village, reverse("request_edit", args=[request.pk]), failures)
    _inert(village, reverse("request_list"), failures, must_show=False)

    # The Dinas head's announcement, on every officer's home page.
    published = head.post(
        reverse("announcement_new"),
        {"title": LONG, "body": LONG, "roles": ["village_officer"], "area": "35.16"},
    )
    failures += [f"announcement form: {found}" for found in live_markup(body_of(published))]
    if published.status_code == 302:
        _inert(village, reverse("home"), failures)
        _inert(head, published["Location"], failures)
    assert not failures, "\n".join(failures)


REFLECTED = [
    ("desa_a", "request_list", {"q": LONG, "status": SCRIPT, "service": SCRIPT, "tab": IMG}),
    ("desa_a", "notification_list", {"page": SCRIPT}),
    ("head", "reports_speed", {"period": SCRIPT, "area": "35.16"}),
    ("head", "reports_ikm", {"period": IMG, "area": "35.16"}),
    ("head", "audit_user_list", {"q": LONG, "page": SCRIPT}),
    (None, "login", {"next": "javascript:alert(1)"}),
    (None, "track", {"number": SCRIPT}),
    (None, "verify", {"code": IMG}),
]
POSTED = [
    (None, "track", {"number": LONG, "pin": SCRIPT}),
    (None, "login", {"username": LONG, "password": SCRIPT}),
    (None, "password_reset", {"email": LONG}),
]


def test_what_a_visitor_sends_is_never_echoed_live(personas):
    """Query strings and form posts echoed back (search boxes, filters, error messages)."""
    failures = []
    echoed = []
    for persona, name, params in REFLECTED + POSTED:
        client = Client()
        if persona:
            client.force_login(getattr(personas, persona))
        method = client.post if (persona, name, params) in POSTED else client.get
        response = method(reverse(name), params)
        if response.status_code >= 500:
            failures.append(f"{name} {params}: {response.status_code}")
            continue
        body = body_of(response)
        failures += [f"{name} {params}: {found}" for found in live_markup(body)]
        echoed.append(ESCAPED_SCRIPT in body)
    assert not failures, "\n".join(failures)
    assert echoed[0], "the worklist's search box shows what was searched (escaped)"
