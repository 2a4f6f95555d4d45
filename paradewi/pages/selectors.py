"""What each role's home page shows: what waits for this user in their area."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from paradewi.accounts.models import Role, User
from paradewi.accounts.policy import ACCOUNT_LISTERS
from paradewi.catalogue.selectors import offered_services
from paradewi.notifications.selectors import home_announcements
from paradewi.regions.codes import code_within_q
from paradewi.regions.models import Region
from paradewi.regions.selectors import area_overview, villages_of
from paradewi.reports.scope import scope_for
from paradewi.reports.selectors import glance
from paradewi.reports.services import refreshed_at
from paradewi.requests.selectors import home


def _without_officer(area: Region) -> QuerySet[Region]:
    return (
        villages_of(area)
        .annotate(
            officer_count=Count(
                "users",
                filter=Q(users__is_active=True, users__role=Role.VILLAGE_OFFICER),
            )
        )
        .filter(officer_count=0)
    )


def villages_without_officer(area: Region) -> list[Region]:
    """Active villages in the area that have no active village officer yet."""
    return list(_without_officer(area).order_by("code"))


def without_officer_by_district(area: Region) -> list[tuple[Region, list[Region]]]:
    """The villages without an officer, per kecamatan in code order (one query)."""
    grouped: dict[int, tuple[Region, list[Region]]] = {}
    for village in _without_officer(area).order_by("code"):
        district = village.parent
        assert district is not None  # noqa: S101 - a village lies in a kecamatan
        grouped.setdefault(district.pk, (district, []))[1].append(village)
    return list(grouped.values())


def accounts_by_role(area: Region) -> list[dict[str, Any]]:
    counts = dict(
        User.objects.filter(is_active=True)
        .filter(code_within_q("area__code", area.code))
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return [{"role": role, "count": counts.get(role.value, 0)} for role in Role]


def home_context(user: User) -> dict[str, Any]:
    # Unread announcements and the menu's count (read together with the user's area).
    announcements = home_announcements(user)
    area = user.area
    assert area is not None  # noqa: S101 - guaranteed by role_required
    context: dict[str, Any] = {"area": area, **announcements}
    if user.role == Role.VILLAGE_OFFICER:
        context["services"] = offered_services()
        context.update(home.village_home(user))
    elif user.role == Role.DISTRICT_OPERATOR:
        context["villages"] = area_overview(area)
        context["missing"] = villages_without_officer(area)
        context.update(home.district_home(user))
    elif user.role == Role.DINAS_CLERK:
        context["services"] = offered_services()
        context.update(home.clerk_home(user))
    else:  # Dinas head, leadership viewer, administrator: the whole regency
        if user.role == Role.DINAS_HEAD:
            # The head oversees the Dinas queues; the viewer and the administrator handle no
            # request and see no personal data, so they get only the regency figures.
            context.update(home.head_home(user))
        if user.role == Role.VIEWER:
            # The leadership: how the service goes (no personal data), not the accounts.
            context["refreshed_at"] = refreshed_at()
            context["glance"] = glance(scope_for(user), timezone.localdate())
        else:
            context["districts"] = area_overview(area)
            context["accounts"] = accounts_by_role(area)
        if user.role in ACCOUNT_LISTERS:
            # A count and a link: the list of a regency's villages is a page of its own.
            context["missing_count"] = _without_officer(area).count()
        context["village_count"] = villages_of(area).count()
    return context
