"""The people of a family known from earlier requests: picked on a new request, not typed again.

A birth request names the child's KK, the mother, the father and the reporter (usually one of
the parents): 64 digits of NIK and KK typed on a phone. Their NIKs were typed before, on earlier
requests of the same KK in the same village (the subject, the reporter, the parents of an older
child, the groom and the bride), and are read back from there: only from requests the user may
see, and only of the village the new request is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from paradewi.accounts.models import User
from paradewi.core.crypto import blind_index
from paradewi.core.fields import KK
from paradewi.core.masking import mask_nik
from paradewi.requests.selectors.access import visible_requests
from paradewi.requests.validators import parse_nik

# The newest requests of the KK read for it (a family has a handful).
REQUESTS_READ = 20
# The details' keys that hold a person's NIK, and where the person's name is kept.
_DETAIL_PEOPLE = (
    ("mother_nik", None),
    ("father_nik", None),
    ("groom_nik", "groom_name"),
    ("bride_nik", "bride_name"),
)


@dataclass
class KnownPerson:
    """Someone of the family with a valid NIK; sex and date of birth are read from the NIK."""

    nik: str
    name: str
    sex: str
    birth_date: date
    # The mobile number given when the person reported an earlier request ("" if none).
    phone: str = ""

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)


def _add(people: dict[str, KnownPerson], nik: Any, name: Any, phone: str = "") -> None:
    if not isinstance(nik, str) or not nik:
        return
    try:
        info = parse_nik(nik)
    except ValidationError:
        return
    name = name.strip() if isinstance(name, str) else ""
    known = people.get(info.nik)
    if known is None:
        people[info.nik] = KnownPerson(info.nik, name, info.sex, info.birth_date, phone)
        return
    known.name = known.name or name
    known.phone = known.phone or phone


def people_of_kk(user: User, village_id: int, kk: str) -> list[KnownPerson]:
    """The people with a NIK named on earlier requests of this KK in this village, the oldest
    first (the parents before the children); newer requests name them first."""
    requests = (
        visible_requests(user)
        .filter(village_id=village_id, subject_kk_index=blind_index(kk, purpose=KK))
        .only(
            "subject_nik",
            "subject_name",
            "reporter_nik",
            "reporter_name",
            "reporter_phone",
            "details",
        )
        .order_by("-created_at")[:REQUESTS_READ]
    )
    people: dict[str, KnownPerson] = {}
    for request in requests:
        _add(people, request.subject_nik, request.subject_name)
        _add(people, request.reporter_nik, request.reporter_name, request.reporter_phone)
        details = request.details or {}
        for nik_key, name_key in _DETAIL_PEOPLE:
            _add(people, details.get(nik_key), details.get(name_key) if name_key else "")
    return sorted(people.values(), key=lambda person: (person.birth_date, person.name))
