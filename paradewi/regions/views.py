from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paradewi.accounts.access import (
    get_region_for_user,
    may_see_personal_data,
    role_required,
    visible_users,
)
from paradewi.accounts.models import Role
from paradewi.regions.models import Region
from paradewi.regions.selectors import area_overview


@role_required()
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An area inside the user's own: its sub-areas and, for those who may, its officers."""
    region = get_region_for_user(request.user, code)
    officers = None
    if may_see_personal_data(request.user) or request.user.role == Role.ADMIN:  # type: ignore[union-attr]
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
