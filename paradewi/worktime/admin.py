from __future__ import annotations

from django.contrib import admin

from paradewi.worktime.models import Closure


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin[Closure]):
    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]
