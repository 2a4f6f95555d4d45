from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from paradewi.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    """Regions come from the Kemendagri data (`load_regions`); the admin only reads them."""

    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False
