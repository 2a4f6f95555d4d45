"""F-1.06, Surat Pernyataan Perubahan Elemen Data Kependudukan."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from paradewi.documents.official_forms.sheet import BODY_WIDTH, Sheet, Signer, plain


def build_f106(sheet: Sheet) -> None:
    data, request = sheet.data, sheet.data.request
    # The heading of the form (Permendagri 109/2019, F-1.06): a statement ("surat pernyataan
    # ini", as its closing sentence says), under the name the catalogue lists it by.
    sheet.title("SURAT PERNYATAAN PERUBAHAN ELEMEN DATA KEPENDUDUKAN")
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
            f"<b>{plain(request.subject_name)}</b><br/>{plain(request.subject_nik)}",
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
            f"Keterangan pemohon: <b>{plain(description)}</b>", style="text", space=2 * mm
        )
    sheet.paragraph(
        "Demikian surat pernyataan ini saya buat dengan sebenar-benarnya. Apabila di kemudian "
        "hari ternyata pernyataan ini tidak benar, saya bersedia dikenakan sanksi sesuai "
        "ketentuan peraturan perundang-undangan yang berlaku."
    )
    sheet.signatures(
        [
            sheet.village_head(),
            Signer("Yang Membuat Pernyataan", name=request.reporter_name, place_and_date=True),
        ]
    )
