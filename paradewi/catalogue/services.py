"""Writes to the service catalogue. Every change ends in a new immutable ServiceVersion."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from paradewi.accounts.models import User
from paradewi.catalogue.models import Service, ServiceVersion


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
            {
                "code": requirement.code,
                "name": requirement.name,
                "hint": requirement.hint,
                "form_code": requirement.form_code,
                "alternative_group": requirement.alternative_group,
                "alternative_option": requirement.alternative_option,
                "condition": requirement.condition,
            }
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
