"""One ZIP per request for the Dinas archive: every file, every issued document, the history.

Contents (flat, so `sha256sum -c SHA256SUMS` works where it is unpacked):

- `<requirement code>-<file name>`: the current upload of each requirement;
- `earlier/<requirement code>-<uploaded YYYYMMDD-HHMMSS>-<file name>`: uploads later replaced;
- `<registration number>-<document code>.pdf`: every issued document (revoked ones too);
- `summary.pdf`: the request (number, service, village, status, dates), every file with the
  SHA-256 recorded when it arrived and where it is in the ZIP (or that retention deleted it),
  every issued document, and the history with the actors' names and reasons;
- `SHA256SUMS`: the SHA-256 of every other member, in the format of `sha256sum`.

The ZIP is written into a spooled temporary file (in memory up to ARCHIVE_MEMORY_BYTES, on disk
beyond), copying each stored file in chunks and hashing it on the way, so neither the archive
nor a member is held in memory whole. Files come through the storage API, so the same code
reads local disk and S3.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Protocol
from xml.sax.saxutils import escape

from django.contrib.auth.models import AnonymousUser
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from paradewi.accounts.access import active_user
from paradewi.accounts.models import User
from paradewi.accounts.policy import ARCHIVE_ROLES
from paradewi.requests.files import clean_name, refusal_message
from paradewi.requests.models import ServiceRequest, Upload
from paradewi.requests.receipts import dinas_name
from paradewi.requests.selectors.detail import requirement_names, timeline

logger = logging.getLogger(__name__)

# The archive stays in memory up to this size and moves to a temporary file beyond it.
ARCHIVE_MEMORY_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024

SUMMARY_NAME = "summary.pdf"
SUMS_NAME = "SHA256SUMS"
EARLIER_FOLDER = "earlier/"


def may_take_archive(user: User | AnonymousUser) -> bool:
    """Whether the user's role may download archives (`policy.ARCHIVE_ROLES`: the Dinas, whose
    record it is, and the kecamatan for its villages; the area is checked per request)."""
    actor = active_user(user)
    return actor is not None and actor.role in ARCHIVE_ROLES


@dataclass
class Member:
    """A file written into the archive."""

    name: str
    sha256: str
    size: int


@dataclass
class StoredFile:
    """An upload or an issued document, and what became of it in the archive."""

    label: str
    original_name: str
    recorded_sha256: str
    size: int
    uploaded_at: datetime
    uploaded_by: User
    replaced_at: datetime | None = None
    purged_at: datetime | None = None
    member: Member | None = None
    missing: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return self.member is None or self.member.sha256 == self.recorded_sha256


@dataclass
class Archive:
    """The finished ZIP, rewound, and what it holds. The caller closes `file`."""

    file: IO[bytes]
    filename: str
    size: int
    members: list[Member]
    uploads: list[StoredFile]
    outputs: list[StoredFile]


def archive_filename(request: ServiceRequest) -> str:
    return f"{request.number or f'request-{request.pk}'}-archive.zip"


def _zip_time(value: datetime) -> tuple[int, int, int, int, int, int]:
    local = timezone.localtime(value)
    if local.year < 1980:  # the earliest time a ZIP entry can hold
        return (1980, 1, 1, 0, 0, 0)
    return (local.year, local.month, local.day, local.hour, local.minute, local.second)


class _Writer:
    """Members go into the ZIP under unique names, each hashed while it is written."""

    def __init__(self, target: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(target, "w", allowZip64=True)
        self.members: list[Member] = []
        self.names: set[str] = set()

    def unique(self, name: str) -> str:
        stem, dot, extension = name.rpartition(".")
        if not dot or "/" in extension:
            stem, extension = name, ""
        candidate, number = name, 1
        while candidate in self.names:
            number += 1
            candidate = f"{stem}-{number}.{extension}" if extension else f"{stem}-{number}"
        self.names.add(candidate)
        return candidate

    def _info(self, name: str, when: datetime, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(self.unique(name), date_time=_zip_time(when))
        # Scans and PDFs are compressed already: storing them saves the CPU for nothing lost.
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    def copy(self, name: str, source: IO[bytes], when: datetime) -> Member:
        info = self._info(name, when, compress=False)
        digest, size = hashlib.sha256(), 0
        with self.zip.open(info, "w") as target:
            while chunk := source.read(CHUNK_BYTES):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
        member = Member(info.filename, digest.hexdigest(), size)
        self.members.append(member)
        return member

    def write(self, name: str, data: bytes, when: datetime, *, compress: bool) -> Member:
        info = self._info(name, when, compress=compress)
        self.zip.writestr(info, data)
        member = Member(info.filename, hashlib.sha256(data).hexdigest(), len(data))
        self.members.append(member)
        return member

    def close(self) -> None:
        self.zip.close()


def _copy_stored(writer: _Writer, file: FieldFile, name: str, entry: StoredFile) -> None:
    """Copy one stored file into the archive; a file missing from storage is noted instead."""
    try:
        source = file.storage.open(file.name or "", "rb")
    except (FileNotFoundError, OSError):
        logger.warning("archive: %s is not in the file store", file.name)
        entry.missing = True
        return
    with source:
        entry.member = writer.copy(name, source, entry.uploaded_at)


def _upload_entry(upload: Upload, names: dict[str, str]) -> StoredFile:
    return StoredFile(
        label=names.get(upload.requirement_code, upload.requirement_code),
        original_name=upload.original_name,
        recorded_sha256=upload.sha256,
        size=upload.size,
        uploaded_at=upload.uploaded_at,
        uploaded_by=upload.uploaded_by,
        replaced_at=upload.replaced_at,
        purged_at=upload.purged_at,
        notes=(
            [
                _("Could not be read when it arrived, so it was not kept: %(reason)s")
                % {"reason": refusal_message(upload.refusal)}
            ]
            if upload.damaged
            else []
        ),
    )


def _upload_name(upload: Upload) -> str:
    name = f"{upload.requirement_code}-{clean_name(upload.original_name)}"
    if upload.replaced_at is None:
        return name
    stamp = timezone.localtime(upload.uploaded_at).strftime("%Y%m%d-%H%M%S")
    return f"{EARLIER_FOLDER}{upload.requirement_code}-{stamp}-{clean_name(upload.original_name)}"


class IssuedDocument(Protocol):
    """What the archive reads of an issued document (`documents.OutputFile`, reached through
    `request.outputs`: the documents app sits above this one)."""

    output_code: str
    sha256: str
    size: int
    uploaded_at: datetime
    uploaded_by: User
    document_number: str
    verification_code: str
    revoked_at: datetime | None
    revoked_reason: str


def _output_entry(output: IssuedDocument, names: dict[str, str]) -> StoredFile:
    entry = StoredFile(
        label=names.get(output.output_code, output.output_code),
        original_name="",
        recorded_sha256=output.sha256,
        size=output.size,
        uploaded_at=output.uploaded_at,
        uploaded_by=output.uploaded_by,
    )
    if output.document_number:
        entry.notes.append(_("Document number: %(n)s") % {"n": output.document_number})
    entry.notes.append(_("Verification code: %(code)s") % {"code": output.verification_code})
    if output.revoked_at is not None:
        entry.notes.append(
            _("Revoked on %(when)s: %(reason)s")
            % {"when": _when(output.revoked_at), "reason": output.revoked_reason or "-"}
        )
    return entry


def build_archive(request: ServiceRequest, *, made_by: User | None = None) -> Archive:
    """The request's archive as a ZIP in a rewound temporary file (see the module docstring).

    `request` must come from an access check (get_request_for_user); this function checks
    nothing itself. Files missing from storage and files retention deleted are listed in the
    summary instead of failing the archive.
    """
    now = timezone.now()
    requirement_labels = requirement_names(request)
    output_labels = {o["code"]: o["name"] for o in request.definition["outputs"]}
    number = request.number or str(request.pk)
    target = tempfile.SpooledTemporaryFile(max_size=ARCHIVE_MEMORY_BYTES)  # noqa: SIM115
    try:
        writer = _Writer(target)
        uploads: list[StoredFile] = []
        # Current ones first (by requirement), then the replaced ones, oldest first.
        ordered = sorted(
            request.uploads.select_related("uploaded_by"),
            key=lambda u: (u.replaced_at is not None, u.requirement_code, u.uploaded_at, u.pk),
        )
        for upload in ordered:
            entry = _upload_entry(upload, requirement_labels)
            uploads.append(entry)
            if upload.readable:
                _copy_stored(writer, upload.file, _upload_name(upload), entry)
        outputs: list[StoredFile] = []
        for output in request.outputs.select_related("uploaded_by").order_by(
            "output_code", "uploaded_at", "pk"
        ):
            entry = _output_entry(output, output_labels)
            outputs.append(entry)
            _copy_stored(writer, output.file, f"{number}-{output.output_code}.pdf", entry)
        summary = summary_pdf(request, uploads=uploads, outputs=outputs, made_by=made_by, at=now)
        writer.write(SUMMARY_NAME, summary, now, compress=False)
        sums = "".join(f"{m.sha256}  {m.name}\n" for m in writer.members)
        writer.write(SUMS_NAME, sums.encode(), now, compress=True)
        writer.close()
        size = target.tell()
        target.seek(0)
    except BaseException:
        target.close()
        raise
    return Archive(
        file=target,
        filename=archive_filename(request),
        size=size,
        members=writer.members,
        uploads=uploads,
        outputs=outputs,
    )


# --- summary.pdf ---------------------------------------------------------------------------------

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
MONO = "Courier"


def _when(value: datetime | None) -> str:
    if value is None:
        return "-"
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {local.tzname() or ''}".strip()


def _date(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def _text(value: object) -> str:
    """Plain text made inert for Paragraph markup."""
    return escape(str(value))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("text", fontName=FONT, fontSize=9.5, leading=12)
    return {
        "text": base,
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=15, leading=19, spaceAfter=4
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=BOLD, fontSize=11.5, leading=14, spaceBefore=10
        ),
        "item": ParagraphStyle("item", parent=base, spaceBefore=5),
        "note": ParagraphStyle("note", parent=base, leftIndent=10),
        "hash": ParagraphStyle("hash", parent=base, fontName=MONO, fontSize=7.5, leftIndent=10),
        "small": ParagraphStyle("small", parent=base, fontSize=8, textColor=colors.grey),
    }


def _file_paragraphs(entry: StoredFile, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    title = f"<b>{_text(entry.label)}</b>"
    if entry.original_name:
        title += f": {_text(entry.original_name)}"
    lines: list[Flowable] = [Paragraph(title, styles["item"])]
    uploaded = _("Uploaded on %(when)s by %(name)s") % {
        "when": _when(entry.uploaded_at),
        "name": entry.uploaded_by.get_full_name(),
    }
    lines.append(Paragraph(_text(uploaded), styles["note"]))
    if entry.replaced_at is not None:
        replaced = _("Replaced on %(when)s") % {"when": _when(entry.replaced_at)}
        lines.append(Paragraph(_text(replaced), styles["note"]))
    lines += [Paragraph(_text(note), styles["note"]) for note in entry.notes]
    if entry.purged_at is not None:
        state = _("deleted after the retention period (%(date)s)") % {
            "date": _date(entry.purged_at)
        }
    elif entry.missing:
        state = _("Not found in the file store.")
    elif entry.member is not None and not entry.matches:
        state = _(
            "In the archive as %(name)s, but it does not match the SHA-256 recorded "
            "when it arrived."
        ) % {"name": entry.member.name}
    elif entry.member is not None:
        state = _("In the archive as %(name)s") % {"name": entry.member.name}
    else:
        state = "-"
    lines.append(Paragraph(f"<b>{_text(state)}</b>", styles["note"]))
    lines.append(Paragraph(_text(f"SHA-256 {entry.recorded_sha256}"), styles["hash"]))
    return lines


def summary_pdf(
    request: ServiceRequest,
    *,
    uploads: list[StoredFile],
    outputs: list[StoredFile],
    made_by: User | None,
    at: datetime,
) -> bytes:
    """The archive's summary: the request, its files and its history (A4, built-in fonts)."""
    styles = _styles()
    facts = [
        (_("Registration number"), request.number or "-"),
        (
            _("Service"),
            f"{request.definition['name']} ("
            + _("version %(n)s") % {"n": request.service_version.number}
            + ")",
        ),
        (_("Village"), request.village.display_name),
        (_("Kecamatan"), request.district.display_name),
        (_("Status"), request.get_status_display()),
        (_("Created"), _when(request.created_at)),
        (_("Submitted"), _when(request.submitted_at)),
        (_("Due"), _when(request.due_at)),
        (_("Finished"), _when(request.finished_at)),
        (_("Name"), request.subject_name or "-"),
        (_("NIK"), request.subject_nik or "-"),
        (_("KK number"), request.subject_kk or "-"),
    ]
    story: list[Flowable] = [
        Paragraph(_text(dinas_name()), styles["small"]),
        Paragraph(_text(_("Request archive")), styles["title"]),
    ]
    story += [
        Paragraph(f"{_text(label)}: <b>{_text(value)}</b>", styles["text"])
        for label, value in facts
    ]
    made = _("Archive made on %(when)s by %(name)s.") % {
        "when": _when(at),
        "name": made_by.get_full_name() if made_by else _("the system"),
    }
    story += [Spacer(0, 4), Paragraph(_text(made), styles["small"])]

    story.append(Paragraph(_text(_("Requirements")), styles["heading"]))
    if not uploads:
        story.append(Paragraph("-", styles["text"]))
    for entry in uploads:
        story += _file_paragraphs(entry, styles)

    story.append(Paragraph(_text(_("Issued documents")), styles["heading"]))
    if not outputs:
        story.append(Paragraph("-", styles["text"]))
    for entry in outputs:
        story += _file_paragraphs(entry, styles)

    story.append(Paragraph(_text(_("History")), styles["heading"]))
    for item in timeline(request):
        t = item.transition
        line = f"{_text(_when(t.created_at))}: <b>{_text(item.label)}</b>"
        if t.from_status and t.from_status != t.to_status:
            line += _text(f" ({t.get_from_status_display()} \u2192 {t.get_to_status_display()})")
        actor = t.actor.get_full_name() if t.actor else _("the system")
        line += " \u00b7 " + _text(actor)
        if item.role_label:
            line += _text(f" ({item.role_label})")
        story.append(Paragraph(line, styles["item"]))
        if item.to_holder is not None:
            to = _("to %(name)s") % {"name": item.to_holder.get_full_name()}
            story.append(Paragraph(_text(to), styles["note"]))
        if t.reason:
            story.append(Paragraph(_text(t.reason).replace("\n", "<br/>"), styles["note"]))
        for name, text in item.items:
            story.append(Paragraph(f"<b>{_text(name)}:</b> {_text(text)}", styles["note"]))

    story += [
        Spacer(0, 8),
        Paragraph(
            _text(
                _(
                    "%(sums)s lists the SHA-256 of every file in this archive; check it with "
                    "“sha256sum -c %(sums)s”."
                )
                % {"sums": SUMS_NAME}
            ),
            styles["small"],
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{_('Request archive')} {request.number or request.pk}",
        author=dinas_name(),
    )
    document.build(story)
    return buffer.getvalue()
