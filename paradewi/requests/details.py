"""The service's own data of a request: which detail form each service uses, and what it stores.

`ServiceRequest.details` is the detail form's cleaned data as JSON (dates as ISO strings,
times as "HH:MM", a kabupaten/kota as its name plus `<field>_code`). The keys the requirement
checklist reads (requirements.py) come from these forms:

- kk-hilang-rusak, ktp-el-cetak-ulang: `reason` ("lost" | "damaged" | "change")
- kk-baru: `reason` ("marriage" | "marriage_unrecorded" | "divorce" | "divorce_unrecorded" |
  "head_died" | "split": Permendagri 108/2019 Pasal 10), `moved_in`; and what F-1.01 prints:
  `head_name`, `address`, `rt`, `rw`, `postcode`, `members_count` and the applicant's SIAK
  elements (`relationship_in_family`, `religion`, `marital_status`, `education`,
  `occupation`, `blood_type`: the option's number in elements.py, as text); the other
  members in `other_members` (a list of rows of forms.FamilyMemberForm: `name`, `nik`, `sex`,
  `birth_place`, `birth_date`, `relationship`, `religion`, `marital_status`, `education`,
  `occupation`, `blood_type`, `mother_name`, `father_name`)
- akta-kelahiran: `reason` ("parents_known" | "unknown_origin"), the parents' NIKs
- kk-perubahan: `changes` (list), `element_change` (derived: "element" in changes)
- akta-perkawinan: `groom_birth_date`, `bride_birth_date`, `married_before`
- kia: none (the subject's own date of birth decides the photo)

The official forms (documents/official_forms/) print the other keys: F-1.03 those of pindah
(`head_name`, the address, `move_kind`, `kk_status_moving`, `kk_status_staying`,
`planned_date`, the destination with its `destination_rt`, `destination_rw` and
`destination_postcode`, and those who move: `members` (their NIKs, in order), `member_names`
and `member_relationships` (NIK -> SHDK number), made from the form's `movers` rows),
F-2.01 those of the birth (`birth_facility`, `birth_type`, `weight_kg`, `length_cm`, the
parents' `*_nik`, `*_name`, `*_birth_place`) and the witnesses of births, deaths, marriages
(required) and divorces (optional): `witness1_nik`, `witness1_name`, `witness1_kk`, and 2.
Data made outside the pages (the demo, an import) goes through `validated_details`: the same
forms, so a wrong key fails loudly instead of printing an empty section.

The rules per service are in the docstring of forms.py. The legal reporting limit of a
service (births 60 days, deaths 30, ...) counts from the event date named in EVENT_DATES; a
request past it only gets a warning (the late-registration procedure), never an error.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from paradewi.requests import elements
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
    RegencyField,
    ReprintForm,
    data_forms_valid,
)
from paradewi.requests.models import ServiceRequest
from paradewi.requests.selectors.people import KnownPerson

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


class InvalidRequestData(ValueError):
    """Data made outside the pages (the demo, an import) that the pages' forms refuse."""


def _as_form_data(
    form_class: type[forms.Form], values: dict[str, Any], prefix: str = ""
) -> dict[str, Any]:
    """Stored or initial values as a browser would post them to `form_class` (its tables'
    rows too, as their formsets name them)."""
    posted: dict[str, Any] = {}
    for name in form_class.base_fields:
        value = values.get(name)
        key = f"{prefix}{name}"
        if value is None or value is False:
            continue  # an unticked box is not posted
        if value is True:
            posted[key] = "on"
        elif isinstance(value, (date, time)):
            posted[key] = value.isoformat()
        elif isinstance(value, list):
            posted[key] = [str(item) for item in value]
        else:
            posted[key] = str(value)
    for rows in getattr(form_class, "ROWS", ()):
        found = values.get(rows.key) or []
        posted[f"{rows.key}-TOTAL_FORMS"] = str(len(found))
        posted[f"{rows.key}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(found):
            posted.update(_as_form_data(rows.form, row, f"{rows.key}-{index}-"))
    return posted


def stored_keys(service_code: str) -> set[str]:
    """The keys a service's details may hold: its detail form's fields, `<field>_code` of a
    kabupaten/kota, and the derived keys the form adds (DetailForm.DERIVED)."""
    form_class = detail_form_class(service_code)
    keys = set(form_class.base_fields) | set(form_class.DERIVED)
    keys |= {rows.key for rows in form_class.ROWS}
    keys |= {
        f"{name}_code"
        for name, field in form_class.base_fields.items()
        if isinstance(field, RegencyField)
    }
    return keys


def validated_details(
    service_code: str, person: dict[str, Any], details: dict[str, Any]
) -> dict[str, Any]:
    """Check data made outside the pages (demo, import) with the pages' own forms.

    `person` holds the PersonForm's fields, `details` what ServiceRequest.details would hold.
    Returns the details exactly as a user's input through the same forms stores them; raises
    InvalidRequestData naming every key no form field has and every error the forms find, so
    data with a wrong key ("destination" for "destination_regency") never prints an empty form.
    """
    unknown = set(details) - stored_keys(service_code)
    if unknown:
        raise InvalidRequestData(f"{service_code}: unknown detail keys {sorted(unknown)}")
    form_class = detail_form_class(service_code)
    person_form = PersonForm(_as_form_data(PersonForm, person), service_code=service_code)
    detail_form = form_class(_as_form_data(form_class, form_class.initial_from(details)))
    if not data_forms_valid(person_form, detail_form):
        errors = {**person_form.errors.get_json_data(), **detail_form.errors.get_json_data()}
        problems = {name: [error["message"] for error in found] for name, found in errors.items()}
        raise InvalidRequestData(f"{service_code}: {problems}")
    return details_from_form(detail_form)


def detail_initial(service_code: str, details: dict[str, Any]) -> dict[str, Any]:
    return detail_form_class(service_code).initial_from(details or {})


def member_rows(people: list[KnownPerson]) -> list[dict[str, Any]]:
    """F-1.01 member rows pre-filled with what the system knows of each person: the name
    given on earlier requests, the NIK, and the sex and date of birth the NIK holds."""
    return [
        {
            "name": person.name,
            "nik": person.nik,
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat(),
        }
        for person in people
    ]


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
    form_class = detail_form_class(request.service.code)
    initial = form_class.initial_from(details)
    for table in form_class.ROWS:
        for number, row in enumerate(initial.get(table.key) or [], 1):
            rows.append((f"{table.label} {number}", _row_summary(row)))
    return rows


def _row_summary(row: dict[str, Any]) -> str:
    """One row of a table as one line: name, relationship in the family (SHDK), NIK."""
    parts = [
        str(row.get("name") or ""),
        elements.label_of(elements.SHDK, row.get("relationship")),
        str(row.get("nik") or ""),
    ]
    return " · ".join(part for part in parts if part)
