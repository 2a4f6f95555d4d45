"""What the two sworn statements (SPTJM, F-2.03 and F-2.04) share: the declarant and the
child, the witnesses' statement and the legal warnings."""

from __future__ import annotations

from paradewi.documents.official_forms.options import JENIS_KELAMIN, SEX_OPTION
from paradewi.documents.official_forms.sheet import Row, Sheet, tanggal

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


def declarant_rows(sheet: Sheet, name: str, nik: str) -> list[Row]:
    return [
        ("1.", "Nama Lengkap", sheet.value(name)),
        ("2.", "NIK", sheet.digits(16, nik)),
        ("3.", "Tempat/Tanggal Lahir", sheet.value("")),
        ("4.", "Pekerjaan", sheet.value("")),
        ("5.", "Alamat", sheet.value("")),
    ]


def child_rows(sheet: Sheet) -> list[Row]:
    request = sheet.data.request
    birth = ", ".join(
        part for part in (request.subject_birth_place, tanggal(request.subject_birth_date)) if part
    )
    return [
        ("1.", "Nama Lengkap", sheet.value(request.subject_name)),
        ("2.", "Jenis Kelamin", sheet.choice(JENIS_KELAMIN, SEX_OPTION.get(request.subject_sex))),
        ("3.", "Tempat/Tanggal Lahir", sheet.value(birth)),
    ]


def witnesses_statement(sheet: Sheet) -> None:
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
