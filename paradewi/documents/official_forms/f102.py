"""F-1.02, Formulir Pendaftaran Peristiwa Kependudukan."""

from __future__ import annotations

from paradewi.documents.official_forms.sheet import Sheet, Signer
from paradewi.requests.requirements import checklist

KK_CHANGES = (
    ("add_member", "Penambahan anggota keluarga"),
    ("remove_member", "Pengurangan anggota keluarga"),
    ("element", "Perubahan elemen data"),
)


def build_f102(sheet: Sheet) -> None:
    data, request = sheet.data, sheet.data.request
    service, reason = data.service_code, data.detail("reason")
    sheet.title("FORMULIR PENDAFTARAN PERISTIWA KEPENDUDUKAN")
    sheet.region_header()
    sheet.section("I. DATA PEMOHON")
    sheet.fields(
        [
            ("1.", "Nama Lengkap", sheet.value(request.subject_name)),
            ("2.", "NIK", sheet.digits(16, request.subject_nik)),
            ("3.", "Nomor Kartu Keluarga", sheet.digits(16, request.subject_kk)),
            *sheet.address_rows("4."),
            (
                "5.",
                "Nomor Telepon/HP",
                sheet.value(data.contact_phone),
            ),
            ("6.", "Alamat Email", sheet.value("")),
        ]
    )
    family_card: list[int] = []
    if service == "kk-baru":
        family_card = [1]
    elif service == "kk-perubahan":
        family_card = [2]
    elif service == "kk-hilang-rusak":
        family_card = [3]
    raw_changes = data.details.get("changes")
    changes = raw_changes if isinstance(raw_changes, list) else []
    id_card: list[int] = []
    if service == "ktp-el-cetak-ulang":
        id_card = {"change": [3], "lost": [4], "damaged": [5]}.get(reason, [])
    condition = {"lost": [1], "damaged": [2]}.get(reason, []) if service != "kk-perubahan" else []
    sheet.section("II. JENIS PERMOHONAN")
    sheet.fields(
        [
            (
                "A.",
                "Kartu Keluarga",
                sheet.ticks(("Baru", "Perubahan Data", "Hilang/Rusak"), family_card),
            ),
            (
                "",
                "Alasan Perubahan KK",
                sheet.ticks(
                    [label for _code, label in KK_CHANGES],
                    [number for number, (code, _) in enumerate(KK_CHANGES, 1) if code in changes],
                ),
            ),
            (
                "B.",
                "KTP-el",
                sheet.ticks(
                    ("Baru", "Pindah Datang", "Perubahan Data", "Hilang", "Rusak"), id_card
                ),
            ),
            ("C.", "Kartu Identitas Anak", sheet.ticks(("Baru", "Hilang", "Rusak"))),
            ("D.", "Dokumen Lama", sheet.ticks(("Hilang", "Rusak"), condition)),
            ("E.", "Keterangan", sheet.value(data.detail("description"))),
        ]
    )
    sheet.section("III. PERSYARATAN YANG DILAMPIRKAN")
    required = [
        item.name
        for item in checklist(request).items
        if item.applies and item.form_code != "F-1.02"
    ]
    if required:
        sheet.story.append(sheet.ticks(required))
    sheet.declaration()
    sheet.signatures(
        [
            sheet.village_head(),
            Signer("Petugas Registrasi"),
            Signer("Pemohon", name=request.subject_name, place_and_date=True),
        ]
    )
