"""F-2.04, Surat Pernyataan Tanggung Jawab Mutlak Kebenaran sebagai Pasangan Suami Istri."""

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
    sheet.fields(declarant_rows(sheet, data.name_of(father), father))
    sheet.section("ISTRI")
    sheet.fields(declarant_rows(sheet, data.name_of(mother), mother))
    sheet.paragraph(
        "menyatakan dengan sesungguhnya bahwa kami adalah pasangan suami istri yang telah "
        "melangsungkan perkawinan menurut hukum agama/kepercayaan masing-masing pada tanggal "
        "............................ di ............................................, yang "
        "perkawinannya belum tercatat, dan bahwa kami adalah ayah dan ibu dari anak:",
        style="justify",
    )
    sheet.fields(child_rows(sheet))
    sheet.paragraph(SANKSI)
    witnesses_statement(sheet)
    sheet.signatures(
        [
            Signer("Suami", name=data.name_of(father), place_and_date=True, stamp=True),
            Signer("Istri", name=data.name_of(mother), stamp=True),
            Signer("Saksi I"),
            Signer("Saksi II"),
        ],
        columns=2,
    )
    sheet.paragraph(plain(PASAL_93), style="note", space=3 * mm)
