"""The option lists of the population data elements, numbered as SIAK numbers them.

One list per element, used by every detail form (`forms.py`) and every official form
(`documents/official_forms/`): a form field stores the option's number as text ("13"), the
printed form writes that number in the box in front of the list. The labels are Indonesian,
as SIAK and the forms of Permendagri 109/2019 print them; they are the official wording and are
not translated.

Sources:
- Golongan darah: the 13 values of SIAK (A, B, AB, O, the same with rhesus + and -, and
  "Tidak Tahu"), printed on the KK since Permendagri 118/2017 (blangko KK).
- Status perkawinan: Permendagri 118/2017 (blangko KK): belum kawin, kawin tercatat, kawin belum
  tercatat, cerai hidup tercatat, cerai hidup belum tercatat, cerai mati.
- Agama: the six religions and, since the Constitutional Court's decision 97/PUU-XIV/2016,
  "Kepercayaan terhadap Tuhan YME".
- Pendidikan (in the KK): the ten levels of SIAK.
- Pekerjaan: the 89 occupations of SIAK (1 Belum/Tidak Bekerja ... 88 Wiraswasta, 89 Lainnya).
- Status hubungan dalam keluarga (SHDK): the eleven relationships of SIAK.
Not confirmed from the regulation's own text: the order of the six marital statuses (SIAK's
own numbering), and the additions to the occupation list made after 2019 in some SIAK versions
(Artis, Atlit, ...), which are left out: "89 Lainnya" covers them.
"""

from __future__ import annotations

Options = tuple[str, ...]

GOLONGAN_DARAH: Options = (
    "A",
    "B",
    "AB",
    "O",
    "A+",
    "A-",
    "B+",
    "B-",
    "AB+",
    "AB-",
    "O+",
    "O-",
    "Tidak Tahu",
)
STATUS_PERKAWINAN: Options = (
    "Belum Kawin",
    "Kawin Tercatat",
    "Kawin Belum Tercatat",
    "Cerai Hidup Tercatat",
    "Cerai Hidup Belum Tercatat",
    "Cerai Mati",
)
AGAMA: Options = (
    "Islam",
    "Kristen",
    "Katholik",
    "Hindu",
    "Buddha",
    "Khonghucu",
    "Kepercayaan terhadap Tuhan YME",
)
PENDIDIKAN: Options = (
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
PEKERJAAN: Options = (
    "Belum/Tidak Bekerja",
    "Mengurus Rumah Tangga",
    "Pelajar/Mahasiswa",
    "Pensiunan",
    "Pegawai Negeri Sipil",
    "Tentara Nasional Indonesia",
    "Kepolisian RI",
    "Perdagangan",
    "Petani/Pekebun",
    "Peternak",
    "Nelayan/Perikanan",
    "Industri",
    "Konstruksi",
    "Transportasi",
    "Karyawan Swasta",
    "Karyawan BUMN",
    "Karyawan BUMD",
    "Karyawan Honorer",
    "Buruh Harian Lepas",
    "Buruh Tani/Perkebunan",
    "Buruh Nelayan/Perikanan",
    "Buruh Peternakan",
    "Pembantu Rumah Tangga",
    "Tukang Cukur",
    "Tukang Listrik",
    "Tukang Batu",
    "Tukang Kayu",
    "Tukang Sol Sepatu",
    "Tukang Las/Pandai Besi",
    "Tukang Jahit",
    "Tukang Gigi",
    "Penata Rias",
    "Penata Busana",
    "Penata Rambut",
    "Mekanik",
    "Seniman",
    "Tabib",
    "Paraji",
    "Perancang Busana",
    "Penterjemah",
    "Imam Masjid",
    "Pendeta",
    "Pastor",
    "Wartawan",
    "Ustadz/Mubaligh",
    "Juru Masak",
    "Promotor Acara",
    "Anggota DPR-RI",
    "Anggota DPD",
    "Anggota BPK",
    "Presiden",
    "Wakil Presiden",
    "Anggota Mahkamah Konstitusi",
    "Anggota Kabinet/Kementerian",
    "Duta Besar",
    "Gubernur",
    "Wakil Gubernur",
    "Bupati",
    "Wakil Bupati",
    "Walikota",
    "Wakil Walikota",
    "Anggota DPRD Provinsi",
    "Anggota DPRD Kabupaten/Kota",
    "Dosen",
    "Guru",
    "Pilot",
    "Pengacara",
    "Notaris",
    "Arsitek",
    "Akuntan",
    "Konsultan",
    "Dokter",
    "Bidan",
    "Perawat",
    "Apoteker",
    "Psikiater/Psikolog",
    "Penyiar Televisi",
    "Penyiar Radio",
    "Pelaut",
    "Peneliti",
    "Sopir",
    "Pialang",
    "Paranormal",
    "Pedagang",
    "Perangkat Desa",
    "Kepala Desa",
    "Biarawati",
    "Wiraswasta",
    "Lainnya",
)
SHDK: Options = (
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

# The stored value of SHDK "Kepala Keluarga" (the option's number, as text).
SHDK_HEAD = str(SHDK.index("Kepala Keluarga") + 1)

ELEMENTS: dict[str, Options] = {
    "golongan_darah": GOLONGAN_DARAH,
    "status_perkawinan": STATUS_PERKAWINAN,
    "agama": AGAMA,
    "pendidikan": PENDIDIKAN,
    "pekerjaan": PEKERJAAN,
    "shdk": SHDK,
}


def choices(options: Options) -> list[tuple[str, str]]:
    """A form field's choices: the SIAK number (as text) and the label, "1. Islam"."""
    return [(str(number), f"{number}. {label}") for number, label in enumerate(options, 1)]


def label_of(options: Options, value: object) -> str:
    """The label of a stored option number ("4" -> "Anak"), "" when it names none."""
    number = number_of(value)
    return options[number - 1] if number is not None and 1 <= number <= len(options) else ""


def number_of(value: object) -> int | None:
    """The option number a stored value names (its text), or None."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
