"""F-2.03, Surat Pernyataan Tanggung Jawab Mutlak Kebenaran Data Kelahiran."""

from __future__ import annotations

from reportlab.lib.units import mm

from paradewi.documents.official_forms.sheet import Sheet, Signer, plain
from paradewi.documents.official_forms.sptjm import (
    PASAL_93,
    SANKSI,
    child_rows,
    declarant_rows,
    witnesses_statement,
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
    sheet.fields(declarant_rows(sheet, request.reporter_name, request.reporter_nik))
    sheet.paragraph(
        "menyatakan dengan sesungguhnya bahwa tidak memiliki surat keterangan kelahiran dari "
        "dokter, bidan, penolong kelahiran atau kepala desa/lurah, dan bahwa data kelahiran "
        "berikut adalah benar:",
        style="text",
    )
    sheet.fields(
        [
            *child_rows(sheet),
            ("4.", "Nama Ayah", sheet.value(data.name_of(father))),
            ("", "NIK Ayah", sheet.digits(16, father)),
            ("5.", "Nama Ibu", sheet.value(data.name_of(mother))),
            ("", "NIK Ibu", sheet.digits(16, mother)),
        ]
    )
    sheet.paragraph(SANKSI)
    witnesses_statement(sheet)
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
    sheet.paragraph(plain(PASAL_93), style="note", space=3 * mm)
