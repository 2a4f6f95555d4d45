"""Option lists of the forms, numbered as on the real forms.

The lists of the population data elements (golongan darah, status perkawinan, agama,
pendidikan, pekerjaan, SHDK) come from `requests/elements.py`, the one list per element that
the detail forms use too; only what the forms alone print is defined here.
"""

from __future__ import annotations

from paradewi.requests.elements import (
    AGAMA,
    GOLONGAN_DARAH,
    PEKERJAAN,
    PENDIDIKAN,
    SHDK,
    STATUS_PERKAWINAN,
)

__all__ = [
    "AGAMA",
    "GOLONGAN_DARAH",
    "JENIS_KELAMIN",
    "PEKERJAAN",
    "PENDIDIKAN",
    "SEX_OPTION",
    "SHDK",
    "STATUS_PERKAWINAN",
]

JENIS_KELAMIN = ("Laki-laki", "Perempuan")
SEX_OPTION = {"L": 1, "P": 2}
