from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paradewi.accounts.access import (
    active_user,
    get_region_for_user,
    role_required,
    visible_users,
)
from paradewi.accounts.policy import OFFICER_CONTACT_READERS
from paradewi.regions.models import Region
from paradewi.regions.selectors import area_overview


@role_required()
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An area inside the user's own: its sub-areas and, for those who may, its officers."""
    region = get_region_for_user(request.user, code)
    officers = None
    actor = active_user(request.user)
    if actor is not None and actor.role in OFFICER_CONTACT_READERS:
        officers = (
            visible_users(request.user)
            .filter(area=region, is_active=True)
            .order_by("full_name")
            .only("full_name", "role", "phone", "email")
        )
    children = area_overview(region) if region.level != Region.Level.VILLAGE else []
    return render(
        request,
        "regions/area_detail.html",
        {"region": region, "children": children, "officers": officers},
    )
