"""What each role's home page shows: what waits for this user in their area."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from paradewi.accounts.models import Role, User
from paradewi.catalogue.selectors import offered_services
from paradewi.notifications.selectors import home_announcements
from paradewi.regions.codes import code_within_q
from paradewi.regions.models import Region
from paradewi.regions.selectors import area_overview, villages_of
from paradewi.requests.selectors import home


def villages_without_officer(area: Region) -> list[Region]:
    """Active villages in the area that have no active village officer yet."""
    return list(
        villages_of(area)
        .annotate(
            officer_count=Count(
                "users",
                filter=Q(users__is_active=True, users__role=Role.VILLAGE_OFFICER),
            )
        )
        .filter(officer_count=0)
        .order_by("code")
    )


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
        context["districts"] = area_overview(area)
        context["missing"] = villages_without_officer(area)
        context["village_count"] = villages_of(area).count()
        context["accounts"] = accounts_by_role(area)
    return context
