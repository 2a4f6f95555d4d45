"""The official forms of Permendagri 109/2019, filled from a request's data, as A4 PDFs.

Where the request already holds the data, the village prints the form from here, has it
signed and uploads the signed scan, instead of copying the data by hand onto a blank form.
FORMS maps each form code (F-1.01, ...) to its builder; a requirement of a service whose
`form_code` has a builder gets a "pre-filled form" link.

The forms' own printed text (titles, labels, options, statements) is Indonesian, as the
regulation prescribes it: it is written here in Indonesian directly, not through gettext, and
prints the same whatever the officer's language. Layout follows the real forms: the form code
at the top right, the official title, the region with its Kemendagri code in digit boxes,
numbered fields (label, colon, value), numbered options chosen by writing their number in a
box (or ticked boxes where the real form has them), and the signature blocks. What the request
does not hold is left as a dotted line or empty boxes for handwriting; docs/documents.md lists,
form by form, what is filled from where.

Every text from the database goes through `_text()` before it reaches Paragraph markup.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from paradewi.regions.models import Region
from paradewi.requests.models import Relationship, ServiceRequest
from paradewi.requests.requirements import checklist

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
ITALIC = "Helvetica-Oblique"
MARGIN = 15 * mm
BODY_WIDTH = A4[0] - 2 * MARGIN
# The boxed form code sits in a band above the text frame, at the top right of every page.
CODE_TOP = 10 * mm
CODE_HEIGHT = 7 * mm
FRAME_TOP = CODE_TOP + CODE_HEIGHT + 2 * mm
TEXT_SIZE = 8.5

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def tanggal(value: date | None) -> str:
    """A date as Indonesian forms write it: "12 Mei 1990"."""
    if value is None:
        return ""
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def _text(value: object) -> str:
    """Plain text made inert for Paragraph markup ("<b>" and "&" print as themselves)."""
    return escape(str(value))


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- what a form knows about the request --------------------------------------------------------


@dataclass
class FormData:
    """A request's data as the forms read it, with the regions around its village."""

    request: ServiceRequest
    village: Region
    district: Region
    regency: Region | None
    province: Region | None
    today: date

    @classmethod
    def of(cls, request: ServiceRequest, today: date | None = None) -> FormData:
        parts = request.village.code.split(".")
        found = Region.objects.in_bulk([parts[0], ".".join(parts[:2])], field_name="code")
        return cls(
            request=request,
            village=request.village,
            district=request.district,
            regency=found.get(".".join(parts[:2])),
            province=found.get(parts[0]),
            today=today or timezone.localdate(),
        )

    @property
    def details(self) -> dict[str, Any]:
        return self.request.details or {}

    @property
    def service_code(self) -> str:
        return self.request.service.code

    def detail(self, key: str) -> str:
        value = self.details.get(key)
        return "" if value is None or isinstance(value, (list, dict)) else str(value)

    def detail_date(self, key: str) -> date | None:
        try:
            return date.fromisoformat(self.detail(key))
        except ValueError:
            return None

    @property
    def reporter_is_subject(self) -> bool:
        request = self.request
        return request.reporter_relationship == Relationship.SELF or (
            bool(request.reporter_nik) and request.reporter_nik == request.subject_nik
        )

    def name_of(self, nik: str) -> str:
        """The name of the person with this NIK, when the request names them."""
        if not nik:
            return ""
        request = self.request
        if nik == request.subject_nik:
            return request.subject_name
        if nik == request.reporter_nik:
            return request.reporter_name
        for prefix in ("groom", "bride"):
            if nik == self.detail(f"{prefix}_nik"):
                return self.detail(f"{prefix}_name")
        return ""

    @property
    def contact_phone(self) -> str:
        """The reporter's phone, when the reporter is the applicant or the head of the family."""
        request = self.request
        if self.reporter_is_subject or request.reporter_relationship == Relationship.HEAD_OF_FAMILY:
            return request.reporter_phone
        return ""

    @property
    def head_of_family(self) -> str:
        """The head of the family's name: the reporter when they report as head."""
        request = self.request
        if request.reporter_relationship == Relationship.HEAD_OF_FAMILY:
            return request.reporter_name
        return ""

    @property
    def village_head_title(self) -> str:
        title = "Lurah" if self.village.kind == Region.Kind.KELURAHAN else "Kepala Desa"
        return f"{title} {self.village.name}"

    @property
    def regency_name(self) -> str:
        return self.regency.name if self.regency is not None else ""


# --- flowables ----------------------------------------------------------------------------------


class DigitBoxes(Flowable):  # type: ignore[misc]
    """A row of boxes, one character in each (NIK, KK number, region codes, option numbers).

    The characters are drawn as one text run spaced to the boxes, so a PDF reader copies
    (and a text extractor reads) the number as one word.
    """

    BOX = 4.4 * mm
    HEIGHT = 5 * mm

    def __init__(self, count: int, value: str = "", size: float = 9) -> None:
        super().__init__()
        self.count = count
        self.value = value[:count]
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.count * self.BOX, self.HEIGHT

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.5)
        for index in range(self.count):
            canvas.rect(index * self.BOX, 0, self.BOX, self.HEIGHT, stroke=1, fill=0)
        if not self.value:
            return
        glyph = canvas.stringWidth("0", BOLD, self.size)
        text = canvas.beginText()
        text.setFont(BOLD, self.size)
        text.setCharSpace(self.BOX - glyph)
        text.setTextOrigin((self.BOX - glyph) / 2, (self.HEIGHT - self.size * 0.72) / 2)
        text.textOut(self.value)
        canvas.drawText(text)


class Dots(Flowable):  # type: ignore[misc]
    """A dotted line across the cell: the place where a value is written by hand."""

    def __init__(self, height: float = TEXT_SIZE * 1.3) -> None:
        super().__init__()
        self.height = height
        self.width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.6)
        canvas.setDash(0.6, 1.8)
        canvas.line(0, 1.5, self.width, 1.5)
        canvas.setDash()


class SignatureSpace(Flowable):  # type: ignore[misc]
    """The empty space a signature goes in; with a dashed box for the meterai when asked."""

    def __init__(self, height: float = 16 * mm, stamp: bool = False) -> None:
        super().__init__()
        self.height = height
        self.stamp = stamp
        self.width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        if not self.stamp:
            return
        canvas = self.canv
        canvas.setLineWidth(0.5)
        canvas.setDash(2, 2)
        canvas.rect(2 * mm, 2 * mm, 20 * mm, self.height - 4 * mm)
        canvas.setDash()
        canvas.setFont(FONT, 6.5)
        canvas.drawCentredString(12 * mm, self.height / 2 + 1, "Meterai")
        canvas.drawCentredString(12 * mm, self.height / 2 - 7, "Rp10.000")


# --- the sheet: helpers that lay a form out -----------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("text", fontName=FONT, fontSize=TEXT_SIZE, leading=TEXT_SIZE * 1.25)
    return {
        "text": base,
        "justify": ParagraphStyle("justify", parent=base, alignment=TA_JUSTIFY),
        "value": ParagraphStyle("value", parent=base, fontName=BOLD),
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=8.5),
        "note": ParagraphStyle(
            "note", parent=base, fontName=ITALIC, fontSize=7, leading=8.5, textColor=colors.grey
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=BOLD,
            fontSize=11.5,
            leading=14,
            alignment=TA_CENTER,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, alignment=TA_CENTER, spaceAfter=3 * mm, fontSize=8.5
        ),
        "section": ParagraphStyle("section", parent=base, fontName=BOLD, fontSize=9, leading=11),
    }


# One numbered row of a form: number ("1.", or "" for a sub-row), label, and the value's
# flowable (a paragraph, a dotted line, digit boxes or the options).
Row: TypeAlias = tuple[str, str, Flowable]


@dataclass(frozen=True)
class Signer:
    """One signature block: who signs, and the name printed under the signature if known."""

    role: str
    name: str = ""
    above: str = ""  # "Mengetahui," and the like
    place_and_date: bool = False
    stamp: bool = False  # a meterai box (sworn statements)
    id_line: str = ""  # "NIP." for officials, "NIK" for witnesses


@dataclass
class Sheet:
    """One form being laid out: the flowables of its story, built by the helpers below."""

    data: FormData
    styles: dict[str, ParagraphStyle] = field(default_factory=_styles)
    story: list[Flowable] = field(default_factory=list)

    LABEL = 58 * mm
    NUMBER = 8 * mm
    COLON = 3 * mm

    # Values

    def value(self, value: object) -> Flowable:
        text = "" if value is None else str(value).strip()
        return Paragraph(_text(text), self.styles["value"]) if text else Dots()

    def digits(self, count: int, value: str = "") -> Flowable:
        return DigitBoxes(count, value)

    def choice(
        self, options: Sequence[str], selected: int | None = None, note: str = ""
    ) -> Flowable:
        """A box for the number of the chosen option, then the numbered options."""
        width = len(str(len(options)))
        gap = "&nbsp;&nbsp; "
        listed = gap.join(
            f"{number}.&nbsp;{_text(label)}" for number, label in enumerate(options, 1)
        )
        if note:
            listed += f"{gap}<i>({_text(note)})</i>"
        return self.beside(
            DigitBoxes(width, str(selected) if selected else ""),
            Paragraph(listed, self.styles["small"]),
            width * DigitBoxes.BOX + 2 * mm,
        )

    def ticks(self, options: Sequence[str], ticked: Sequence[int] = ()) -> Flowable:
        """Boxes to tick, several at once (ticked ones marked X), three options a line."""
        cells = [
            self.beside(
                DigitBoxes(1, "X" if number in ticked else ""),
                Paragraph(_text(label), self.styles["small"]),
                DigitBoxes.BOX + 2 * mm,
            )
            for number, label in enumerate(options, 1)
        ]
        rows = [cells[index : index + 3] for index in range(0, len(cells), 3)]
        rows[-1] += [Spacer(0, 0)] * (3 - len(rows[-1]))
        table = Table(rows, colWidths=["33%", "34%", "33%"], hAlign="LEFT")
        table.setStyle(self._tight())
        return table

    def beside(self, left: Flowable, right: Flowable, left_width: float) -> Flowable:
        """Two flowables side by side, the right one taking the rest of the width."""
        table = Table([[left, right]], colWidths=[left_width, "*"], hAlign="LEFT")
        table.setStyle(self._tight(valign="MIDDLE"))
        return table

    @staticmethod
    def _tight(valign: str = "TOP") -> TableStyle:
        return TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), valign),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )

    # Blocks

    def title(self, title: str, subtitle: str = "") -> None:
        self.story.append(Paragraph(_text(title), self.styles["title"]))
        if subtitle:
            self.story.append(Paragraph(_text(subtitle), self.styles["subtitle"]))
        else:
            self.story.append(Spacer(0, 3 * mm))

    def region_header(self) -> None:
        """The region of the request's village: names and Kemendagri codes (in boxes), two by
        two (provinsi and kabupaten/kota, kecamatan and desa/kelurahan)."""
        data = self.data
        parts = data.village.code.split(".")
        village_kind = "Kelurahan" if data.village.kind == Region.Kind.KELURAHAN else "Desa"
        text, value = self.styles["text"], self.styles["value"]

        def cells(label: str, region: Region | None, code: str) -> list[Flowable]:
            return [
                Paragraph(_text(label), text),
                Paragraph(f": {_text(region.name if region else '')}", value),
                DigitBoxes(len(code), code),
            ]

        table = Table(
            [
                [
                    *cells("Provinsi", data.province, parts[0]),
                    *cells("Kabupaten/Kota", data.regency, parts[1]),
                ],
                [
                    *cells("Kecamatan", data.district, parts[2]),
                    *cells(village_kind, data.village, parts[3]),
                ],
            ],
            colWidths=[20 * mm, 50 * mm, 20 * mm, 24 * mm, 46 * mm, 20 * mm],
        )
        table.setStyle(self._tight(valign="MIDDLE"))
        self.story.append(table)
        self.story.append(Spacer(0, 1 * mm))

    def section(self, title: str) -> None:
        table = Table([[Paragraph(_text(title), self.styles["section"])]], colWidths=[BODY_WIDTH])
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.88, 0.88, 0.88)),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        # A heading never ends a page: with too little room left it starts the next one.
        self.story.append(CondPageBreak(35 * mm))
        self.story.append(Spacer(0, 2 * mm))
        self.story.append(table)
        self.story.append(Spacer(0, 1 * mm))

    def fields(
        self, rows: Sequence[Row], *, label_width: float | None = None, numbered: bool = True
    ) -> None:
        """Numbered rows: number, label, colon, value (a paragraph, dots, boxes or options)."""
        label_width = label_width or self.LABEL
        number_width = self.NUMBER if numbered else 0
        lines = []
        for number, label, cell in rows:
            line = [
                Paragraph(_text(label), self.styles["text"]),
                Paragraph(":", self.styles["text"]),
                cell,
            ]
            lines.append(
                [Paragraph(_text(number), self.styles["text"]), *line] if numbered else line
            )
        widths = [label_width, self.COLON, BODY_WIDTH - number_width - label_width - self.COLON]
        table = Table(lines, colWidths=[number_width, *widths] if numbered else widths)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 1),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 1),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        self.story.append(table)

    def grid(
        self, header: Sequence[str], rows: Sequence[Sequence[Flowable]], widths: list[float]
    ) -> None:
        """A ruled table (family members, changes), its empty rows left for handwriting."""
        table = Table(
            [
                [Paragraph(_text(title), self.styles["section"]) for title in header],
                *[list(row) for row in rows],
            ],
            colWidths=widths,
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 1), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        self.story.append(table)

    def cell(self, value: object) -> Flowable:
        """A grid cell: the value, or nothing (the grid's lines show where to write)."""
        return Paragraph(_text(value or ""), self.styles["value"])

    def paragraph(self, text: str, style: str = "justify", space: float = 2 * mm) -> None:
        """A statement of the form; `text` is the form's own markup (data inside escaped)."""
        self.story.append(Spacer(0, space))
        self.story.append(Paragraph(text, self.styles[style]))
        self.story.append(Spacer(0, 1 * mm))

    def signatures(self, signers: Sequence[Signer], columns: int = 0) -> None:
        """Signature blocks side by side; the first with place_and_date gets the date line."""
        columns = columns or len(signers)
        blocks = [self._signature(signer) for signer in signers]
        rows = [blocks[index : index + columns] for index in range(0, len(blocks), columns)]
        for row in rows:
            row.extend([[]] * (columns - len(row)))
        table = Table(rows, colWidths=[BODY_WIDTH / columns] * columns)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                ]
            )
        )
        self.story.append(Spacer(0, 3 * mm))
        self.story.append(KeepTogether([table]))

    def _signature(self, signer: Signer) -> list[Flowable]:
        center = self.styles["center"]
        date_line = ""
        if signer.place_and_date:
            date_line = f"{_text(self.data.village.name)}, ..............................."
        name = _text(signer.name) if signer.name else "." * 45
        block: list[Flowable] = [
            Paragraph(date_line or "&nbsp;", center),
            Paragraph(_text(signer.above) or "&nbsp;", center),
            Paragraph(f"<b>{_text(signer.role)}</b>", center),
            SignatureSpace(stamp=signer.stamp),
            Paragraph(f"( {name} )", center),
        ]
        if signer.id_line:
            block.append(Paragraph(_text(signer.id_line), center))
        return block

    def address_rows(self, number: str, *, of_village: bool = True) -> list[Row]:
        """The address: street and RT/RW by hand, the region from the request's village."""
        data = self.data
        rows: list[Row] = [
            (number, "Alamat", Dots()),
            ("", "RT / RW", self.value("")),
        ]
        if of_village:
            rows += [
                ("", "Desa/Kelurahan", self.value(data.village.name)),
                ("", "Kecamatan", self.value(data.district.name)),
                ("", "Kabupaten/Kota", self.value(data.regency_name)),
                ("", "Provinsi", self.value(data.province.name if data.province else "")),
            ]
        rows.append(("", "Kode Pos", self.digits(5)))
        return rows


# --- shared option lists (the numbering of the real forms) --------------------------------------

JENIS_KELAMIN = ("Laki-laki", "Perempuan")
SEX_OPTION = {"L": 1, "P": 2}
AGAMA = (
    "Islam",
    "Kristen",
    "Katolik",
    "Hindu",
    "Buddha",
    "Khonghucu",
    "Kepercayaan terhadap Tuhan YME",
)
STATUS_PERKAWINAN = (
    "Belum Kawin",
    "Kawin Tercatat",
    "Kawin Belum Tercatat",
    "Cerai Hidup",
    "Cerai Mati",
)
SHDK = (
    "Kepala Keluarga",
    "Suami",
    "Istri",
    "Anak",
    "Menantu",
    "Cucu",
    "Orang Tua",
    "Mertua",
    "Famili Lain",
    "Pembantu",
    "Lainnya",
)
GOLONGAN_DARAH = ("A", "B", "AB", "O", "Tidak Tahu")
PENDIDIKAN = (
    "Tidak/Belum Sekolah",
    "Belum Tamat SD/Sederajat",
    "Tamat SD/Sederajat",
    "SLTP/Sederajat",
    "SLTA/Sederajat",
    "Diploma I/II",
    "Akademi/Diploma III/Sarjana Muda",
    "Diploma IV/Strata I",
    "Strata II",
    "Strata III",
)


# --- F-1.01 -------------------------------------------------------------------------------------


def build_f101(sheet: Sheet) -> None:
    data, request = sheet.data, sheet.data.request
    sheet.title(
        "FORMULIR BIODATA KELUARGA",
        "Biodata Penduduk Warga Negara Indonesia",
    )
    sheet.region_header()
    sheet.section("DATA KEPALA KELUARGA")
    sheet.fields(
        [
            ("1.", "Nama Kepala Keluarga", sheet.value(data.head_of_family)),
            *sheet.address_rows("2."),
            ("3.", "Jumlah Anggota Keluarga", sheet.value("")),
            ("4.", "Telepon/HP", sheet.value(data.contact_phone)),
        ]
    )
    marital = {"marriage": 2, "divorce": 4}.get(data.detail("reason"))
    birth = request.subject_birth_date
    sheet.section("DATA ANGGOTA KELUARGA (PEMOHON)")
    sheet.fields(
        [
            ("1.", "Nama Lengkap", sheet.value(request.subject_name)),
            ("2.", "NIK", sheet.digits(16, request.subject_nik)),
            ("3.", "Nomor KK Semula", sheet.digits(16, request.subject_kk)),
            ("4.", "Alamat Sebelumnya", sheet.value("")),
            ("5.", "Nomor Paspor / Tanggal Berakhir", sheet.value("")),
            (
                "6.",
                "Jenis Kelamin",
                sheet.choice(JENIS_KELAMIN, SEX_OPTION.get(request.subject_sex)),
            ),
            ("7.", "Tempat Lahir", sheet.value(request.subject_birth_place)),
            ("8.", "Tanggal Lahir", sheet.value(tanggal(birth))),
            ("9.", "Umur", sheet.value(f"{_age_on(birth, data.today)} tahun" if birth else "")),
            ("10.", "Akta Kelahiran/Surat Kenal Lahir", sheet.choice(("Tidak Ada", "Ada"))),
            ("11.", "Nomor Akta Kelahiran", sheet.value("")),
            ("12.", "Golongan Darah", sheet.choice(GOLONGAN_DARAH)),
            ("13.", "Agama/Kepercayaan", sheet.choice(AGAMA)),
            ("14.", "Status Perkawinan", sheet.choice(STATUS_PERKAWINAN, marital)),
            ("15.", "Nomor Akta Perkawinan/Buku Nikah", sheet.value("")),
            ("16.", "Tanggal Perkawinan", sheet.value("")),
            ("17.", "Nomor Akta Perceraian/Surat Cerai", sheet.value("")),
            ("18.", "Tanggal Perceraian", sheet.value("")),
            ("19.", "Status Hubungan Dalam Keluarga", sheet.choice(SHDK)),
            ("20.", "Kelainan Fisik dan Mental", sheet.choice(("Tidak Ada", "Ada"))),
            ("21.", "Penyandang Cacat", sheet.value("")),
            ("22.", "Pendidikan Terakhir", sheet.choice(PENDIDIKAN)),
            ("23.", "Jenis Pekerjaan", sheet.value("")),
            ("24.", "NIK Ibu", sheet.digits(16)),
            ("25.", "Nama Lengkap Ibu", sheet.value("")),
            ("26.", "NIK Ayah", sheet.digits(16)),
            ("27.", "Nama Lengkap Ayah", sheet.value("")),
        ]
    )
    sheet.section("ANGGOTA KELUARGA LAINNYA")
    blank = [sheet.cell("") for _ in range(7)]
    sheet.grid(
        ["No", "Nama Lengkap", "NIK", "L/P", "Tempat Lahir", "Tanggal Lahir", "SHDK"],
        [[sheet.cell(number), *blank[1:]] for number in range(2, 8)],
        [8 * mm, 48 * mm, 40 * mm, 10 * mm, 30 * mm, 25 * mm, BODY_WIDTH - 161 * mm],
    )
    sheet.paragraph(
        "Demikian formulir ini saya isi dengan sesungguhnya. Apabila keterangan tersebut tidak "
        "sesuai dengan keadaan sebenarnya, saya bersedia dikenakan sanksi sesuai ketentuan "
        "peraturan perundang-undangan yang berlaku."
    )
    sheet.signatures(
        [
            Signer(data.village_head_title, above="Mengetahui,", id_line="NIP. ................"),
            Signer(
                "Pemohon/Kepala Keluarga",
                name=data.head_of_family or request.subject_name,
                place_and_date=True,
            ),
        ]
    )


# --- F-1.02 -------------------------------------------------------------------------------------

KK_CHANGES = (
    ("add_member", "Penambahan anggota keluarga"),
    ("remove_member", "Pengurangan anggota keluarga"),
    ("element", "Perubahan elemen data"),
)


def build_f102(sheet: Sheet) -> None:
    data, request = sheet.data, sheet.data.request
    service, reason = data.service_code, data.detail("reason")
    sheet.title("FORMULIR PENDAFTARAN PERISTIWA KEPENDUDUKAN")
    sheet.region_header()
    sheet.section("I. DATA PEMOHON")
    sheet.fields(
        [
            ("1.", "Nama Lengkap", sheet.value(request.subject_name)),
            ("2.", "NIK", sheet.digits(16, request.subject_nik)),
            ("3.", "Nomor Kartu Keluarga", sheet.digits(16, request.subject_kk)),
            *sheet.address_rows("4."),
            (
                "5.",
                "Nomor Telepon/HP",
                sheet.value(data.contact_phone),
            ),
            ("6.", "Alamat Email", sheet.value("")),
        ]
    )
    family_card: list[int] = []
    if service == "kk-baru":
        family_card = [1]
    elif service == "kk-perubahan":
        family_card = [2]
    elif service == "kk-hilang-rusak":
        family_card = [3]
    raw_changes = data.details.get("changes")
    changes = raw_changes if isinstance(raw_changes, list) else []
    id_card: list[int] = []
    if service == "ktp-el-cetak-ulang":
        id_card = {"change": [3], "lost": [4], "damaged": [5]}.get(reason, [])
    condition = {"lost": [1], "damaged": [2]}.get(reason, []) if service != "kk-perubahan" else []
    sheet.section("II. JENIS PERMOHONAN")
    sheet.fields(
        [
            (
                "A.",
                "Kartu Keluarga",
                sheet.ticks(("Baru", "Perubahan Data", "Hilang/Rusak"), family_card),
            ),
            (
                "",
                "Alasan Perubahan KK",
                sheet.ticks(
                    [label for _code, label in KK_CHANGES],
                    [number for number, (code, _) in enumerate(KK_CHANGES, 1) if code in changes],
                ),
            ),
            (
                "B.",
                "KTP-el",
                sheet.ticks(
                    ("Baru", "Pindah Datang", "Perubahan Data", "Hilang", "Rusak"), id_card
                ),
            ),
            ("C.", "Kartu Identitas Anak", sheet.ticks(("Baru", "Hilang", "Rusak"))),
            ("D.", "Dokumen Lama", sheet.ticks(("Hilang", "Rusak"), condition)),
            ("E.", "Keterangan", sheet.value(data.detail("description"))),
        ]
    )
    sheet.section("III. PERSYARATAN YANG DILAMPIRKAN")
    required = [
        item.name
        for item in checklist(request).items
        if item.applies and item.form_code != "F-1.02"
    ]
    if required:
        sheet.story.append(sheet.ticks(required))
    sheet.paragraph(
        "Demikian formulir ini saya isi dengan sesungguhnya. Apabila keterangan tersebut tidak "
        "sesuai dengan keadaan sebenarnya, saya bersedia dikenakan sanksi sesuai ketentuan "
        "peraturan perundang-undangan yang berlaku."
    )
    sheet.signatures(
        [
            Signer(data.village_head_title, above="Mengetahui,", id_line="NIP. ................"),
            Signer("Petugas Registrasi"),
            Signer("Pemohon", name=request.subject_name, place_and_date=True),
        ]
    )


# --- F-1.03 -------------------------------------------------------------------------------------

ALASAN_PINDAH = (
    ("work", "Pekerjaan"),
    ("education", "Pendidikan"),
    ("security", "Keamanan"),
    ("health", "Kesehatan"),
    ("housing", "Perumahan"),
    ("family", "Keluarga"),
    ("other", "Lainnya"),
)
KLASIFIKASI_PINDAH = (
    "Dalam satu desa/kelurahan",
    "Antar desa/kelurahan dalam satu kecamatan",
    "Antar kecamatan dalam satu kabupaten/kota",
    "Antar kabupaten/kota dalam satu provinsi",
    "Antar provinsi",
)


def _move_classification(data: FormData) -> int | None:
    destination = data.detail("destination_regency_code")
    if not destination:
        return None
    own = data.village.code.rsplit(".", 2)[0]
    if destination != own:
        return 4 if destination.split(".")[0] == own.split(".")[0] else 5
    if data.detail("destination_district").casefold() != data.district.name.casefold():
        return 3
    if data.detail("destination_village").casefold() != data.village.name.casefold():
        return 2
    return 1


def build_f103(sheet: Sheet) -> None:
    data, request = sheet.data, sheet.data.request
    sheet.title("FORMULIR PENDAFTARAN PERPINDAHAN PENDUDUK")
    sheet.region_header()
    sheet.section("DATA DAERAH ASAL")
    sheet.fields(
        [
            ("1.", "Nomor Kartu Keluarga", sheet.digits(16, request.subject_kk)),
            ("2.", "Nama Kepala Keluarga", sheet.value(data.head_of_family)),
            *sheet.address_rows("3."),
            (
                "4.",
                "Telepon/HP",
                sheet.value(data.contact_phone),
            ),
            ("5.", "NIK Pemohon", sheet.digits(16, request.subject_nik)),
            ("6.", "Nama Lengkap Pemohon", sheet.value(request.subject_name)),
        ]
    )
    sheet.section("JENIS PERMOHONAN")
    sheet.fields(
        [
            (
                "",
                "Jenis Permohonan",
                sheet.choice(
                    (
                        "Surat Keterangan Pindah Warga Negara Indonesia (SKPWNI)",
                        "Surat Keterangan Pindah Luar Negeri (SKPLN)",
                    ),
                    1 if data.service_code == "pindah" else None,
                ),
            )
        ]
    )
    reason_codes = [code for code, _label in ALASAN_PINDAH]
    reason = data.detail("reason")
    destination_code = data.detail("destination_regency_code")
    destination_province = (
        Region.objects.filter(code=destination_code.split(".")[0]).first()
        if destination_code
        else None
    )
    raw_members = data.details.get("members")
    members = [str(nik) for nik in raw_members] if isinstance(raw_members, list) else []
    sheet.section("DATA KEPINDAHAN")
    sheet.fields(
        [
            (
                "1.",
                "Alasan Pindah",
                sheet.choice(
                    [label for _code, label in ALASAN_PINDAH],
                    reason_codes.index(reason) + 1 if reason in reason_codes else None,
                ),
            ),
            ("2.", "Alamat Tujuan Pindah", sheet.value(data.detail("destination_address"))),
            ("", "RT / RW", sheet.value("")),
            ("", "Desa/Kelurahan", sheet.value(data.detail("destination_village"))),
            ("", "Kecamatan", sheet.value(data.detail("destination_district"))),
            (
                "",
                "Kabupaten/Kota",
                sheet.beside(
                    DigitBoxes(4, destination_code.replace(".", "")),
                    Paragraph(_text(data.detail("destination_regency")), sheet.styles["value"]),
                    4 * DigitBoxes.BOX + 2 * mm,
                ),
            ),
            (
                "",
                "Provinsi",
                sheet.value(destination_province.name if destination_province else ""),
            ),
            ("", "Kode Pos", sheet.digits(5)),
            (
                "3.",
                "Klasifikasi Kepindahan",
                sheet.choice(KLASIFIKASI_PINDAH, _move_classification(data)),
            ),
            (
                "4.",
                "Jenis Kepindahan",
                sheet.choice(
                    (
                        "Kepala Keluarga",
                        "Kepala Keluarga dan Seluruh Anggota Keluarga",
                        "Kepala Keluarga dan Sebagian Anggota Keluarga",
                        "Anggota Keluarga",
                    )
                ),
            ),
            (
                "5.",
                "Status No. KK bagi yang Tidak Pindah",
                sheet.choice(("Numpang KK", "Membuat KK Baru", "Nomor KK Tetap")),
            ),
            (
                "6.",
                "Status No. KK bagi yang Pindah",
                sheet.choice(
                    ("Numpang KK", "Membuat KK Baru", "Nama Kepala Keluarga dan Nomor KK Tetap")
                ),
            ),
            ("7.", "Rencana Tanggal Pindah", sheet.value("")),
            (
                "8.",
                "Jumlah Keluarga yang Pindah",
                sheet.value(f"{len(members)} orang" if members else ""),
            ),
        ]
    )
    sheet.section("KELUARGA YANG PINDAH")
    rows = [
        [sheet.cell(number), sheet.cell(nik), sheet.cell(data.name_of(nik)), sheet.cell("")]
        for number, nik in enumerate(members, 1)
    ]
    rows += [
        [sheet.cell(number), sheet.cell(""), sheet.cell(""), sheet.cell("")]
        for number in range(len(rows) + 1, max(len(rows) + 2, 7))
    ]
    sheet.grid(
        ["No", "NIK", "Nama Lengkap", "SHDK"],
        rows,
        [10 * mm, 45 * mm, 85 * mm, BODY_WIDTH - 140 * mm],
    )
    sheet.paragraph(
        "Demikian formulir ini saya isi dengan sesungguhnya. Apabila keterangan tersebut tidak "
        "sesuai dengan keadaan sebenarnya, saya bersedia dikenakan sanksi sesuai ketentuan "
        "peraturan perundang-undangan yang berlaku."
    )
    sheet.signatures(
        [
            Signer(data.village_head_title, above="Mengetahui,", id_line="NIP. ................"),
            Signer("Pemohon", name=request.subject_name, place_and_date=True),
        ]
    )


# --- F-1.06 -------------------------------------------------------------------------------------


def build_f106(sheet: Sheet) -> None:
    data, request = sheet.data, sheet.data.request
    sheet.title("FORMULIR PERNYATAAN PERUBAHAN ELEMEN DATA KEPENDUDUKAN")
    sheet.region_header()
    sheet.paragraph("Yang bertanda tangan di bawah ini:", style="text")
    sheet.fields(
        [
            ("1.", "Nama Lengkap", sheet.value(request.reporter_name)),
            ("2.", "NIK", sheet.digits(16, request.reporter_nik)),
            ("3.", "Nomor Kartu Keluarga", sheet.digits(16, request.subject_kk)),
            *sheet.address_rows("4."),
        ]
    )
    sheet.paragraph(
        "dengan ini menyatakan bahwa telah terjadi perubahan elemen data kependudukan sebagai "
        "berikut:",
        style="text",
    )
    sheet.story.append(Spacer(0, 1.5 * mm))
    first = [
        sheet.cell(1),
        Paragraph(
            f"<b>{_text(request.subject_name)}</b><br/>{_text(request.subject_nik)}",
            sheet.styles["text"],
        ),
        *[sheet.cell("") for _ in range(4)],
    ]
    empty = [[sheet.cell(number), *[sheet.cell("") for _ in range(5)]] for number in range(2, 6)]
    sheet.grid(
        ["No", "Nama Lengkap / NIK", "Elemen Data", "Semula", "Menjadi", "Dasar Perubahan"],
        [first, *empty],
        [8 * mm, 45 * mm, 28 * mm, 33 * mm, 33 * mm, BODY_WIDTH - 147 * mm],
    )
    description = data.detail("description")
    if description:
        sheet.paragraph(
            f"Keterangan pemohon: <b>{_text(description)}</b>", style="text", space=2 * mm
        )
    sheet.paragraph(
        "Demikian surat pernyataan ini saya buat dengan sebenar-benarnya. Apabila di kemudian "
        "hari ternyata pernyataan ini tidak benar, saya bersedia dikenakan sanksi sesuai "
        "ketentuan peraturan perundang-undangan yang berlaku."
    )
    sheet.signatures(
        [
            Signer(data.village_head_title, above="Mengetahui,", id_line="NIP. ................"),
            Signer("Yang Membuat Pernyataan", name=request.reporter_name, place_and_date=True),
        ]
    )


# --- F-2.01 -------------------------------------------------------------------------------------

PERISTIWA = (
    "Kelahiran",
    "Lahir Mati",
    "Perkawinan",
    "Pembatalan Perkawinan",
    "Perceraian",
    "Pembatalan Perceraian",
    "Kematian",
    "Pengangkatan Anak",
    "Pengakuan Anak",
    "Pengesahan Anak",
    "Perubahan Nama",
    "Perubahan Status Kewarganegaraan",
    "Peristiwa Penting Lainnya",
)
EVENT_OF_SERVICE = {
    "akta-kelahiran": 1,
    "akta-perkawinan": 3,
    "akta-perceraian": 5,
    "akta-kematian": 7,
}
PENOLONG = {"doctor": 1, "midwife": 2, "other": 4}
SEBAB_KEMATIAN = {
    "illness": 1,
    "epidemic": 2,
    "accident": 3,
    "crime": 4,
    "suicide": 5,
    "other": 6,
}


def _person_rows(sheet: Sheet, name: str = "", nik: str = "", kk: str = "") -> list[Row]:
    return [
        ("1.", "Nama Lengkap", sheet.value(name)),
        ("2.", "NIK", sheet.digits(16, nik)),
        ("3.", "Nomor Dokumen Perjalanan*", sheet.value("")),
        ("4.", "Nomor Kartu Keluarga", sheet.digits(16, kk)),
        ("5.", "Kewarganegaraan", sheet.choice(("WNI", "WNA"))),
    ]


def _parent_rows(sheet: Sheet, nik: str, name: str) -> list[Row]:
    return [
        ("1.", "NIK", sheet.digits(16, nik)),
        ("2.", "Nama Lengkap", sheet.value(name)),
        ("3.", "Tempat Lahir", sheet.value("")),
        ("4.", "Tanggal Lahir", sheet.value("")),
        ("5.", "Kewarganegaraan", sheet.choice(("WNI", "WNA"))),
    ]


def _witness_rows(sheet: Sheet) -> list[Row]:
    return [
        ("1.", "NIK", sheet.digits(16)),
        ("2.", "Nama Lengkap", sheet.value("")),
        ("3.", "Nomor Kartu Keluarga", sheet.digits(16)),
        ("4.", "Kewarganegaraan", sheet.choice(("WNI", "WNA"))),
    ]


def build_f201(sheet: Sheet) -> None:
    data, request = sheet.data, sheet.data.request
    event = EVENT_OF_SERVICE.get(data.service_code)
    sheet.title(
        "FORMULIR PELAPORAN PENCATATAN SIPIL DI DALAM WILAYAH NKRI",
        "Diisi untuk peristiwa yang dilaporkan; yang bertanda * diisi bila ada.",
    )
    sheet.region_header()
    sheet.fields([("", "Jenis Peristiwa", sheet.choice(PERISTIWA, event))])

    sheet.section("DATA PELAPOR")
    sheet.fields(
        _person_rows(
            sheet,
            request.reporter_name,
            request.reporter_nik,
            request.subject_kk if data.reporter_is_subject else "",
        )
    )

    first: tuple[str, str, str] = (request.subject_name, request.subject_nik, request.subject_kk)
    second: tuple[str, str, str] = ("", "", "")
    if event == 3:  # the groom first, the bride second, as on the akta perkawinan
        first = (data.detail("groom_name"), data.detail("groom_nik"), "")
        second = (data.detail("bride_name"), data.detail("bride_nik"), "")
        for index, (name, nik, _kk) in enumerate((first, second)):
            if nik and nik == request.subject_nik:
                filled = (name, nik, request.subject_kk)
                first, second = (filled, second) if index == 0 else (first, filled)
    sheet.section("DATA SUBJEK AKTA KESATU")
    sheet.fields(_person_rows(sheet, *first))
    sheet.section("DATA SUBJEK AKTA KEDUA*")
    sheet.fields(_person_rows(sheet, *second))

    father_nik = data.detail("father_nik") if event == 1 else ""
    mother_nik = data.detail("mother_nik") if event == 1 else ""
    sheet.section("DATA AYAH")
    sheet.fields(_parent_rows(sheet, father_nik, data.name_of(father_nik)))
    sheet.section("DATA IBU")
    sheet.fields(_parent_rows(sheet, mother_nik, data.name_of(mother_nik)))
    sheet.section("DATA SAKSI I")
    sheet.fields(_witness_rows(sheet))
    sheet.section("DATA SAKSI II")
    sheet.fields(_witness_rows(sheet))

    if event == 1:
        _birth_section(sheet)
    elif event == 3:
        _marriage_section(sheet)
    elif event == 5:
        _divorce_section(sheet)
    elif event == 7:
        _death_section(sheet)

    sheet.paragraph(
        "Demikian formulir ini saya isi dengan sesungguhnya. Apabila keterangan tersebut tidak "
        "sesuai dengan keadaan sebenarnya, saya bersedia dikenakan sanksi sesuai ketentuan "
        "peraturan perundang-undangan yang berlaku."
    )
    sheet.signatures(
        [
            Signer(data.village_head_title, above="Mengetahui,", id_line="NIP. ................"),
            Signer("Pelapor", name=request.reporter_name, place_and_date=True),
            Signer("Saksi I"),
            Signer("Saksi II"),
        ],
        columns=2,
    )


def _birth_section(sheet: Sheet) -> None:
    data, request = sheet.data, sheet.data.request
    birth = request.subject_birth_date
    day = f"{HARI[birth.weekday()]}, {tanggal(birth)}" if birth else ""
    order = data.detail("birth_order")
    sheet.section("KELAHIRAN")
    sheet.fields(
        [
            ("1.", "Nama Anak", sheet.value(request.subject_name)),
            (
                "2.",
                "Jenis Kelamin",
                sheet.choice(JENIS_KELAMIN, SEX_OPTION.get(request.subject_sex)),
            ),
            (
                "3.",
                "Tempat Dilahirkan",
                sheet.choice(("RS/RB", "Puskesmas", "Polindes", "Rumah", "Lainnya")),
            ),
            ("4.", "Tempat Kelahiran", sheet.value(request.subject_birth_place)),
            ("5.", "Hari dan Tanggal Lahir", sheet.value(day)),
            ("6.", "Pukul", sheet.value(data.detail("birth_time"))),
            (
                "7.",
                "Jenis Kelahiran",
                sheet.choice(("Tunggal", "Kembar 2", "Kembar 3", "Kembar 4", "Lainnya")),
            ),
            ("8.", "Kelahiran Ke", sheet.value(order)),
            (
                "9.",
                "Penolong Kelahiran",
                sheet.choice(
                    ("Dokter", "Bidan/Perawat", "Dukun", "Lainnya"),
                    PENOLONG.get(data.detail("attendant")),
                ),
            ),
            ("10.", "Berat Bayi", sheet.value("")),
            ("11.", "Panjang Bayi", sheet.value("")),
        ]
    )


def _marriage_section(sheet: Sheet) -> None:
    data = sheet.data
    sheet.section("PERKAWINAN")
    sheet.fields(
        [
            ("1.", "NIK Ayah dari Suami", sheet.digits(16)),
            ("2.", "Nama Ayah dari Suami", sheet.value("")),
            ("3.", "NIK Ibu dari Suami", sheet.digits(16)),
            ("4.", "Nama Ibu dari Suami", sheet.value("")),
            ("5.", "NIK Ayah dari Istri", sheet.digits(16)),
            ("6.", "Nama Ayah dari Istri", sheet.value("")),
            ("7.", "NIK Ibu dari Istri", sheet.digits(16)),
            ("8.", "Nama Ibu dari Istri", sheet.value("")),
            (
                "9.",
                "Status Perkawinan Sebelum Kawin",
                sheet.choice(
                    ("Belum Kawin", "Cerai Hidup", "Cerai Mati"),
                    1 if data.details.get("married_before") is False else None,
                    note="ada perkawinan sebelumnya" if data.details.get("married_before") else "",
                ),
            ),
            ("10.", "Perkawinan Ke", sheet.value("")),
            (
                "11.",
                "Tanggal Pemberkatan Perkawinan",
                sheet.value(tanggal(data.detail_date("marriage_date"))),
            ),
            ("12.", "Tanggal Melapor", sheet.value("")),
            ("13.", "Agama/Kepercayaan", sheet.choice(AGAMA[1:])),
            ("14.", "Nama Organisasi Kepercayaan*", sheet.value("")),
            ("15.", "Nama Pemuka Agama/Kepercayaan", sheet.value(data.detail("religious_leader"))),
            ("16.", "Nama Pengadilan*", sheet.value("")),
            ("17.", "Nomor Penetapan Pengadilan*", sheet.value("")),
            ("18.", "Tanggal Penetapan Pengadilan*", sheet.value("")),
            ("19.", "Jumlah Anak (bila ada)", sheet.value("")),
        ]
    )


def _divorce_section(sheet: Sheet) -> None:
    data = sheet.data
    sheet.section("PERCERAIAN")
    sheet.fields(
        [
            ("1.", "Nomor Akta Perkawinan", sheet.value("")),
            ("2.", "Tanggal Akta Perkawinan", sheet.value("")),
            ("3.", "Tempat Pencatatan Perkawinan", sheet.value("")),
            ("4.", "Nama Pengadilan", sheet.value(data.detail("court"))),
            ("5.", "Nomor Putusan Pengadilan", sheet.value(data.detail("decision_number"))),
            (
                "6.",
                "Tanggal Putusan Berkekuatan Hukum Tetap",
                sheet.value(tanggal(data.detail_date("decision_date"))),
            ),
        ]
    )


def _death_section(sheet: Sheet) -> None:
    data, request = sheet.data, sheet.data.request
    certified_by = data.detail("certified_by")
    sheet.section("KEMATIAN")
    sheet.fields(
        [
            ("1.", "NIK", sheet.digits(16, request.subject_nik)),
            ("2.", "Nama Lengkap", sheet.value(request.subject_name)),
            ("3.", "Anak Ke", sheet.value("")),
            ("4.", "Tanggal Kematian", sheet.value(tanggal(data.detail_date("death_date")))),
            ("5.", "Pukul", sheet.value("")),
            (
                "6.",
                "Sebab Kematian",
                sheet.choice(
                    (
                        "Sakit Biasa/Tua",
                        "Wabah Penyakit",
                        "Kecelakaan",
                        "Kriminalitas",
                        "Bunuh Diri",
                        "Lainnya",
                    ),
                    SEBAB_KEMATIAN.get(data.detail("cause")),
                ),
            ),
            ("7.", "Tempat Kematian", sheet.value(data.detail("death_place"))),
            (
                "8.",
                "Yang Menerangkan",
                sheet.choice(
                    ("Dokter", "Tenaga Kesehatan", "Kepolisian", "Lainnya"),
                    {"doctor": 1, "village_head": 4, "other": 4}.get(certified_by),
                    note="Kepala Desa/Lurah" if certified_by == "village_head" else "",
                ),
            ),
        ]
    )


# --- F-2.03 and F-2.04: sworn statements (SPTJM) ------------------------------------------------

SANKSI = (
    "Demikian surat pernyataan ini saya buat dengan sebenar-benarnya. Apabila di kemudian hari "
    "ternyata pernyataan ini tidak benar, saya bersedia diproses secara hukum sesuai dengan "
    "ketentuan peraturan perundang-undangan, dan dokumen yang diterbitkan berdasarkan "
    "pernyataan ini menjadi tidak sah."
)
PASAL_93 = (
    "Pasal 93 Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan: setiap "
    "penduduk yang dengan sengaja memalsukan surat dan/atau dokumen kepada Instansi Pelaksana "
    "dalam melaporkan peristiwa kependudukan dan peristiwa penting dipidana dengan pidana "
    "penjara paling lama 6 (enam) tahun dan/atau denda paling banyak Rp50.000.000,00 (lima "
    "puluh juta rupiah)."
)


def _declarant_rows(sheet: Sheet, name: str, nik: str) -> list[Row]:
    return [
        ("1.", "Nama Lengkap", sheet.value(name)),
        ("2.", "NIK", sheet.digits(16, nik)),
        ("3.", "Tempat/Tanggal Lahir", sheet.value("")),
        ("4.", "Pekerjaan", sheet.value("")),
        ("5.", "Alamat", sheet.value("")),
    ]


def _child_rows(sheet: Sheet) -> list[Row]:
    request = sheet.data.request
    birth = ", ".join(
        part for part in (request.subject_birth_place, tanggal(request.subject_birth_date)) if part
    )
    return [
        ("1.", "Nama Lengkap", sheet.value(request.subject_name)),
        ("2.", "Jenis Kelamin", sheet.choice(JENIS_KELAMIN, SEX_OPTION.get(request.subject_sex))),
        ("3.", "Tempat/Tanggal Lahir", sheet.value(birth)),
    ]


def _witnesses_statement(sheet: Sheet) -> None:
    sheet.paragraph(
        "Kami yang bertanda tangan di bawah ini sebagai saksi menyatakan bahwa keterangan di "
        "atas adalah benar:",
        style="text",
    )
    sheet.fields(
        [
            ("1.", "Nama Lengkap Saksi I", sheet.value("")),
            ("", "NIK Saksi I", sheet.digits(16)),
            ("2.", "Nama Lengkap Saksi II", sheet.value("")),
            ("", "NIK Saksi II", sheet.digits(16)),
        ]
    )


def build_f203(sheet: Sheet) -> None:
    data, request = sheet.data, sheet.data.request
    father, mother = data.detail("father_nik"), data.detail("mother_nik")
    sheet.title(
        "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK",
        "KEBENARAN DATA KELAHIRAN",
    )
    sheet.region_header()
    sheet.paragraph("Yang bertanda tangan di bawah ini:", style="text")
    sheet.fields(_declarant_rows(sheet, request.reporter_name, request.reporter_nik))
    sheet.paragraph(
        "menyatakan dengan sesungguhnya bahwa tidak memiliki surat keterangan kelahiran dari "
        "dokter, bidan, penolong kelahiran atau kepala desa/lurah, dan bahwa data kelahiran "
        "berikut adalah benar:",
        style="text",
    )
    sheet.fields(
        [
            *_child_rows(sheet),
            ("4.", "Nama Ayah", sheet.value(data.name_of(father))),
            ("", "NIK Ayah", sheet.digits(16, father)),
            ("5.", "Nama Ibu", sheet.value(data.name_of(mother))),
            ("", "NIK Ibu", sheet.digits(16, mother)),
        ]
    )
    sheet.paragraph(SANKSI)
    _witnesses_statement(sheet)
    sheet.signatures(
        [
            Signer("Saksi I"),
            Signer("Saksi II"),
            Signer(
                "Yang Membuat Pernyataan",
                name=request.reporter_name,
                place_and_date=True,
                stamp=True,
            ),
        ]
    )
    sheet.paragraph(_text(PASAL_93), style="note", space=3 * mm)


def build_f204(sheet: Sheet) -> None:
    data = sheet.data
    father, mother = data.detail("father_nik"), data.detail("mother_nik")
    sheet.title(
        "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK",
        "KEBENARAN SEBAGAI PASANGAN SUAMI ISTRI",
    )
    sheet.region_header()
    sheet.paragraph("Yang bertanda tangan di bawah ini:", style="text")
    sheet.section("SUAMI")
    sheet.fields(_declarant_rows(sheet, data.name_of(father), father))
    sheet.section("ISTRI")
    sheet.fields(_declarant_rows(sheet, data.name_of(mother), mother))
    sheet.paragraph(
        "menyatakan dengan sesungguhnya bahwa kami adalah pasangan suami istri yang telah "
        "melangsungkan perkawinan menurut hukum agama/kepercayaan masing-masing pada tanggal "
        "............................ di ............................................, yang "
        "perkawinannya belum tercatat, dan bahwa kami adalah ayah dan ibu dari anak:",
        style="justify",
    )
    sheet.fields(_child_rows(sheet))
    sheet.paragraph(SANKSI)
    _witnesses_statement(sheet)
    sheet.signatures(
        [
            Signer("Suami", name=data.name_of(father), place_and_date=True, stamp=True),
            Signer("Istri", name=data.name_of(mother), stamp=True),
            Signer("Saksi I"),
            Signer("Saksi II"),
        ],
        columns=2,
    )
    sheet.paragraph(_text(PASAL_93), style="note", space=3 * mm)


# --- the registry and the PDF -------------------------------------------------------------------


@dataclass(frozen=True)
class OfficialForm:
    code: str
    title: str  # the official title (Permendagri 109/2019)
    build: Callable[[Sheet], None]

    @property
    def slug(self) -> str:
        return form_slug(self.code)


FORMS: dict[str, OfficialForm] = {
    form.code: form
    for form in (
        OfficialForm("F-1.01", "Formulir Biodata Keluarga", build_f101),
        OfficialForm("F-1.02", "Formulir Pendaftaran Peristiwa Kependudukan", build_f102),
        OfficialForm("F-1.03", "Formulir Pendaftaran Perpindahan Penduduk", build_f103),
        OfficialForm(
            "F-1.06", "Formulir Pernyataan Perubahan Elemen Data Kependudukan", build_f106
        ),
        OfficialForm(
            "F-2.01",
            "Formulir Pelaporan Pencatatan Sipil di Dalam Wilayah NKRI",
            build_f201,
        ),
        OfficialForm(
            "F-2.03", "Surat Pernyataan Tanggung Jawab Mutlak Kebenaran Data Kelahiran", build_f203
        ),
        OfficialForm(
            "F-2.04",
            "Surat Pernyataan Tanggung Jawab Mutlak Kebenaran sebagai Pasangan Suami Istri",
            build_f204,
        ),
    )
}


def form_slug(code: str) -> str:
    """The form code as a URL part: "F-1.01" -> "f-1-01"."""
    return code.lower().replace(".", "-")


def form_from_slug(slug: str) -> OfficialForm | None:
    return next((form for form in FORMS.values() if form.slug == slug), None)


def forms_of(request: ServiceRequest) -> list[OfficialForm]:
    """The forms with a builder that the request's service version asks for, in its order."""
    codes = [item.get("form_code") for item in request.definition.get("requirements", [])]
    found = [FORMS[code] for code in codes if code in FORMS]
    return list(dict.fromkeys(found))


def form_filename(request: ServiceRequest, form: OfficialForm) -> str:
    # Numbers hold digits and dashes only, so the name is safe in a Content-Disposition header.
    prefix = request.number or f"draf-{request.pk}"
    return f"{prefix}-{form.code}.pdf"


def _footer(data: FormData, form: OfficialForm) -> Callable[[Canvas, BaseDocTemplate], None]:
    made = f"Dibuat oleh sistem paradewi, {data.regency_name or 'paradewi'}, {tanggal(data.today)}"
    number = data.request.number or ""

    def draw(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        width, height = A4
        # The form code at the top right, boxed, on every page.
        canvas.setFont(BOLD, 11)
        code_width = canvas.stringWidth(form.code, BOLD, 11) + 6 * mm
        bottom = height - CODE_TOP - CODE_HEIGHT
        canvas.setLineWidth(0.8)
        canvas.rect(width - MARGIN - code_width, bottom, code_width, CODE_HEIGHT)
        canvas.drawCentredString(width - MARGIN - code_width / 2, bottom + 2.3 * mm, form.code)
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.grey)
        footer = made + (f" \u00b7 Permohonan {number}" if number else "")
        canvas.drawString(MARGIN, MARGIN - 8 * mm, footer)
        canvas.drawRightString(width - MARGIN, MARGIN - 8 * mm, f"Halaman {document.page}")
        canvas.restoreState()

    return draw


def official_form_pdf(
    request: ServiceRequest, form: OfficialForm, *, today: date | None = None
) -> bytes:
    """The form filled from the request, as the bytes of an A4 PDF (unsigned)."""
    data = FormData.of(request, today)
    sheet = Sheet(data)
    form.build(sheet)
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=FRAME_TOP,
        bottomMargin=MARGIN,
        # No personal data in the metadata: only the form and the request number.
        title=f"{form.code} {form.title} {request.number or ''}".strip(),
        author=f"paradewi {data.regency_name}".strip(),
        subject=form.title,
        creator="paradewi",
    )
    frame = Frame(
        MARGIN,
        MARGIN,
        BODY_WIDTH,
        A4[1] - FRAME_TOP - MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    footer = _footer(data, form)
    document.addPageTemplates([PageTemplate(id="form", frames=[frame], onPage=footer)])
    document.build(sheet.story)
    return buffer.getvalue()
