"""Invented residents: Javanese and Indonesian names, NIKs, KK numbers and phone numbers.

Numbers follow the real formats (paradewi.requests.validators): 16 digits, the regency code
3516 and the kecamatan, a real date (day + 40 for women in a NIK; the issue date in a KK
number) and a serial other than 0000, so the project's own validators accept them.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from datetime import date

MALE_NAMES = (
    "Agus", "Ahmad", "Andi", "Arif", "Bambang", "Budi", "Dedi", "Dimas", "Eko", "Fajar",
    "Hadi", "Hendra", "Imam", "Joko", "Khoirul", "Muhammad", "Nur", "Rizky", "Slamet",
    "Sugeng", "Supriyadi", "Teguh", "Wahyu", "Yusuf", "Zainal", "Bagus", "Rudi", "Anang",
    "Mochamad", "Sholeh",
)  # fmt: skip
FEMALE_NAMES = (
    "Siti", "Sri", "Dewi", "Ani", "Lilik", "Nur", "Endang", "Rina", "Wahyuni", "Yuliana",
    "Fitri", "Indah", "Lestari", "Puji", "Ratna", "Suliswati", "Tri", "Umi", "Wulan",
    "Aisyah", "Anik", "Dian", "Eka", "Khotimah", "Maria", "Novi", "Putri", "Rahayu", "Sari",
    "Yanti",
)  # fmt: skip
SECOND_NAMES = (
    "Santoso", "Prasetyo", "Hidayat", "Setiawan", "Wibowo", "Susanto", "Rahmawati",
    "Kurniawan", "Saputra", "Purnomo", "Hariyanto", "Sulistyo", "Wijaya", "Aminah",
    "Fauziah", "Maulana", "Nugroho", "Utomo", "Handayani", "Suryani", "Firmansyah",
    "Ramadhan", "Hasanah", "Anwar", "Efendi", "Mukhlis", "Rohmah", "Syaifuddin",
)  # fmt: skip
BIRTH_PLACES = (
    ("Mojokerto", 70), ("Surabaya", 7), ("Sidoarjo", 5), ("Jombang", 5), ("Pasuruan", 3),
    ("Malang", 3), ("Gresik", 2), ("Lamongan", 2), ("Kediri", 2), ("Jakarta", 1),
)  # fmt: skip
PHONE_PREFIXES = ("811", "812", "813", "821", "822", "852", "853", "856", "857", "858",
                  "877", "878", "895", "896", "897", "898", "831", "838")  # fmt: skip


class People:
    """Draws names and numbers from one seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._places = [place for place, _weight in BIRTH_PLACES]
        total = 0
        self._place_weights: list[int] = []
        for _place, weight in BIRTH_PLACES:
            total += weight
            self._place_weights.append(total)

    def name(self, female: bool) -> str:
        rng = self.rng
        first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        if rng.random() < 0.15:
            return first
        return f"{first} {rng.choice(SECOND_NAMES)}"

    def birth_place(self) -> str:
        roll = self.rng.random() * self._place_weights[-1]
        return self._places[bisect_left(self._place_weights, roll)]

    def nik(self, district: str, birth: date, female: bool) -> str:
        """`district` is the six digits of the kecamatan of first registration (3516CC)."""
        day = birth.day + (40 if female else 0)
        serial = 1 + int(self.rng.random() * 9999)
        return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"

    def kk(self, district: str, issued: date) -> str:
        serial = 1 + int(self.rng.random() * 9999)
        return f"{district}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}{serial:04d}"

    def phone(self) -> str:
        digits = 7 if self.rng.random() < 0.5 else 8
        number = 10 ** (digits - 1) + int(self.rng.random() * 9 * 10 ** (digits - 1))
        return f"0{self.rng.choice(PHONE_PREFIXES)}{number}"
