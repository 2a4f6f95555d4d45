from __future__ import annotations

from django.contrib import admin

from paradewi.training.models import Scenario


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin[Scenario]):
    """The Dinas edits the scenarios: the case told, the return and its reason."""

    list_display = ("title", "service", "return_requirement", "is_active", "order")
    list_filter = ("is_active", "service")
    search_fields = ("title", "code")
    ordering = ("order", "code")
