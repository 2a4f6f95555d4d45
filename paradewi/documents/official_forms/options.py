"""Option lists shared by several forms, numbered as on the real forms."""

from __future__ import annotations

JENIS_KELAMIN = ("Laki-laki", "Perempuan")
SEX_OPTION = {"L": 1, "P": 2}
AGAMA = (
    "Islam",
    "Kristen",
    "Katolik",
    "Hindu",
    "Buddha",
    "Khonghucu",
    "Kepercayaan terhadap Tuhan YME",
)
STATUS_PERKAWINAN = (
    "Belum Kawin",
    "Kawin Tercatat",
    "Kawin Belum Tercatat",
    "Cerai Hidup",
    "Cerai Mati",
)
SHDK = (
    "Kepala Keluarga",
    "Suami",
    "Istri",
    "Anak",
    "Menantu",
    "Cucu",
    "Orang Tua",
    "Mertua",
    "Famili Lain",
    "Pembantu",
    "Lainnya",
)
GOLONGAN_DARAH = ("A", "B", "AB", "O", "Tidak Tahu")
PENDIDIKAN = (
    "Tidak/Belum Sekolah",
    "Belum Tamat SD/Sederajat",
    "Tamat SD/Sederajat",
    "SLTP/Sederajat",
    "SLTA/Sederajat",
    "Diploma I/II",
    "Akademi/Diploma III/Sarjana Muda",
    "Diploma IV/Strata I",
    "Strata II",
    "Strata III",
)
