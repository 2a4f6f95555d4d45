from __future__ import annotations

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
