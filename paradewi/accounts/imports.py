"""Reading the officer spreadsheet a regency fills in to onboard its officers.

This module only turns a file into rows of text; `services.officers_import` checks and creates
them. The file is a CSV (UTF-8 with or without BOM; comma, semicolon or tab separated, since
Excel in an Indonesian locale saves with semicolons) or an XLSX workbook (first sheet). The kind
is decided by the content, not by the file name.

Columns (the first non-blank row names them; case, spaces, "-" and "_" do not matter; columns
with other names are ignored):

=============  ========  ===============================================================
field          required  accepted headers
=============  ========  ===============================================================
username       yes       username, user name, nama pengguna, login
full_name      yes       full name, nama lengkap, nama, name
phone          no        phone, phone number, mobile, telepon, telp, no telepon, hp,
                         no hp, nomor hp, whatsapp, wa
email          no        email, e-mail, mail, alamat email, surel
role           yes       role, peran, jabatan
area_code      yes       area code, area, kode wilayah, kode area
=============  ========  ===============================================================

Role values (case, spaces, "-", "_" and "/" do not matter), see `parse_role`:

- village_officer: village officer, village, desa, kelurahan, desa/kelurahan, petugas desa,
  petugas kelurahan, petugas desa/kelurahan, operator desa, operator kelurahan
- district_operator: kecamatan operator, district operator, district, kecamatan,
  operator kecamatan, petugas kecamatan
- dinas_clerk: dinas clerk, clerk, dinas, petugas dinas, operator dinas, verifikator,
  verifikator dinas
- dinas_head: dinas head, head, kepala dinas, kadis, kabid, kepala bidang, signer,
  penandatangan
- viewer: leadership viewer, viewer, pimpinan, bupati, inspektorat, inspectorate
- admin: administrator, admin

plus each role's value and its label in every language of `settings.LANGUAGES`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paradewi.accounts.models import Role

MAX_ROWS = 5000
# 5,000 rows of six short columns stay far below this, in CSV and in XLSX alike.
MAX_BYTES = 10 * 1024 * 1024

COLUMNS = ("username", "full_name", "phone", "email", "role", "area_code")
REQUIRED_COLUMNS = ("username", "full_name", "role", "area_code")

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "username": ("username", "user name", "nama pengguna", "login"),
    "full_name": ("full name", "nama lengkap", "nama", "name"),
    "phone": (
        "phone",
        "phone number",
        "mobile",
        "telepon",
        "telp",
        "no telepon",
        "hp",
        "no hp",
        "nomor hp",
        "whatsapp",
        "wa",
    ),
    "email": ("email", "e mail", "mail", "alamat email", "surel"),
    "role": ("role", "peran", "jabatan"),
    "area_code": ("area code", "area", "kode wilayah", "kode area"),
}
_HEADER_FIELD = {alias: name for name, aliases in _HEADER_ALIASES.items() for alias in aliases}

_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    Role.VILLAGE_OFFICER: (
        "village officer",
        "village",
        "desa",
        "kelurahan",
        "desa kelurahan",
        "petugas desa",
        "petugas kelurahan",
        "petugas desa kelurahan",
        "operator desa",
        "operator kelurahan",
    ),
    Role.DISTRICT_OPERATOR: (
        "kecamatan operator",
        "district operator",
        "district",
        "kecamatan",
        "operator kecamatan",
        "petugas kecamatan",
    ),
    Role.DINAS_CLERK: (
        "dinas clerk",
        "clerk",
        "dinas",
        "petugas dinas",
        "operator dinas",
        "verifikator",
        "verifikator dinas",
    ),
    Role.DINAS_HEAD: (
        "dinas head",
        "head",
        "kepala dinas",
        "kadis",
        "kabid",
        "kepala bidang",
        "signer",
        "penandatangan",
    ),
    Role.VIEWER: (
        "leadership viewer",
        "viewer",
        "pimpinan",
        "bupati",
        "inspektorat",
        "inspectorate",
    ),
    Role.ADMIN: ("administrator", "admin"),
}

_WORD_SEPARATORS_RE = re.compile(r"[\s_\-/]+")
# Bytes that never occur in a text file (NUL and the C0 controls other than tab, LF, FF, CR).
_BINARY_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_SHORT_REGENCY_RE = re.compile(r"\d{2}\.\d")
_XLSX_SIGNATURE = b"PK\x03\x04"
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and .doc) files


def _words(value: str) -> str:
    return _WORD_SEPARATORS_RE.sub(" ", value.strip().lower()).strip()


def parse_role(value: str) -> Role | None:
    """The role a spreadsheet cell names, or None (see the module docstring for the words)."""
    key = _words(value)
    if not key:
        return None
    for role in Role:
        if key == _words(role.value) or key in _ROLE_WORDS[role]:
            return role
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for role in Role:
                if key == _words(str(role.label)):
                    return role
    return None


def normalize_area_code(value: str) -> str:
    """A code as written ("35.16.01.2001"); without its dots ("3516012001") it gets them back.

    A regency code that a spreadsheet took for a number (35.10 shown as 35.1) is repaired.
    """
    code = value.strip()
    if code.isdigit() and len(code) in (2, 4, 6, 10):
        parts = [code[:2], code[2:4], code[4:6], code[6:]]
        return ".".join(part for part in parts if part)
    if _SHORT_REGENCY_RE.fullmatch(code):
        return code + "0"
    return code


@dataclass(frozen=True)
class OfficerRow:
    """One data row of the spreadsheet, as text. `row` is the spreadsheet's row number."""

    row: int
    username: str = ""
    full_name: str = ""
    phone: str = ""
    email: str = ""
    role: str = ""
    area_code: str = ""


class RowStatus(models.TextChoices):
    OK = "ok", gettext_lazy("OK")
    ERROR = "error", gettext_lazy("Error")
    CREATED = "created", gettext_lazy("Created")
    SKIPPED = "skipped", gettext_lazy("Skipped")


@dataclass
class ImportEntry:
    row: int
    username: str
    status: RowStatus
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What `officers_import` did (or would do) with each row, in the file's order."""

    dry_run: bool
    skip_bad: bool
    entries: list[ImportEntry] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def bad(self) -> int:
        return sum(entry.status in (RowStatus.ERROR, RowStatus.SKIPPED) for entry in self.entries)

    @property
    def created(self) -> int:
        return sum(entry.status == RowStatus.CREATED for entry in self.entries)

    @property
    def failed(self) -> bool:
        """Rows are bad and were not skipped: nothing was (or would be) imported."""
        return self.bad > 0 and not self.skip_bad

    @property
    def summary(self) -> str:
        counts = {"total": self.total, "ok": self.total - self.bad, "bad": self.bad}
        if self.dry_run:
            if self.bad:
                return (
                    _(
                        "Dry run: %(total)d rows, %(ok)d valid, %(bad)d with errors. "
                        "Nothing was saved."
                    )
                    % counts
                )
            return _("Dry run: all %(total)d rows are valid. Nothing was saved.") % counts
        if self.failed:
            return (
                _(
                    "%(bad)d of %(total)d rows have errors, so nothing was imported. Correct "
                    "them, or import with “skip bad rows”."
                )
                % counts
            )
        return _("%(created)d accounts created, %(bad)d rows skipped.") % {
            "created": self.created,
            "bad": self.bad,
        }


def read_officer_file(data: bytes) -> list[OfficerRow]:
    """Parse an uploaded CSV or XLSX file into rows.

    Raises ValidationError with a message for the person who uploaded it when the file is
    empty, not a CSV or XLSX, lacks a required column or has more than MAX_ROWS data rows.
    Blank rows are left out; row numbers stay those of the spreadsheet.
    """
    if not data.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)},
            code="too_big",
        )
    if data.startswith(_XLSX_SIGNATURE):
        records = _xlsx_records(data)
    elif data.startswith(_OLE2_SIGNATURE):
        raise ValidationError(
            _(
                "This is an old Excel 97-2003 (.xls) file. Save it as an Excel workbook (.xlsx) "
                "or as CSV UTF-8 and upload that."
            ),
            code="xls",
        )
    else:
        records = _csv_records(data)
    return _rows(records)


def _not_readable() -> ValidationError:
    return ValidationError(
        _(
            "This file is neither a CSV text file (UTF-8) nor an Excel workbook (.xlsx). In "
            "Excel, use “Save as” and choose “CSV UTF-8” or “Excel Workbook”."
        ),
        code="not_readable",
    )


def _csv_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_readable() from None
    if _BINARY_RE.search(text):
        raise _not_readable()
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Spreadsheet row numbers: a quoted cell with line breaks is still one row.
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise ValidationError(
            _("The CSV file is malformed near row %(row)d: %(error)s")
            % {"row": reader.line_num, "error": error},
            code="malformed",
        ) from None


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # A damaged workbook, or another zip file (.docx, .ods): openpyxl fails in many ways
        # (BadZipFile, KeyError, InvalidFileException...), all meaning "not a workbook".
        raise _not_readable() from None
    try:
        if not workbook.worksheets:
            raise ValidationError(_("The workbook has no sheet."), code="empty")
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # A phone number typed as a number: 81234567890.0 is "81234567890".
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def _header_map(header: Sequence[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        name = _HEADER_FIELD.get(_words(title).replace(".", ""))
        if name is None:
            continue
        if name in positions:
            raise ValidationError(
                _("Two columns mean the same thing: “%(first)s” and “%(second)s”.")
                % {"first": header[positions[name]], "second": title},
                code="duplicate_column",
            )
        positions[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        raise ValidationError(
            _(
                "Required columns are missing: %(missing)s. The first row must name the "
                "columns: %(columns)s."
            )
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)},
            code="missing_columns",
        )
    return positions


def _rows(records: Iterable[tuple[int, list[str]]]) -> list[OfficerRow]:
    positions: dict[str, int] | None = None
    rows: list[OfficerRow] = []
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if positions is None:
            positions = _header_map(cells)
            continue
        if len(rows) == MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(max)d rows. Split it into several files.")
                % {"max": MAX_ROWS},
                code="too_many_rows",
            )
        values = {
            name: cells[index].strip() if index < len(cells) else ""
            for name, index in positions.items()
        }
        values["area_code"] = normalize_area_code(values["area_code"])
        rows.append(OfficerRow(row=number, **values))
    if positions is None:
        raise ValidationError(_("The file is empty."), code="empty")
    if not rows:
        raise ValidationError(_("The file has no rows below the header."), code="no_rows")
    return rows


def template_csv(examples: Iterable[Sequence[str]]) -> str:
    """An example file: the header and the given rows, comma separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(examples)
    return buffer.getvalue()
