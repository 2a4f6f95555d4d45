from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from paradewi.complaints.models import ComplaintSettings


@admin.register(ComplaintSettings)
class ComplaintSettingsAdmin(admin.ModelAdmin[ComplaintSettings]):
    """The administrator sets the answer target; complaints themselves are not in the admin
    (they hold personal data, and the administrator sees none)."""

    list_display = ("__str__", "answer_target_days", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ComplaintSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
