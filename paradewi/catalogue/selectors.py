from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from paradewi.catalogue.models import (
    OutputDocument,
    Requirement,
    Service,
    ServiceStandard,
    ServiceVersion,
    StandardTerms,
)


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


# --- the published service standard ------------------------------------------------------------


def standard_terms() -> StandardTerms:
    """The regency-wide components and the maklumat (one query). The migration creates the
    row; should it be missing, the defaults are shown (nothing is written on a read)."""
    return StandardTerms.objects.filter(pk=1).first() or StandardTerms(pk=1)


def standard_procedure(service: Service) -> list[str]:
    """The steps of the service's procedure: the administrator's, one per line, or else the
    steps the workflow takes for it (docs/design.md, "The request and its workflow")."""
    own: ServiceStandard | None = getattr(service, "standard", None)
    if own is not None and own.procedure.strip():
        return [line.strip() for line in own.procedure.splitlines() if line.strip()]
    cards = [output.name for output in service.outputs.all() if output.is_card]
    steps = [
        "Penduduk membawa persyaratan ke kantor desa/kelurahan (atau kecamatan). Petugas mengisi "
        "data permohonan, mengunggah hasil pindai persyaratan dan mengajukannya; penduduk "
        "menerima bukti pengajuan dengan nomor permohonan dan PIN.",
    ]
    if service.district_step:
        steps.append(
            "Operator kecamatan memeriksa kelengkapan berkas, lalu meneruskannya ke Dinas atau "
            "mengembalikannya ke desa/kelurahan dengan alasan yang jelas."
        )
    steps += [
        "Petugas Dinas memproses permohonan dalam SIAK; bila ada yang kurang, permohonan "
        "dikembalikan dengan alasan per persyaratan dan waktu layanan berhenti sampai "
        "diperbaiki.",
        "Dinas menerbitkan dokumen yang telah ditandatangani dan mengunggahnya ke sistem."
        if not cards
        else "Dinas menerbitkan dokumen; kartu ("
        + ", ".join(cards)
        + ") disiapkan untuk diambil di tempat yang diberitahukan.",
        "Desa/kelurahan mencetak dokumen di kertas A4 (atau menyerahkan kartu) dan mencatat "
        "penyerahannya; penduduk dapat memeriksa keaslian dokumen melalui kode QR dan mengisi "
        "Survei Kepuasan Masyarakat.",
    ]
    return steps


@dataclass(frozen=True)
class PublishedStandard:
    """The standar pelayanan of one service: the catalogue's parts, the procedure and the
    regency-wide components (PermenPAN-RB 15/2014)."""

    service: Service
    requirements: list[RequirementItem]
    procedure: list[str]
    terms: StandardTerms


def published_standard(code: str) -> PublishedStandard:
    """The standard of an offered service by its code (four queries); 404 for any other."""
    service = offered_services().select_related("standard").filter(code=code).first()
    if service is None:
        raise Http404
    return PublishedStandard(
        service=service,
        requirements=requirement_items(service.requirements.all()),
        procedure=standard_procedure(service),
        terms=standard_terms(),
    )
