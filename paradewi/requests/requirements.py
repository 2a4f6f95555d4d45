"""Which uploads a request needs, given its service version and its own data.

The service version lists requirements with a condition (catalogue.Condition) and optional
"one of" groups. This module evaluates them against the request. Detail forms store the keys
read here in `ServiceRequest.details`:

- `reason`: "lost" | "damaged" | "change" (KK hilang/rusak, KTP-el cetak ulang); the route of
  KK baru (Permendagri 108/2019 Pasal 10) and of akta kelahiran (parents known, or a child of
  unknown origin). A requirement that names `reasons` applies only to those.
- `moved_in`: bool (KK baru: a member moved in from elsewhere)
- `element_change`: bool (KK perubahan data: data elements change)
- `groom_birth_date`, `bride_birth_date`, `marriage_date`: ISO dates (akta perkawinan)
- `married_before`: bool (akta perkawinan: a spouse was married before)
- the subject's birth date (KIA: photo only for children aged 5 to 17)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from paradewi.requests.files import refusal_message
from paradewi.requests.models import ServiceRequest, Upload


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _iso_date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _spouse_ages(details: dict[str, Any], today: date) -> list[int]:
    """The spouses' ages on the day of the marriage.

    UU 1/1974 Pasal 6 ayat (2) (parents' permission under 21) and Pasal 7 as amended by
    UU 16/2019 (court dispensation under 19) speak of the age at which a person marries, so
    the age counts to the marriage date, not to the day the marriage is reported. Without a
    marriage date (an old draft), the report date stands in.
    """
    on = _iso_date(details.get("marriage_date")) or today
    ages = []
    for key in ("groom_birth_date", "bride_birth_date"):
        birth = _iso_date(details.get(key))
        if birth is not None:
            ages.append(age_on(birth, on))
    return ages


def condition_applies(condition: str, request: ServiceRequest, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    details = request.details or {}
    if condition == "if_lost":
        return bool(details.get("reason") == "lost")
    if condition == "if_damaged":
        return bool(details.get("reason") == "damaged")
    if condition == "if_moved_in":
        return bool(details.get("moved_in"))
    if condition == "if_element_change":
        return bool(details.get("element_change") or details.get("reason") == "change")
    if condition == "if_child_5_17":
        birth = request.subject_birth_date
        return birth is not None and 5 <= age_on(birth, today) <= 17
    if condition == "if_under_21":
        return any(age < 21 for age in _spouse_ages(details, today))
    if condition == "if_under_19":
        return any(age < 19 for age in _spouse_ages(details, today))
    if condition == "if_married_before":
        return bool(details.get("married_before"))
    return True  # "always", and any condition this version does not know


# The reason a request has when its details name none: a birth request stored before the birth
# form asked about the parents (or imported without it) is of known parents.
DEFAULT_REASONS: dict[str, str] = {"akta-kelahiran": "parents_known", "akta-kematian": "identified"}


def request_reason(request: ServiceRequest) -> str:
    """The route the request takes: its detail form's `reason`, or the service's default."""
    reason = (request.details or {}).get("reason")
    if isinstance(reason, str) and reason:
        return reason
    return DEFAULT_REASONS.get(str(request.definition.get("code", "")), "")


def requirement_applies(spec: dict[str, Any], request: ServiceRequest) -> bool:
    """Whether one requirement of the service version applies to the request.

    Its condition must hold and, when it names `reasons`, the request's reason must be one of
    them (a route of the service: a KK baru after a marriage needs the buku nikah, after the
    death of the head of the family the akta kematian and the old KK).
    """
    if not condition_applies(spec.get("condition", "always"), request):
        return False
    reasons = spec.get("reasons") or []
    return not reasons or request_reason(request) in reasons


@dataclass
class RequirementState:
    code: str
    name: str
    hint: str
    form_code: str
    condition: str
    group: str
    option: str
    applies: bool
    upload: Upload | None = None

    @property
    def is_alternative(self) -> bool:
        return bool(self.group)

    @property
    def uploaded(self) -> bool:
        """A file is there for it: ready, or still being checked (a damaged one is not)."""
        return self.upload is not None and not self.upload.damaged

    @property
    def refusal(self) -> str:
        """Why the last file sent for it was refused by the full check, or ""."""
        if self.upload is None or not self.upload.damaged:
            return ""
        return refusal_message(self.upload.refusal)


@dataclass
class Checklist:
    """The requirements of one request and what is still missing."""

    items: list[RequirementState]
    missing: list[str] = field(default_factory=list)
    # The requirement each line of `missing` is about (the first option of a group): the edit
    # page links the line to that requirement's upload.
    missing_codes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def missing_links(self) -> list[tuple[str, str]]:
        """(what is missing, the requirement's code) pairs, for links to the uploads."""
        return list(zip(self.missing, self.missing_codes, strict=True))

    def item(self, code: str) -> RequirementState | None:
        return next((item for item in self.items if item.code == code), None)


def checklist(request: ServiceRequest, uploads: list[Upload] | None = None) -> Checklist:
    """Evaluate the request's requirements against its current uploads.

    A plain requirement that applies needs its upload. In a "one of" group, one option (all the
    applying requirements sharing that option) must be complete. Pass `uploads` (the current
    ones) to avoid a query.
    """
    if uploads is None:
        uploads = list(request.uploads.filter(replaced_at__isnull=True))
    current = {upload.requirement_code: upload for upload in uploads}
    items = [
        RequirementState(
            code=spec["code"],
            name=spec["name"],
            hint=spec.get("hint", ""),
            form_code=spec.get("form_code", ""),
            condition=spec.get("condition", "always"),
            group=spec.get("alternative_group", ""),
            option=spec.get("alternative_option", ""),
            applies=requirement_applies(spec, request),
            upload=current.get(spec["code"]),
        )
        for spec in request.definition["requirements"]
    ]
    result = Checklist(items=items)
    groups: dict[str, dict[str, list[RequirementState]]] = {}
    for item in items:
        if not item.applies:
            continue
        if item.group:
            groups.setdefault(item.group, {}).setdefault(item.option, []).append(item)
        elif item.refusal:
            result.missing.append(
                _("Upload “%(name)s” again: %(reason)s")
                % {"name": item.name, "reason": item.refusal}
            )
            result.missing_codes.append(item.code)
        elif not item.uploaded:
            result.missing.append(_("Upload “%(name)s”.") % {"name": item.name})
            result.missing_codes.append(item.code)
    for options in groups.values():
        if not any(all(i.uploaded for i in members) for members in options.values()):
            choices = [" + ".join(i.name for i in members) for members in options.values()]
            result.missing.append(
                _("Upload one of: %(choices)s.") % {"choices": _(" or ").join(choices)}
            )
            result.missing_codes.append(next(iter(options.values()))[0].code)
    # A photo the worker has not checked yet may still turn out damaged: nothing goes on its
    # way before every file sent is known to be readable (seconds, as a rule).
    for item in items:
        if item.upload is not None and item.upload.checking:
            result.missing.append(
                _("“%(name)s” is still being checked. Wait a moment, then submit again.")
                % {"name": item.name}
            )
            result.missing_codes.append(item.code)
    return result
