from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q, QuerySet

from paradewi.regions.codes import code_within_q
from paradewi.regions.models import Region

_REGENCY_CACHE_KEY = "regions:deployed-regency"


def deployed_regency() -> Region | None:
    """The kabupaten/kota of this deployment, or None before `load_regions` has run."""
    key = f"{_REGENCY_CACHE_KEY}:{settings.REGENCY_CODE}"
    regency: Region | None = caches["local"].get(key)
    if regency is None:
        regency = Region.objects.filter(code=settings.REGENCY_CODE).first()
        if regency is not None:
            caches["local"].set(key, regency, 300)
    return regency


def forget_deployed_regency() -> None:
    caches["local"].delete(f"{_REGENCY_CACHE_KEY}:{settings.REGENCY_CODE}")


def regions_within(area: Region) -> QuerySet[Region]:
    """The area itself and everything inside it."""
    return Region.objects.filter(code_within_q("code", area.code))


def districts_of(regency: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent=regency, level=Region.Level.DISTRICT, is_active=True)


def villages_of(area: Region) -> QuerySet[Region]:
    """Active desa/kelurahan within a kabupaten or kecamatan, or the village itself."""
    return Region.objects.filter(
        code_within_q("code", area.code),
        level=Region.Level.VILLAGE,
        is_active=True,
    ).select_related("parent")


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code.strip()).first()


def area_overview(area: Region) -> list[Region]:
    """The active areas one level below `area`, each annotated with `officer_count`
    (active accounts bound to it) in one query."""
    from django.db.models import Count

    return list(
        Region.objects.filter(parent=area, is_active=True)
        .annotate(officer_count=Count("users", filter=Q(users__is_active=True)))
        .order_by("code")
    )


def signing_location() -> str:
    """Where the system signs its PDFs: the deployed regency ("Kabupaten Mojokerto")."""
    regency = deployed_regency()
    return regency.name if regency is not None else ""
