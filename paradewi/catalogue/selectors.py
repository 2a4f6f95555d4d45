from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from paradewi.catalogue.models import OutputDocument, Requirement, Service, ServiceVersion


def offered_services() -> QuerySet[Service]:
    """Services a village can request today, with requirements and outputs in two queries."""
    return Service.objects.filter(is_active=True).prefetch_related(
        Prefetch("requirements", queryset=Requirement.objects.order_by("position", "pk")),
        Prefetch("outputs", queryset=OutputDocument.objects.order_by("position", "pk")),
    )


def current_version(service: Service) -> ServiceVersion | None:
    """The newest snapshot: the one a new request is created under."""
    return service.versions.order_by("-number").first()


@dataclass(frozen=True)
class RequirementItem:
    """One line of a requirement list: a single upload, or a "one of" choice.

    For a choice, `options` holds each alternative as the uploads it consists of (an SPTJM
    together with the witnesses' KTP-el is one option).
    """

    requirement: Requirement | None = None
    options: tuple[tuple[Requirement, ...], ...] = ()


def requirement_items(requirements: Iterable[Requirement]) -> list[RequirementItem]:
    """Group alternatives together, at the place where their group first appears."""
    order: list[Requirement | str] = []
    groups: dict[str, dict[str, list[Requirement]]] = {}
    for requirement in requirements:
        group = requirement.alternative_group
        if not group:
            order.append(requirement)
            continue
        if group not in groups:
            groups[group] = {}
            order.append(group)
        groups[group].setdefault(requirement.alternative_option, []).append(requirement)
    return [
        RequirementItem(requirement=entry)
        if isinstance(entry, Requirement)
        else RequirementItem(options=tuple(tuple(option) for option in groups[entry].values()))
        for entry in order
    ]


@dataclass(frozen=True)
class ServiceSummary:
    service: Service
    requirements: list[RequirementItem]


def offered_service_summaries() -> list[ServiceSummary]:
    """The public catalogue: offered services with their alternatives grouped (three queries)."""
    return [
        ServiceSummary(service=service, requirements=requirement_items(service.requirements.all()))
        for service in offered_services()
    ]
