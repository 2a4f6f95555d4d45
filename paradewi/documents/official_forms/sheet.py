"""What every form is drawn with: the page geometry, Indonesian dates, what a form knows
about the request (`FormData`), the flowables (digit boxes, dotted lines, signature space) and
the `Sheet` that lays a form out: title, region header, numbered fields, options, signatures.

Every text from the database goes through `plain()` before it reaches Paragraph markup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from paradewi.regions.models import Region
from paradewi.requests.models import Relationship, ServiceRequest
from paradewi.requests.validators import parse_nik

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


def plain(value: object) -> str:
    """Plain text made inert for Paragraph markup ("<b>" and "&" print as themselves)."""
    return escape(str(value))


def age_on(birth: date, day: date) -> int:
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
        for prefix in ("groom", "bride", "mother", "father", "witness1", "witness2"):
            if nik == self.detail(f"{prefix}_nik"):
                return self.detail(f"{prefix}_name")
        return ""

    def birth_date_of(self, nik: str) -> date | None:
        """The date of birth a NIK holds (digits 7-12), for the forms' "Tanggal Lahir"."""
        if not nik:
            return None
        try:
            return parse_nik(nik, today=self.today).birth_date
        except ValidationError:
            return None

    @property
    def contact_phone(self) -> str:
        """The reporter's phone, when the reporter is the applicant or the head of the family."""
        request = self.request
        if self.reporter_is_subject or request.reporter_relationship == Relationship.HEAD_OF_FAMILY:
            return request.reporter_phone
        return ""

    @property
    def head_of_family(self) -> str:
        """The head of the family's name: as the detail form has it (kk-baru, pindah), else
        the reporter when they report as head."""
        if self.detail("head_name"):
            return self.detail("head_name")
        request = self.request
        if request.reporter_relationship == Relationship.HEAD_OF_FAMILY:
            return request.reporter_name
        return ""

    @property
    def is_kelurahan(self) -> bool:
        return self.village.kind == Region.Kind.KELURAHAN

    @property
    def village_head_title(self) -> str:
        title = "Lurah" if self.is_kelurahan else "Kepala Desa"
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
        return Paragraph(plain(text), self.styles["value"]) if text else Dots()

    def digits(self, count: int, value: str = "") -> Flowable:
        return DigitBoxes(count, value)

    def choice(
        self, options: Sequence[str], selected: int | None = None, note: str = ""
    ) -> Flowable:
        """A box for the number of the chosen option, then the numbered options."""
        width = len(str(len(options)))
        gap = "&nbsp;&nbsp; "
        listed = gap.join(
            f"{number}.&nbsp;{plain(label)}" for number, label in enumerate(options, 1)
        )
        if note:
            listed += f"{gap}<i>({plain(note)})</i>"
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
                Paragraph(plain(label), self.styles["small"]),
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
        self.story.append(Paragraph(plain(title), self.styles["title"]))
        if subtitle:
            self.story.append(Paragraph(plain(subtitle), self.styles["subtitle"]))
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
                Paragraph(plain(label), text),
                Paragraph(f": {plain(region.name if region else '')}", value),
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
        table = Table([[Paragraph(plain(title), self.styles["section"])]], colWidths=[BODY_WIDTH])
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
                Paragraph(plain(label), self.styles["text"]),
                Paragraph(":", self.styles["text"]),
                cell,
            ]
            lines.append(
                [Paragraph(plain(number), self.styles["text"]), *line] if numbered else line
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
                [Paragraph(plain(title), self.styles["section"]) for title in header],
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
        return Paragraph(plain(value or ""), self.styles["value"])

    def paragraph(self, text: str, style: str = "justify", space: float = 2 * mm) -> None:
        """A statement of the form; `text` is the form's own markup (data inside escaped)."""
        self.story.append(Spacer(0, space))
        self.story.append(Paragraph(text, self.styles[style]))
        self.story.append(Spacer(0, 1 * mm))

    def declaration(self) -> None:
        """The declaration that closes the F-1.xx and F-2.01 forms above their signatures."""
        self.paragraph(
            "Demikian formulir ini saya isi dengan sesungguhnya. Apabila keterangan tersebut tidak "
            "sesuai dengan keadaan sebenarnya, saya bersedia dikenakan sanksi sesuai ketentuan "
            "peraturan perundang-undangan yang berlaku."
        )

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
            date_line = f"{plain(self.data.village.name)}, ..............................."
        name = plain(signer.name) if signer.name else "." * 45
        block: list[Flowable] = [
            Paragraph(date_line or "&nbsp;", center),
            Paragraph(plain(signer.above) or "&nbsp;", center),
            Paragraph(f"<b>{plain(signer.role)}</b>", center),
            SignatureSpace(stamp=signer.stamp),
            Paragraph(f"( {name} )", center),
        ]
        if signer.id_line:
            block.append(Paragraph(plain(signer.id_line), center))
        return block

    def village_head(self) -> Signer:
        """The "Mengetahui," block of the kepala desa or lurah.

        A NIP line only under a lurah: a lurah is a civil servant (UU 23/2014 Pasal 229 ayat
        (3)), a kepala desa is elected by the villagers (UU 6/2014 Pasal 34) and has no NIP.
        """
        data = self.data
        return Signer(
            data.village_head_title,
            above="Mengetahui,",
            id_line="NIP. ................" if data.is_kelurahan else "",
        )

    def address_rows(self, number: str, *, of_village: bool = True) -> list[Row]:
        """The address: street, RT/RW and postcode as the detail form has them (kk-baru,
        pindah), else by hand; the region from the request's village."""
        data = self.data
        rt, rw = data.detail("rt"), data.detail("rw")
        rows: list[Row] = [
            (number, "Alamat", self.value(data.detail("address"))),
            ("", "RT / RW", self.value(f"{rt} / {rw}" if rt and rw else "")),
        ]
        if of_village:
            rows += [
                ("", "Desa/Kelurahan", self.value(data.village.name)),
                ("", "Kecamatan", self.value(data.district.name)),
                ("", "Kabupaten/Kota", self.value(data.regency_name)),
                ("", "Provinsi", self.value(data.province.name if data.province else "")),
            ]
        rows.append(("", "Kode Pos", self.digits(5, data.detail("postcode"))))
        return rows
