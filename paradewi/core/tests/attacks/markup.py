"""Payloads in every free-text field, and the checks that they stay text wherever shown.

`marked_world` fills every field a user can write (through the services where they accept
the text; names and numbers that input validation would refuse are written into the
database directly, as an import or an older version might have) and returns the objects.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django import forms as django_forms
from pypdf import PdfReader

from paradewi.accounts.models import User
from paradewi.catalogue.models import Service, ServiceVersion
from paradewi.documents import services as documents_services
from paradewi.documents.models import OutputFile
from paradewi.documents.services import output_revoke
from paradewi.notifications import services as notifications
from paradewi.notifications.models import Announcement
from paradewi.regions.models import Region
from paradewi.requests import services
from paradewi.requests.details import DETAIL_FORMS
from paradewi.requests.forms import RegencyField
from paradewi.requests.models import ServiceRequest, Status, Transition, Upload
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import make_draft, make_submitted, pdf_file, upload_all
from paradewi.surveys.tests.factories import answer
from paradewi.testing import VILLAGE_A, Personas

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_LINK = '<a href="javascript:alert(1)">j</a>'
TEMPLATE = "{{7*7}}"
FORMULA = '=HYPERLINK("http://x","y")'
PAYLOADS = [SCRIPT, IMG, "javascript:alert(1)", JS_LINK, TEMPLATE, FORMULA]

# The longest that fits a field: a formula first (spreadsheets), then the markup.
LONG = FORMULA + SCRIPT + IMG + TEMPLATE + JS_LINK  # 123 characters
MEDIUM = FORMULA + SCRIPT + IMG + TEMPLATE  # 89
SHORT = SCRIPT + TEMPLATE  # 32

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
# For names, which may not hold digits.
NAME = '<script>alert(document.cookie)</script>"><img src=x onerror=alert(document.domain)>'
ESCAPED_NAME = "&lt;script&gt;alert(document.cookie)&lt;/script&gt;"


def fitted(limit: int | None) -> str:
    for text in (LONG, MEDIUM, SHORT):
        if limit is None or len(text) <= limit:
            return text
    raise ValueError(limit)


# --- HTML ---------------------------------------------------------------------------------------


class _Elements(HTMLParser):
    """Finds what a payload would have become had it not been escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and ("src", "x") in attrs:
            self.found.append("<img src=x>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append("<script>alert(...)</script>")


def live_markup(html: str) -> list[str]:
    """Elements and attributes a payload made live (empty: all of it is inert text)."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


# --- PDF ----------------------------------------------------------------------------------------

ACTIVE_KEYS = (b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"/Launch", b"/URI", b"/SubmitForm")


def pdf_findings(data: bytes) -> list[str]:
    """Active content of a PDF: scripts, actions on opening, links (none is expected)."""
    found = [key.decode() for key in ACTIVE_KEYS if re.search(re.escape(key) + rb"\b", data)]
    reader = PdfReader(io.BytesIO(data))
    root = reader.root_object
    found += [f"catalog {key}" for key in ("/OpenAction", "/AA", "/Names") if key in root]
    for number, page in enumerate(reader.pages, 1):
        if "/Annots" in page or "/AA" in page:
            found.append(f"page {number} has annotations or actions")
    return found


def pdf_text(data: bytes) -> str:
    """The text of every page, without whitespace (a long line may wrap anywhere)."""
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the world ----------------------------------------------------------------------------------


@dataclass
class Marked:
    p: Personas
    finished: ServiceRequest  # returned once, then done, handed over, output revoked, rated
    ready: ServiceRequest  # a card waiting at the pick-up place
    waiting: ServiceRequest  # in the kecamatan's worklist
    queued: ServiceRequest  # in the Dinas worklist
    rejected: ServiceRequest
    cancelled: ServiceRequest
    drafts: dict[str, ServiceRequest] = field(default_factory=dict)  # one per service
    announcement: Announcement | None = None


def _detail_values(service_code: str) -> dict[str, Any]:
    """Every free-text field of the service's detail form, filled with a payload."""
    values: dict[str, Any] = {}
    for name, form_field in DETAIL_FORMS[service_code].base_fields.items():
        if (
            type(form_field) is django_forms.CharField
            and not isinstance(form_field, RegencyField)
            and not name.endswith(("_nik", "_kk"))
            # RT, RW and postcode: a few digits, refused otherwise; no payload fits them.
            and (form_field.max_length is None or form_field.max_length >= len(SHORT))
        ):
            values[name] = fitted(form_field.max_length)
    return values


def _mark_person(request: ServiceRequest) -> None:
    ServiceRequest.objects.filter(pk=request.pk).update(
        subject_name=LONG, subject_birth_place=MEDIUM, reporter_name=LONG
    )


def _finished(p: Personas) -> ServiceRequest:
    request = make_draft(p.desa_a, details={"description": LONG})
    upload_all(p.desa_a, request)
    request = services.request_submit(actor=p.desa_a, request=request)
    first = Upload.objects.filter(request=request).order_by("pk").first()
    assert first is not None
    code = first.requirement_code
    request = services.request_return(
        actor=p.kecamatan_a, request=request, reason=LONG, items={code: LONG}
    )
    services.upload_add(actor=p.desa_a, request=request, requirement_code=code, file=pdf_file())
    request = services.request_submit(actor=p.desa_a, request=request)
    if request.status == Status.SUBMITTED:
        request = services.request_verify(actor=p.kecamatan_a, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    request = documents_services.request_complete(
        actor=p.clerk,
        request=request,
        outputs=[OutputUpload("kk", pdf_file("kk.pdf"), document_number="474/1/2026")],
    )
    request = services.request_hand_over(actor=p.desa_a, request=request)
    output = OutputFile.objects.get(request=request)
    output_revoke(output, actor=p.clerk, reason=LONG)
    OutputFile.objects.filter(pk=output.pk).update(document_number=SHORT)
    answer(request, 4, comment=LONG)
    return request


def marked_world(p: Personas) -> Marked:
    for user in (p.desa_a, p.kecamatan_a, p.clerk, p.head):
        User.objects.filter(pk=user.pk).update(full_name=LONG)
        user.refresh_from_db()
    Region.objects.filter(code=VILLAGE_A).update(name=MEDIUM)
    Service.objects.filter(code="kk-perubahan").update(name=fitted(120))

    finished = _finished(p)
    ready = make_submitted(p.desa_a, "ktp-el-cetak-ulang", details={"reason": "lost"})
    if ready.status == Status.SUBMITTED:
        ready = services.request_verify(actor=p.kecamatan_a, request=ready)
    ready = services.request_claim(actor=p.clerk, request=ready)
    ready = documents_services.request_complete(
        actor=p.clerk, request=ready, outputs=[], pickup_place=LONG
    )
    rejected = services.request_verify(actor=p.kecamatan_a, request=make_submitted(p.desa_a))
    rejected = services.request_claim(actor=p.clerk, request=rejected)
    rejected = services.request_reject(actor=p.clerk, request=rejected, reason=LONG)
    cancelled = services.request_cancel(
        actor=p.desa_a, request=make_submitted(p.desa_a), reason=LONG
    )
    waiting = make_submitted(p.desa_a)
    queued = services.request_verify(actor=p.kecamatan_a, request=make_submitted(p.desa_a))
    drafts = {
        code: make_draft(p.desa_a, code, details=_detail_values(code)) for code in DETAIL_FORMS
    }
    for request in (finished, ready, waiting, queued, rejected, cancelled, *drafts.values()):
        _mark_person(request)
    for version in ServiceVersion.objects.all():
        definition = {**version.definition, "name": LONG}
        ServiceVersion.objects.filter(pk=version.pk).update(definition=definition)
    for transition in Transition.objects.order_by("pk"):
        notifications.transition_notify(transition.pk)
    announcement = notifications.announcement_publish(
        author=p.head,
        title=fitted(Announcement._meta.get_field("title").max_length),
        body=LONG,
        roles=["village_officer", "district_operator"],
        area=Region.objects.get(code="35.16"),
    )
    for request in (finished, ready, waiting, queued, rejected, cancelled, *drafts.values()):
        request.refresh_from_db()
    return Marked(p, finished, ready, waiting, queued, rejected, cancelled, drafts, announcement)
