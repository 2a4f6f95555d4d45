"""The service's own data of a request: which detail form each service uses, and what it stores.

`ServiceRequest.details` is the detail form's cleaned data as JSON (dates as ISO strings,
times as "HH:MM", a kabupaten/kota as its name plus `<field>_code`). The keys the requirement
checklist reads (requirements.py) come from these forms:

- kk-hilang-rusak, ktp-el-cetak-ulang: `reason` ("lost" | "damaged" | "change")
- kk-baru: `reason` ("marriage" | "marriage_unrecorded" | "divorce" | "divorce_unrecorded" |
  "head_died" | "split": Permendagri 108/2019 Pasal 10), `moved_in`
- akta-kelahiran: `reason` ("parents_known" | "unknown_origin"), the parents' NIKs
- kk-perubahan: `changes` (list), `element_change` (derived: "element" in changes)
- akta-perkawinan: `groom_birth_date`, `bride_birth_date`, `married_before`
- kia: none (the subject's own date of birth decides the photo)

The rules per service are in the docstring of forms.py. The legal reporting limit of a
service (births 60 days, deaths 30, ...) counts from the event date named in EVENT_DATES; a
request past it only gets a warning (the late-registration procedure), never an error.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from paradewi.requests.forms import (
    ArrivalForm,
    BiodataChangeForm,
    BirthForm,
    ChildCardForm,
    DeathForm,
    DetailForm,
    DivorceForm,
    FamilyCardChangeForm,
    LostDamagedForm,
    MarriageForm,
    MoveForm,
    NewFamilyCardForm,
    PersonForm,
    ReprintForm,
)
from paradewi.requests.models import ServiceRequest

DETAIL_FORMS: dict[str, type[DetailForm]] = {
    "kk-baru": NewFamilyCardForm,
    "kk-perubahan": FamilyCardChangeForm,
    "kk-hilang-rusak": LostDamagedForm,
    "ktp-el-cetak-ulang": ReprintForm,
    "kia": ChildCardForm,
    "pindah": MoveForm,
    "kedatangan": ArrivalForm,
    "perubahan-biodata": BiodataChangeForm,
    "akta-kelahiran": BirthForm,
    "akta-kematian": DeathForm,
    "akta-perkawinan": MarriageForm,
    "akta-perceraian": DivorceForm,
}

# Where the date of the event a reporting limit counts from is found.
EVENT_DATES: dict[str, str] = {
    "akta-kelahiran": "subject_birth_date",
    "akta-kematian": "death_date",
    "akta-perkawinan": "marriage_date",
    "akta-perceraian": "decision_date",
}


def detail_form_class(service_code: str) -> type[DetailForm]:
    """The detail form of a service; a service added later without one gets no fields."""
    return DETAIL_FORMS.get(service_code, DetailForm)


def details_from_form(form: DetailForm) -> dict[str, Any]:
    """What a valid detail form stores in ServiceRequest.details."""
    return form.to_details()


def detail_initial(service_code: str, details: dict[str, Any]) -> dict[str, Any]:
    return detail_form_class(service_code).initial_from(details or {})


def person_initial(request: ServiceRequest) -> dict[str, Any]:
    """The person form's initial values from a request (to edit it, or to pre-fill a new one)."""
    return {name: getattr(request, name) for name in PersonForm.base_fields}


def event_date(request: ServiceRequest) -> date | None:
    field = EVENT_DATES.get(request.service.code)
    if field is None:
        return None
    if field.startswith("subject_"):
        value: date | None = getattr(request, field)
        return value
    raw = (request.details or {}).get(field)
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def late_warning(request: ServiceRequest, today: date | None = None) -> str:
    """A warning when the event is reported after the legal limit; "" otherwise.

    The limit counts to the day the request was submitted (today for a draft).
    """
    limit = request.definition.get("reporting_limit_days")
    happened = event_date(request)
    if not limit or happened is None:
        return ""
    reported = (
        timezone.localdate(request.submitted_at)
        if request.submitted_at
        else (today or timezone.localdate())
    )
    days = (reported - happened).days
    if days <= limit:
        return ""
    return _(
        "Reported %(days)d days after the event, beyond the legal limit of %(limit)d days: "
        "the late-registration procedure applies."
    ) % {"days": days, "limit": limit}


def details_display(request: ServiceRequest) -> list[tuple[str, str]]:
    """The service's own data as (label, value) pairs in the detail form's order and wording.

    Choices show their label, dates are formatted, yes/no is spelled out; keys that no form
    field names (derived values such as `element_change`) are left out.
    """
    details = request.details or {}
    rows: list[tuple[str, str]] = []
    for name, field in detail_form_class(request.service.code).base_fields.items():
        if name not in details or details[name] in (None, "", []):
            continue
        value = details[name]
        choices = dict(getattr(field, "choices", None) or [])
        if isinstance(value, list):
            shown = ", ".join(str(choices.get(item, item)) for item in value)
        elif isinstance(value, bool):
            shown = str(_("yes") if value else _("no"))
        elif choices and value in choices:
            shown = str(choices[value])
        elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                shown = date_format(date.fromisoformat(value))
            except ValueError:
                shown = value
        else:
            shown = str(value)
        rows.append((str(field.label), shown))
    return rows
