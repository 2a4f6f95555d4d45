"""The printed service standard: one A4 sheet (two for a long list of requirements) per
service, to hang on the wall of every office that takes requests.

UU 25/2009 Pasal 15 obliges the provider to publish its service standard and its maklumat
pelayanan; PermenPAN-RB 15/2014 names the components. The sheet prints the same
`catalogue.selectors.PublishedStandard` the web page shows: the components in the
regulation's order in a ruled table, the maklumat with the head of the Dinas' signature,
and a QR code to the page, so a resident reading the wall finds the current standard. The
page geometry, the ruled table style and the PDF building are the receipt's and the forms'
(`requests.receipts.build_pdf`, `official_forms.sheet`).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from paradewi.catalogue.selectors import PublishedStandard, RequirementItem
from paradewi.documents.official_forms.sheet import BODY_WIDTH, BOLD, FONT, MARGIN, plain, tanggal
from paradewi.regions.selectors import signing_location
from paradewi.requests.receipts import Layout, QrCode, build_pdf, dinas_name

TEXT_SIZE = 8
LAYOUT = Layout(
    width=A4[0],
    margin=MARGIN,
    text_size=TEXT_SIZE,
    title_size=15,
    number_size=TEXT_SIZE,
    qr_size=22 * mm,
    fit_height=False,
)
NUMBER_WIDTH = 8 * mm
LABEL_WIDTH = 38 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("text", fontName=FONT, fontSize=TEXT_SIZE, leading=TEXT_SIZE * 1.22)
    return {
        "text": base,
        "bold": ParagraphStyle("bold", parent=base, fontName=BOLD),
        "dinas": ParagraphStyle(
            "dinas", parent=base, fontName=BOLD, fontSize=11, leading=14, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=15, leading=19, alignment=TA_CENTER
        ),
        "charter": ParagraphStyle(
            "charter", parent=base, fontName=BOLD, fontSize=12, leading=15, alignment=TA_CENTER
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.grey
        ),
    }


def _lines(text: str) -> str:
    return "<br/>".join(plain(line) for line in text.splitlines())


def _requirements(items: list[RequirementItem]) -> str:
    """The requirement list as numbered lines; a choice lists its options under "salah satu"."""

    def one(requirement: object) -> str:
        name = plain(getattr(requirement, "name", ""))
        form = getattr(requirement, "form_code", "")
        condition = getattr(requirement, "condition", "always")
        extra = f" ({plain(form)})" if form else ""
        if condition != "always":
            extra += f" <i>({plain(requirement.get_condition_display())})</i>"  # type: ignore[attr-defined]
        return name + extra

    lines = []
    for number, item in enumerate(items, start=1):
        if item.requirement is not None:
            lines.append(f"{number}. {one(item.requirement)}")
            continue
        options = [
            " + ".join(one(requirement) for requirement in option) for option in item.options
        ]
        lines.append(
            f"{number}. Salah satu dari: "
            + "; ".join(f"({chr(97 + index)}) {text}" for index, text in enumerate(options))
        )
    return "<br/>".join(lines)


def _rows(standard: PublishedStandard) -> list[tuple[str, str]]:
    """(component, text with Paragraph markup) in the order of PermenPAN-RB 15/2014."""
    service, terms = standard.service, standard.terms
    legal = f"{plain(service.legal_basis)}. " if service.legal_basis else ""
    outputs = "<br/>".join(
        plain(output.name) + (" (kartu, diambil)" if output.is_card else "")
        for output in service.outputs.all()
    )
    return [
        ("Dasar hukum", legal + plain(terms.legal_basis)),
        ("Persyaratan", _requirements(standard.requirements)),
        (
            "Sistem, mekanisme dan prosedur",
            "<br/>".join(f"{n}. {plain(step)}" for n, step in enumerate(standard.procedure, 1)),
        ),
        (
            "Jangka waktu pelayanan",
            f"{plain(service.target_display)} sejak permohonan diajukan sampai dokumen "
            "selesai (waktu kerja, tanpa hari libur; waktu berhenti selama permohonan "
            "dikembalikan untuk diperbaiki).",
        ),
        ("Biaya/tarif", _lines(terms.cost)),
        ("Produk pelayanan", outputs),
        ("Penanganan pengaduan, saran dan masukan", _lines(terms.complaint_handling)),
        ("Sarana, prasarana dan/atau fasilitas", _lines(terms.facilities)),
        ("Kompetensi pelaksana", _lines(terms.staff_competence)),
        ("Pengawasan internal", _lines(terms.internal_supervision)),
        ("Jumlah pelaksana", _lines(terms.staff_count)),
        ("Jaminan pelayanan", _lines(terms.service_guarantee)),
        ("Jaminan keamanan dan keselamatan pelayanan", _lines(terms.security_guarantee)),
        ("Evaluasi kinerja pelaksana", _lines(terms.performance_evaluation)),
    ]


def _table(standard: PublishedStandard, styles: dict[str, ParagraphStyle]) -> Table:
    header = [Paragraph(text, styles["bold"]) for text in ("No.", "Komponen", "Uraian")]
    body = [
        [
            Paragraph(f"{number}.", styles["text"]),
            Paragraph(plain(label), styles["bold"]),
            Paragraph(text, styles["text"]),
        ]
        for number, (label, text) in enumerate(_rows(standard), start=1)
    ]
    table = Table(
        [header, *body],
        colWidths=[NUMBER_WIDTH, LABEL_WIDTH, BODY_WIDTH - NUMBER_WIDTH - LABEL_WIDTH],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _charter(standard: PublishedStandard, styles: dict[str, ParagraphStyle], url: str) -> Flowable:
    """The maklumat in a box, the signature block beside the QR code to the web page."""
    terms = standard.terms
    place = signing_location().replace("Kabupaten ", "").replace("Kota ", "")
    name = plain(terms.signatory_name) if terms.signatory_name else "." * 45
    signature = [
        Paragraph(f"{plain(place)}, {tanggal(timezone.localdate())}", styles["center"]),
        Paragraph(f"<b>{plain(terms.signatory_title)}</b>", styles["center"]),
        Spacer(0, 13 * mm),
        Paragraph(f"( {name} )", styles["center"]),
    ]
    scan = [
        QrCode(url, LAYOUT.qr_size),
        Paragraph("Pindai untuk membaca standar pelayanan terbaru", styles["small"]),
    ]
    box = Table(
        [
            [Paragraph("MAKLUMAT PELAYANAN", styles["charter"])],
            [Paragraph(_lines(terms.charter), styles["center"])],
        ],
        colWidths=[BODY_WIDTH],
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 8 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm),
            ]
        )
    )
    footer = Table([[scan, signature]], colWidths=[BODY_WIDTH * 0.4, BODY_WIDTH * 0.6])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(0, 3 * mm), box, Spacer(0, 2 * mm), footer])


def standard_url(standard: PublishedStandard) -> str:
    return f"{settings.SITE_URL}{reverse('service_standard', args=[standard.service.code])}"


def standard_pdf(standard: PublishedStandard) -> bytes:
    """The service standard of one service as A4 PDF bytes, in Indonesian (it is the
    regency's official text, whatever language the reader's browser asks for)."""
    styles = _styles()
    with translation.override(settings.LANGUAGE_CODE):
        story: list[Flowable] = [
            Paragraph(plain(dinas_name()).upper(), styles["dinas"]),
            Spacer(0, 2 * mm),
            Paragraph("STANDAR PELAYANAN", styles["title"]),
            Paragraph(plain(standard.service.name), styles["dinas"]),
        ]
        if standard.terms.decree:
            story.append(
                Paragraph(f"Ditetapkan dengan {plain(standard.terms.decree)}", styles["center"])
            )
        story += [Spacer(0, 4 * mm), _table(standard, styles)]
        story.append(_charter(standard, styles, standard_url(standard)))
        return build_pdf(
            story,
            LAYOUT,
            page_height=A4[1],
            title=f"Standar Pelayanan {standard.service.name}",
        )


def standard_filename(standard: PublishedStandard) -> str:
    # A service code holds only lower-case letters, digits and hyphens: safe in a header.
    return f"standar-pelayanan-{standard.service.code}.pdf"
