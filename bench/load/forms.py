"""What a village officer types into a new request (the load test and bench.profile)."""

from __future__ import annotations

import random
from datetime import date, timedelta

FIRST_NAMES = ["Slamet", "Siti", "Agus", "Sri", "Budi", "Dewi", "Joko", "Wahyu", "Rina", "Eko"]


def person_data(village_code: str, rng: random.Random) -> dict[str, str]:
    """The form of a new request: a valid NIK matching sex and birth date, a KK number."""
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 40))
    woman = rng.random() < 0.5
    region = village_code.replace(".", "")[:6]
    day = birth.day + 40 if woman else birth.day
    nik = f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{rng.randrange(1, 10000):04d}"
    kk = f"{region}0101{rng.randrange(10, 24):02d}{rng.randrange(1, 10000):04d}"
    return {
        "subject_nik": nik,
        "subject_kk": kk,
        "subject_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(FIRST_NAMES)}wati"
        if woman
        else f"{rng.choice(FIRST_NAMES)} {rng.choice(FIRST_NAMES)}",
        "subject_sex": "P" if woman else "L",
        "subject_birth_place": "Mojokerto",
        "subject_birth_date": birth.isoformat(),
        "reporter_relationship": "self",
        "reporter_nik": "",
        "reporter_name": "",
        "reporter_phone": f"0812{rng.randrange(10**7, 10**8)}",
        "changes": "element",
        "description": "Perubahan pekerjaan",
    }
