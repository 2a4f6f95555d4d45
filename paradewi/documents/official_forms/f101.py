"""F-1.01, Formulir Biodata Keluarga."""

from __future__ import annotations

from reportlab.lib.units import mm

from paradewi.documents.official_forms.options import (
    AGAMA,
    GOLONGAN_DARAH,
    JENIS_KELAMIN,
    PEKERJAAN,
    PENDIDIKAN,
    SEX_OPTION,
    SHDK,
    STATUS_PERKAWINAN,
)
from paradewi.documents.official_forms.sheet import BODY_WIDTH, Sheet, Signer, age_on, tanggal
from paradewi.requests.elements import number_of


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
            (
                "3.",
                "Jumlah Anggota Keluarga",
                sheet.value(
                    f"{members} orang" if (members := data.detail("members_count")) else ""
                ),
            ),
            ("4.", "Telepon/HP", sheet.value(data.contact_phone)),
        ]
    )
    # The marital status as the applicant gave it; else what the reason implies.
    marital = number_of(data.detail("marital_status")) or {"marriage": 2, "divorce": 4}.get(
        data.detail("reason")
    )
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
            ("9.", "Umur", sheet.value(f"{age_on(birth, data.today)} tahun" if birth else "")),
            ("10.", "Akta Kelahiran/Surat Kenal Lahir", sheet.choice(("Tidak Ada", "Ada"))),
            ("11.", "Nomor Akta Kelahiran", sheet.value("")),
            (
                "12.",
                "Golongan Darah",
                sheet.choice(GOLONGAN_DARAH, number_of(data.detail("blood_type"))),
            ),
            ("13.", "Agama/Kepercayaan", sheet.choice(AGAMA, number_of(data.detail("religion")))),
            ("14.", "Status Perkawinan", sheet.choice(STATUS_PERKAWINAN, marital)),
            ("15.", "Nomor Akta Perkawinan/Buku Nikah", sheet.value("")),
            ("16.", "Tanggal Perkawinan", sheet.value("")),
            ("17.", "Nomor Akta Perceraian/Surat Cerai", sheet.value("")),
            ("18.", "Tanggal Perceraian", sheet.value("")),
            (
                "19.",
                "Status Hubungan Dalam Keluarga",
                sheet.choice(SHDK, number_of(data.detail("relationship_in_family"))),
            ),
            ("20.", "Kelainan Fisik dan Mental", sheet.choice(("Tidak Ada", "Ada"))),
            ("21.", "Penyandang Cacat", sheet.value("")),
            (
                "22.",
                "Pendidikan Terakhir",
                sheet.choice(PENDIDIKAN, number_of(data.detail("education"))),
            ),
            ("23.", "Jenis Pekerjaan", sheet.value(_occupation(data.detail("occupation")))),
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
    sheet.declaration()
    sheet.signatures(
        [
            sheet.village_head(),
            Signer(
                "Pemohon/Kepala Keluarga",
                name=data.head_of_family or request.subject_name,
                place_and_date=True,
            ),
        ]
    )


def _occupation(value: str) -> str:
    """The occupation with its SIAK number ("88. Wiraswasta"): 89 options do not fit as a list."""
    number = number_of(value)
    if number is None or not 1 <= number <= len(PEKERJAAN):
        return ""
    return f"{number}. {PEKERJAAN[number - 1]}"
