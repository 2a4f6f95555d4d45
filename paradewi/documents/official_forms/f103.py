"""F-1.03, Formulir Pendaftaran Perpindahan Penduduk."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from paradewi.documents.official_forms.sheet import (
    BODY_WIDTH,
    DigitBoxes,
    FormData,
    Sheet,
    Signer,
    plain,
    tanggal,
)
from paradewi.regions.models import Region
from paradewi.requests.elements import SHDK, label_of

ALASAN_PINDAH = (
    ("work", "Pekerjaan"),
    ("education", "Pendidikan"),
    ("security", "Keamanan"),
    ("health", "Kesehatan"),
    ("housing", "Perumahan"),
    ("family", "Keluarga"),
    ("other", "Lainnya"),
)
JENIS_KEPINDAHAN = (
    ("head", "Kepala Keluarga"),
    ("head_and_all", "Kepala Keluarga dan Seluruh Anggota Keluarga"),
    ("head_and_some", "Kepala Keluarga dan Sebagian Anggota Keluarga"),
    ("members", "Anggota Keluarga"),
)
STATUS_KK_TIDAK_PINDAH = (
    ("join", "Numpang KK"),
    ("new", "Membuat KK Baru"),
    ("keep", "Nomor KK Tetap"),
)
STATUS_KK_PINDAH = (
    ("join", "Numpang KK"),
    ("new", "Membuat KK Baru"),
    ("keep", "Nama Kepala Keluarga dan Nomor KK Tetap"),
)
KLASIFIKASI_PINDAH = (
    "Dalam satu desa/kelurahan",
    "Antar desa/kelurahan dalam satu kecamatan",
    "Antar kecamatan dalam satu kabupaten/kota",
    "Antar kabupaten/kota dalam satu provinsi",
    "Antar provinsi",
)


def _option(options: tuple[tuple[str, str], ...], code: str) -> int | None:
    codes = [key for key, _label in options]
    return codes.index(code) + 1 if code in codes else None


def _labels(options: tuple[tuple[str, str], ...]) -> list[str]:
    return [label for _code, label in options]


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
            (
                "",
                "RT / RW",
                sheet.value(
                    f"{data.detail('destination_rt')} / {data.detail('destination_rw')}"
                    if data.detail("destination_rt")
                    else ""
                ),
            ),
            ("", "Desa/Kelurahan", sheet.value(data.detail("destination_village"))),
            ("", "Kecamatan", sheet.value(data.detail("destination_district"))),
            (
                "",
                "Kabupaten/Kota",
                sheet.beside(
                    DigitBoxes(4, destination_code.replace(".", "")),
                    Paragraph(plain(data.detail("destination_regency")), sheet.styles["value"]),
                    4 * DigitBoxes.BOX + 2 * mm,
                ),
            ),
            (
                "",
                "Provinsi",
                sheet.value(destination_province.name if destination_province else ""),
            ),
            ("", "Kode Pos", sheet.digits(5, data.detail("destination_postcode"))),
            (
                "3.",
                "Klasifikasi Kepindahan",
                sheet.choice(KLASIFIKASI_PINDAH, _move_classification(data)),
            ),
            (
                "4.",
                "Jenis Kepindahan",
                sheet.choice(
                    _labels(JENIS_KEPINDAHAN),
                    _option(JENIS_KEPINDAHAN, data.detail("move_kind")),
                ),
            ),
            (
                "5.",
                "Status No. KK bagi yang Tidak Pindah",
                sheet.choice(
                    _labels(STATUS_KK_TIDAK_PINDAH),
                    _option(STATUS_KK_TIDAK_PINDAH, data.detail("kk_status_staying")),
                    note="seluruh keluarga pindah"
                    if data.detail("move_kind") == "head_and_all"
                    else "",
                ),
            ),
            (
                "6.",
                "Status No. KK bagi yang Pindah",
                sheet.choice(
                    _labels(STATUS_KK_PINDAH),
                    _option(STATUS_KK_PINDAH, data.detail("kk_status_moving")),
                ),
            ),
            (
                "7.",
                "Rencana Tanggal Pindah",
                sheet.value(tanggal(data.detail_date("planned_date"))),
            ),
            (
                "8.",
                "Jumlah Keluarga yang Pindah",
                sheet.value(f"{len(members)} orang" if members else ""),
            ),
        ]
    )
    sheet.section("KELUARGA YANG PINDAH")
    raw_names = data.details.get("member_names")
    names = raw_names if isinstance(raw_names, dict) else {}
    raw_relationships = data.details.get("member_relationships")
    relationships = raw_relationships if isinstance(raw_relationships, dict) else {}
    rows = []
    for number, nik in enumerate(members, 1):
        name = str(names.get(nik) or data.name_of(nik))
        # Each mover's SHDK as the detail form has it; a request made before the form asked
        # it knows only the head of the family, by name.
        shdk = label_of(SHDK, relationships.get(nik)) or (
            "Kepala Keluarga" if name and name == data.head_of_family else ""
        )
        rows.append([sheet.cell(number), sheet.cell(nik), sheet.cell(name), sheet.cell(shdk)])
    if not rows:  # nobody given (an older request): lines to write them by hand
        rows = [
            [sheet.cell(number), sheet.cell(""), sheet.cell(""), sheet.cell("")]
            for number in range(1, 7)
        ]
    sheet.grid(
        ["No", "NIK", "Nama Lengkap", "SHDK"],
        rows,
        [10 * mm, 45 * mm, 85 * mm, BODY_WIDTH - 140 * mm],
    )
    sheet.declaration()
    sheet.signatures(
        [
            sheet.village_head(),
            Signer("Pemohon", name=request.subject_name, place_and_date=True),
        ]
    )
