"""F-2.01, Formulir Pelaporan Pencatatan Sipil di Dalam Wilayah NKRI: births, deaths,
marriages and divorces, one section per event."""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable

from paradewi.documents.official_forms.options import AGAMA, JENIS_KELAMIN, SEX_OPTION
from paradewi.documents.official_forms.sheet import HARI, Row, Sheet, Signer, tanggal

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
PENOLONG = {"doctor": 1, "midwife": 2, "traditional": 3, "other": 4}
TEMPAT_DILAHIRKAN = {"hospital": 1, "puskesmas": 2, "polindes": 3, "home": 4, "other": 5}
JENIS_KELAHIRAN = {"single": 1, "twins": 2, "triplets": 3, "quadruplets": 4, "other": 5}
KEWARGANEGARAAN = ("WNI", "WNA")
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
        ("5.", "Kewarganegaraan", _citizenship(sheet, nik or name)),
    ]


def _reports_as_parent(sheet: Sheet) -> bool:
    """A parent reporting a birth: the KK the child joins is the parents' own."""
    data = sheet.data
    nik = data.request.reporter_nik
    return (
        data.service_code == "akta-kelahiran"
        and bool(nik)
        and nik in (data.detail("father_nik"), data.detail("mother_nik"))
    )


def _citizenship(sheet: Sheet, nik: str) -> Flowable:
    # The regency's services are for its residents registered with a NIK as WNI (the catalogue's
    # "pencatatan ... WNI"); a foreigner's box is left for the officer.
    return sheet.choice(KEWARGANEGARAAN, 1 if nik else None)


def _parent_rows(sheet: Sheet, parent: str) -> list[Row]:
    """DATA AYAH / DATA IBU: from the birth's details (the birth date read from the NIK)."""
    data = sheet.data
    nik = data.detail(f"{parent}_nik") if data.service_code == "akta-kelahiran" else ""
    name = (data.detail(f"{parent}_name") or data.name_of(nik)) if nik else ""
    return [
        ("1.", "NIK", sheet.digits(16, nik)),
        ("2.", "Nama Lengkap", sheet.value(name)),
        ("3.", "Tempat Lahir", sheet.value(data.detail(f"{parent}_birth_place") if nik else "")),
        ("4.", "Tanggal Lahir", sheet.value(tanggal(data.birth_date_of(nik)))),
        ("5.", "Kewarganegaraan", _citizenship(sheet, nik)),
    ]


def _witness_rows(sheet: Sheet, number: int) -> list[Row]:
    """DATA SAKSI: as the detail form has them (SE Dirjen Dukcapil 470/13287/Dukcapil, 2021:
    the witnesses' identity is written here instead of a copy of their KTP-el)."""
    data = sheet.data
    nik = data.detail(f"witness{number}_nik")
    return [
        ("1.", "NIK", sheet.digits(16, nik)),
        ("2.", "Nama Lengkap", sheet.value(data.detail(f"witness{number}_name"))),
        ("3.", "Nomor Kartu Keluarga", sheet.digits(16, data.detail(f"witness{number}_kk"))),
        ("4.", "Kewarganegaraan", _citizenship(sheet, nik)),
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
            request.subject_kk if data.reporter_is_subject or _reports_as_parent(sheet) else "",
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

    sheet.section("DATA AYAH")
    sheet.fields(_parent_rows(sheet, "father"))
    sheet.section("DATA IBU")
    sheet.fields(_parent_rows(sheet, "mother"))
    sheet.section("DATA SAKSI I")
    sheet.fields(_witness_rows(sheet, 1))
    sheet.section("DATA SAKSI II")
    sheet.fields(_witness_rows(sheet, 2))

    if event == 1:
        _birth_section(sheet)
    elif event == 3:
        _marriage_section(sheet)
    elif event == 5:
        _divorce_section(sheet)
    elif event == 7:
        _death_section(sheet)

    sheet.declaration()
    sheet.signatures(
        [
            sheet.village_head(),
            Signer("Pelapor", name=request.reporter_name, place_and_date=True),
            Signer("Saksi I", name=data.detail("witness1_name")),
            Signer("Saksi II", name=data.detail("witness2_name")),
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
                sheet.choice(
                    ("RS/RB", "Puskesmas", "Polindes", "Rumah", "Lainnya"),
                    TEMPAT_DILAHIRKAN.get(data.detail("birth_facility")),
                ),
            ),
            ("4.", "Tempat Kelahiran", sheet.value(request.subject_birth_place)),
            ("5.", "Hari dan Tanggal Lahir", sheet.value(day)),
            ("6.", "Pukul", sheet.value(data.detail("birth_time"))),
            (
                "7.",
                "Jenis Kelahiran",
                sheet.choice(
                    ("Tunggal", "Kembar 2", "Kembar 3", "Kembar 4", "Lainnya"),
                    JENIS_KELAHIRAN.get(data.detail("birth_type")),
                ),
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
            ("10.", "Berat Bayi", sheet.value(_measure(data.detail("weight_kg"), "kg"))),
            ("11.", "Panjang Bayi", sheet.value(_measure(data.detail("length_cm"), "cm"))),
        ]
    )


def _measure(value: str, unit: str) -> str:
    """A stored decimal ("3.20") as the forms write it: "3,2 kg"."""
    if not value:
        return ""
    try:
        number = Decimal(value)
    except ArithmeticError:
        return ""
    text = f"{number.normalize():f}".replace(".", ",")
    return f"{text} {unit}"


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
