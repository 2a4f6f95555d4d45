"""Writes to the service catalogue. Every change ends in a new immutable ServiceVersion."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from paradewi.accounts.models import User
from paradewi.catalogue.models import (
    FORM_CODE_RE,
    REASON_RE,
    Condition,
    OutputDocument,
    Requirement,
    Service,
    ServiceVersion,
    TargetUnit,
)


def _requirement_definition(requirement: Requirement) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "code": requirement.code,
        "name": requirement.name,
        "hint": requirement.hint,
        "form_code": requirement.form_code,
        "alternative_group": requirement.alternative_group,
        "alternative_option": requirement.alternative_option,
        "condition": requirement.condition,
    }
    # Only when set, so a requirement without reasons keeps the definition it always had
    # (and publishing does not make a version that differs in nothing else).
    if requirement.reason_list:
        definition["reasons"] = requirement.reason_list
    return definition


def service_definition(service: Service) -> dict[str, Any]:
    """Everything a request needs to know about its service, as plain JSON."""
    return {
        "code": service.code,
        "name": service.name,
        "description": service.description,
        "target": {"amount": service.target_amount, "unit": service.target_unit},
        "district_step": service.district_step,
        "reporting_limit_days": service.reporting_limit_days,
        "legal_basis": service.legal_basis,
        "requirements": [
            _requirement_definition(requirement)
            for requirement in service.requirements.order_by("position", "pk")
        ],
        "outputs": [
            {"code": output.code, "name": output.name, "is_card": output.is_card}
            for output in service.outputs.order_by("position", "pk")
        ],
    }


@transaction.atomic
def service_publish(*, service: Service, by: User | None = None) -> ServiceVersion:
    """Snapshot the service as a new version, unless nothing changed since the last one.

    Call after the service, its requirements and its outputs are saved. The service row is
    locked so two administrators saving at once cannot create the same version number.
    """
    Service.objects.select_for_update().filter(pk=service.pk).first()
    definition = service_definition(service)
    latest = service.versions.order_by("-number").first()
    if latest is not None and latest.definition == definition:
        return latest
    return ServiceVersion.objects.create(
        service=service,
        number=(latest.number + 1) if latest else 1,
        definition=definition,
        created_by=by,
    )


# --- Loading the catalogue file ----------------------------------------------------------------

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "services.toml"
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

SERVICE_KEYS = frozenset(
    {
        "code",
        "name",
        "description",
        "target_amount",
        "target_unit",
        "district_step",
        "reporting_limit_days",
        "legal_basis",
        "requirements",
        "outputs",
    }
)
REQUIREMENT_KEYS = frozenset(
    {
        "code",
        "name",
        "hint",
        "form_code",
        "alternative_group",
        "alternative_option",
        "condition",
        "reasons",
    }
)
OUTPUT_KEYS = frozenset({"code", "name", "is_card"})


class CatalogueDataError(Exception):
    """The catalogue file cannot be loaded; the message names the service and the field."""


@dataclass(frozen=True)
class RequirementEntry:
    code: str
    name: str
    hint: str
    form_code: str
    alternative_group: str
    alternative_option: str
    condition: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutputEntry:
    code: str
    name: str
    is_card: bool


@dataclass(frozen=True)
class ServiceEntry:
    code: str
    name: str
    description: str
    target_amount: int
    target_unit: str
    district_step: bool
    reporting_limit_days: int | None
    legal_basis: str
    requirements: tuple[RequirementEntry, ...]
    outputs: tuple[OutputEntry, ...]


@dataclass
class CatalogueLoadReport:
    """Service codes by what the load did with them."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # existing, left alone without --update


def single_option_groups(rows: Iterable[tuple[str, str]]) -> list[str]:
    """Alternative groups (from (group, option) pairs) that offer fewer than two options.

    A "one of" choice with a single option is a typo: the requirement would silently become
    mandatory.
    """
    options: dict[str, set[str]] = {}
    for group, option in rows:
        if group:
            options.setdefault(group, set()).add(option)
    return sorted(group for group, found in options.items() if len(found) < 2)


def _max_length(model: type[models.Model], name: str) -> int:
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.CharField)  # noqa: S101 - only asked about text
    assert model_field.max_length is not None  # noqa: S101
    return model_field.max_length


class _Table:
    """One TOML table of the catalogue file, read with messages that say where it is."""

    def __init__(self, value: object, where: str, allowed: frozenset[str]) -> None:
        if not isinstance(value, dict):
            raise CatalogueDataError(_("%(where)s: expected a table.") % {"where": where})
        self.value: dict[str, object] = value
        self.where = where
        self.allowed = allowed

    def reject_unknown(self) -> None:
        """Call once `where` names the table by its code: typos must not pass silently."""
        unknown = sorted(set(self.value) - self.allowed)
        if unknown:
            raise CatalogueDataError(
                _("%(where)s: unknown field %(field)s (allowed: %(allowed)s).")
                % {
                    "where": self.where,
                    "field": unknown[0],
                    "allowed": ", ".join(sorted(self.allowed)),
                }
            )

    def fail(self, key: str, problem: str) -> CatalogueDataError:
        return CatalogueDataError(
            _("%(where)s, field %(field)s: %(problem)s")
            % {"where": self.where, "field": key, "problem": problem}
        )

    def text(self, key: str, *, max_length: int | None = None, required: bool = False) -> str:
        value = self.value.get(key, "")
        if not isinstance(value, str):
            raise self.fail(key, _("expected text."))
        value = value.strip()
        if required and not value:
            raise self.fail(key, _("missing; it is required."))
        if max_length is not None and len(value) > max_length:
            raise self.fail(key, _("longer than %(max)d characters.") % {"max": max_length})
        return value

    def slug(self, key: str, *, required: bool = False) -> str:
        value = self.text(key, max_length=40, required=required)
        if value and not SLUG_RE.fullmatch(value):
            raise self.fail(
                key,
                _("%(value)r is not a code (lower-case letters, digits and hyphens).")
                % {"value": value},
            )
        return value

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self.value.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, _("expected true or false."))
        return value

    def positive(self, key: str, *, default: int | None) -> int | None:
        value = self.value.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(key, _("expected a whole number of at least 1."))
        return value

    def choice(self, key: str, choices: list[str], *, default: str) -> str:
        value = self.text(key) or default
        if value not in choices:
            raise self.fail(
                key,
                _("unknown value %(value)r (expected one of: %(choices)s).")
                % {"value": value, "choices": ", ".join(choices)},
            )
        return value

    def codes(self, key: str) -> tuple[str, ...]:
        """A list of reason codes, e.g. reasons = ["marriage", "marriage_unrecorded"]."""
        value = self.value.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, _('expected a list of codes, e.g. ["marriage"].'))
        codes = tuple(item.strip() for item in value)
        for code in codes:
            if not REASON_RE.fullmatch(code):
                raise self.fail(
                    key,
                    _("%(value)r is not a reason code (lower-case letters, digits, - and _).")
                    % {"value": code},
                )
        return codes

    def tables(self, key: str) -> list[object]:
        value = self.value.get(key, [])
        if not isinstance(value, list) or not value:
            raise self.fail(
                key, _("expected at least one [[services.%(key)s]] entry.") % {"key": key}
            )
        return value


def _read_requirement(value: object, index: int, service_where: str) -> RequirementEntry:
    where = _("%(service)s, requirement #%(n)d") % {"service": service_where, "n": index}
    table = _Table(value, where, REQUIREMENT_KEYS)
    code = table.slug("code", required=True)
    table.where = _('%(service)s, requirement "%(code)s"') % {
        "service": service_where,
        "code": code,
    }
    table.reject_unknown()
    entry = RequirementEntry(
        code=code,
        name=table.text("name", max_length=_max_length(Requirement, "name"), required=True),
        hint=table.text("hint", max_length=_max_length(Requirement, "hint")),
        form_code=table.text("form_code"),
        alternative_group=table.slug("alternative_group"),
        alternative_option=table.slug("alternative_option"),
        condition=table.choice("condition", Condition.values, default=Condition.ALWAYS),
        reasons=table.codes("reasons"),
    )
    if entry.form_code and not FORM_CODE_RE.fullmatch(entry.form_code):
        raise table.fail(
            "form_code",
            _("%(value)r is not a form number like F-1.01.") % {"value": entry.form_code},
        )
    if entry.alternative_option and not entry.alternative_group:
        raise table.fail("alternative_group", _("an alternative_option needs a group."))
    if entry.alternative_group and not entry.alternative_option:
        raise table.fail("alternative_option", _("an alternative_group needs an option."))
    return entry


def _read_output(value: object, index: int, service_where: str) -> OutputEntry:
    where = _("%(service)s, output #%(n)d") % {"service": service_where, "n": index}
    table = _Table(value, where, OUTPUT_KEYS)
    code = table.slug("code", required=True)
    table.where = _('%(service)s, output "%(code)s"') % {"service": service_where, "code": code}
    table.reject_unknown()
    return OutputEntry(
        code=code,
        name=table.text("name", max_length=_max_length(OutputDocument, "name"), required=True),
        is_card=table.boolean("is_card", default=False),
    )


def _duplicate(codes: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            return code
        seen.add(code)
    return None


def _read_service(value: object, index: int, prefix: str) -> ServiceEntry:
    table = _Table(
        value, _("%(file)s: service #%(n)d") % {"file": prefix, "n": index}, SERVICE_KEYS
    )
    code = table.slug("code", required=True)
    where = _('%(file)s: service "%(code)s"') % {"file": prefix, "code": code}
    table.where = where
    table.reject_unknown()
    requirements = tuple(
        _read_requirement(item, number, where)
        for number, item in enumerate(table.tables("requirements"), start=1)
    )
    outputs = tuple(
        _read_output(item, number, where)
        for number, item in enumerate(table.tables("outputs"), start=1)
    )
    entry = ServiceEntry(
        code=code,
        name=table.text("name", max_length=_max_length(Service, "name"), required=True),
        description=table.text("description"),
        target_amount=table.positive("target_amount", default=1) or 1,
        target_unit=table.choice("target_unit", TargetUnit.values, default=TargetUnit.DAYS),
        district_step=table.boolean("district_step", default=True),
        reporting_limit_days=table.positive("reporting_limit_days", default=None),
        legal_basis=table.text("legal_basis", max_length=_max_length(Service, "legal_basis")),
        requirements=requirements,
        outputs=outputs,
    )
    duplicate = _duplicate(requirement.code for requirement in requirements)
    if duplicate:
        raise table.fail(
            "requirements", _("the code %(code)r is used twice.") % {"code": duplicate}
        )
    duplicate = _duplicate(output.code for output in outputs)
    if duplicate:
        raise table.fail("outputs", _("the code %(code)r is used twice.") % {"code": duplicate})
    lonely = single_option_groups((r.alternative_group, r.alternative_option) for r in requirements)
    if lonely:
        raise table.fail(
            "alternative_group",
            _("the group %(group)r has only one option; a choice needs at least two.")
            % {"group": lonely[0]},
        )
    return entry


def catalogue_read(path: Path = DEFAULT_PATH) -> list[ServiceEntry]:
    """Parse and check the catalogue file completely, before anything is written."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise CatalogueDataError(
            _("The catalogue file %(path)s does not exist.") % {"path": path}
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise CatalogueDataError(
            _("%(file)s is not valid TOML: %(error)s") % {"file": path.name, "error": error}
        ) from None
    unknown = sorted(set(data) - {"services"})
    if unknown:
        raise CatalogueDataError(
            _("%(file)s: unknown top-level field %(field)s (only [[services]] is allowed).")
            % {"file": path.name, "field": unknown[0]}
        )
    services = data.get("services")
    if not isinstance(services, list) or not services:
        raise CatalogueDataError(
            _("%(file)s: there is no [[services]] entry.") % {"file": path.name}
        )
    entries = [
        _read_service(value, index, path.name) for index, value in enumerate(services, start=1)
    ]
    duplicate = _duplicate(entry.code for entry in entries)
    if duplicate:
        raise CatalogueDataError(
            _('%(file)s: service "%(code)s", field code: the code is used by two services.')
            % {"file": path.name, "code": duplicate}
        )
    return entries


def _full_clean(instance: models.Model, where: str) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise CatalogueDataError(f"{where}: {problems}") from None


def _service_write(service: Service, entry: ServiceEntry, *, position: int) -> None:
    """Make the service, its requirements and its outputs say what the entry says.

    Rows are matched by code, so requirements and outputs keep their ids across updates.
    """
    where = f'service "{entry.code}"'
    service.code = entry.code
    service.name = entry.name
    service.description = entry.description
    service.target_amount = entry.target_amount
    service.target_unit = entry.target_unit
    service.district_step = entry.district_step
    service.reporting_limit_days = entry.reporting_limit_days
    service.legal_basis = entry.legal_basis
    service.position = position
    _full_clean(service, where)
    service.save()

    service.requirements.exclude(code__in=[r.code for r in entry.requirements]).delete()
    requirements = {requirement.code: requirement for requirement in service.requirements.all()}
    for number, data in enumerate(entry.requirements, start=1):
        requirement = requirements.get(data.code) or Requirement(service=service, code=data.code)
        requirement.name = data.name
        requirement.hint = data.hint
        requirement.form_code = data.form_code
        requirement.alternative_group = data.alternative_group
        requirement.alternative_option = data.alternative_option
        requirement.condition = data.condition
        requirement.reasons = ", ".join(data.reasons)
        requirement.position = number * 10
        _full_clean(requirement, f'{where}, requirement "{data.code}"')
        requirement.save()

    service.outputs.exclude(code__in=[o.code for o in entry.outputs]).delete()
    outputs = {output.code: output for output in service.outputs.all()}
    for number, output_entry in enumerate(entry.outputs, start=1):
        output = outputs.get(output_entry.code) or OutputDocument(
            service=service, code=output_entry.code
        )
        output.name = output_entry.name
        output.is_card = output_entry.is_card
        output.position = number * 10
        _full_clean(output, f'{where}, output "{output_entry.code}"')
        output.save()


def _edited_since_loaded(service: Service, latest: ServiceVersion | None) -> bool:
    """Whether an administrator changed the service since the catalogue file last wrote it.

    The loader publishes without a user; the admin publishes with one. A service is the
    file's own when its newest version was published by the loader and its rows still say
    what that version says (a change saved outside the admin, never published, also counts
    as an edit).
    """
    if latest is None:
        return True
    return latest.created_by_id is not None or latest.definition != service_definition(service)


@transaction.atomic
def catalogue_load(*, path: Path = DEFAULT_PATH, update: bool = False) -> CatalogueLoadReport:
    """Create the services of the catalogue file that do not exist yet, and bring the ones the
    file wrote up to date with it (idempotent).

    A service an administrator edited is what the administrator made of it and is kept,
    unless `update` asks to rewrite it from the file. So a new release of the file (a rule
    changed by a regulation) reaches an existing install by running the command again,
    without undoing local edits. Every created or changed service is published as a new
    version; requests keep the version they started with. The whole file is checked first and
    the load is one transaction: a bad file writes nothing.
    """
    entries = catalogue_read(path)
    report = CatalogueLoadReport()
    existing = Service.objects.in_bulk([entry.code for entry in entries], field_name="code")
    for index, entry in enumerate(entries, start=1):
        service = existing.get(entry.code)
        if service is None:
            service = Service()
            _service_write(service, entry, position=index * 10)
            service_publish(service=service)
            report.created.append(entry.code)
            continue
        previous = service.versions.order_by("-number").first()
        if not update and _edited_since_loaded(service, previous):
            if previous is None:
                # Never published (made outside the admin): give it its first version as it is.
                service_publish(service=service)
            report.kept.append(entry.code)
            continue
        _service_write(service, entry, position=index * 10)
        version = service_publish(service=service)
        if previous is not None and version.pk == previous.pk:
            report.unchanged.append(entry.code)
        else:
            report.updated.append(entry.code)
    return report
