"""F-1.01, Formulir Biodata Keluarga."""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

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
from paradewi.documents.official_forms.sheet import (
    BODY_WIDTH,
    FormData,
    Sheet,
    Signer,
    age_on,
    tanggal,
)
from paradewi.requests.elements import label_of, number_of


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
    # The marital status as the applicant gave it; else what the KK baru reason of Permendagri
    # 108/2019 Pasal 10 implies.
    marital = number_of(data.detail("marital_status")) or {
        "marriage": 2,
        "marriage_unrecorded": 3,
        "divorce": 4,
        "divorce_unrecorded": 5,
    }.get(data.detail("reason"))
    birth = request.subject_birth_date
    # Items 17-18 do not apply unless divorced (4, 5 Cerai Hidup): "-" rather than a blank
    # the officer would wonder about.
    not_divorced = "-" if marital is not None and marital not in (4, 5) else ""
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
            (
                "10.",
                "Akta Kelahiran/Surat Kenal Lahir",
                sheet.choice(("Tidak Ada", "Ada"), _yes_no(data, "birth_certificate_number")),
            ),
            ("11.", "Nomor Akta Kelahiran", sheet.value(data.detail("birth_certificate_number"))),
            (
                "12.",
                "Golongan Darah",
                sheet.choice(GOLONGAN_DARAH, number_of(data.detail("blood_type"))),
            ),
            ("13.", "Agama/Kepercayaan", sheet.choice(AGAMA, number_of(data.detail("religion")))),
            ("14.", "Status Perkawinan", sheet.choice(STATUS_PERKAWINAN, marital)),
            (
                "15.",
                "Nomor Akta Perkawinan/Buku Nikah",
                sheet.value(data.detail("marriage_certificate_number")),
            ),
            ("16.", "Tanggal Perkawinan", sheet.value(tanggal(data.detail_date("marriage_date")))),
            (
                "17.",
                "Nomor Akta Perceraian/Surat Cerai",
                sheet.value(data.detail("divorce_certificate_number") or not_divorced),
            ),
            (
                "18.",
                "Tanggal Perceraian",
                sheet.value(tanggal(data.detail_date("divorce_date")) or not_divorced),
            ),
            (
                "19.",
                "Status Hubungan Dalam Keluarga",
                sheet.choice(SHDK, number_of(data.detail("relationship_in_family"))),
            ),
            (
                "20.",
                "Kelainan Fisik dan Mental",
                sheet.choice(
                    ("Tidak Ada", "Ada"), {"no": 1, "yes": 2}.get(data.detail("disability"))
                ),
            ),
            # The kind of disability is written by hand when there is one; "-" when none.
            (
                "21.",
                "Penyandang Cacat",
                sheet.value("-" if data.detail("disability") == "no" else ""),
            ),
            (
                "22.",
                "Pendidikan Terakhir",
                sheet.choice(PENDIDIKAN, number_of(data.detail("education"))),
            ),
            ("23.", "Jenis Pekerjaan", sheet.value(_occupation(data.detail("occupation")))),
            ("24.", "NIK Ibu", sheet.digits(16, data.detail("mother_nik"))),
            ("25.", "Nama Lengkap Ibu", sheet.value(data.detail("mother_name"))),
            ("26.", "NIK Ayah", sheet.digits(16, data.detail("father_nik"))),
            ("27.", "Nama Lengkap Ayah", sheet.value(data.detail("father_name"))),
        ]
    )
    _other_members(sheet)
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


def _other_members(sheet: Sheet) -> None:
    """ANGGOTA KELUARGA LAINNYA: every other member as the detail form has them (numbered from
    2, the applicant being 1), in two grids as the KK prints them: identity, then elements."""
    raw = sheet.data.details.get("other_members")
    members = [row for row in raw if isinstance(row, dict)] if isinstance(raw, list) else []
    sheet.section("ANGGOTA KELUARGA LAINNYA")
    if not members:
        sheet.paragraph("Tidak ada anggota keluarga lain.", space=0)
        return
    cell = sheet.cell
    identity = []
    elements = []
    for number, row in enumerate(members, 2):
        born = _date(row.get("birth_date"))
        identity.append(
            [
                cell(number),
                cell(row.get("name")),
                cell(row.get("nik") or "-"),
                cell(row.get("sex")),
                cell(row.get("birth_place")),
                # dd-mm-yyyy, as the KK's grid writes dates: it fits the column.
                cell(born.strftime("%d-%m-%Y") if born else ""),
                cell(label_of(SHDK, row.get("relationship"))),
            ]
        )
        elements.append(
            [
                cell(number),
                cell(label_of(AGAMA, row.get("religion"))),
                cell(label_of(STATUS_PERKAWINAN, row.get("marital_status"))),
                cell(label_of(PENDIDIKAN, row.get("education"))),
                cell(label_of(PEKERJAAN, row.get("occupation"))),
                cell(label_of(GOLONGAN_DARAH, row.get("blood_type"))),
                cell(row.get("mother_name")),
                cell(row.get("father_name")),
            ]
        )
    sheet.grid(
        ["No", "Nama Lengkap", "NIK", "L/P", "Tempat Lahir", "Tanggal Lahir", "SHDK"],
        identity,
        [8 * mm, 48 * mm, 40 * mm, 10 * mm, 30 * mm, 25 * mm, BODY_WIDTH - 161 * mm],
    )
    sheet.story.append(Spacer(0, 2 * mm))
    sheet.grid(
        [
            "No",
            "Agama",
            "Status Perkawinan",
            "Pendidikan",
            "Pekerjaan",
            "Gol. Darah",
            "Nama Ibu",
            "Nama Ayah",
        ],
        elements,
        [8 * mm, 18 * mm, 24 * mm, 32 * mm, 30 * mm, 13 * mm, 27 * mm, BODY_WIDTH - 152 * mm],
    )


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _yes_no(data: FormData, number_key: str) -> int | None:
    """1 Tidak Ada / 2 Ada for a document, once the detail form was filled (a KK baru)."""
    if data.service_code != "kk-baru" or not data.detail("occupation"):
        return None
    return 2 if data.detail(number_key) else 1


def _occupation(value: str) -> str:
    """The occupation with its SIAK number ("88. Wiraswasta"): 89 options do not fit as a list."""
    number = number_of(value)
    if number is None or not 1 <= number <= len(PEKERJAAN):
        return ""
    return f"{number}. {PEKERJAAN[number - 1]}"
