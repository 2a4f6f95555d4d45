"""The administrator keeps the calendar: closed and re-opened days, and the office hours.

Saving records who changed it (`changed_by`), so the history rows that move running
requests' due times name the administrator."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from paradewi.worktime.models import Closure, OfficeSchedule, OfficeWindow

RECOMPUTE_SCHEDULED = _(
    "The calendar changed: the due times of running requests and the reports' figures are "
    "recomputed in the background, usually within a few minutes. Each due time moved appears "
    "in its request's history."
)


def _tell_scheduled(request: HttpRequest) -> None:
    """The recomputation runs in the worker, not in this page: say so, once per page."""
    if not getattr(request, "_recompute_told", False):
        messages.info(request, RECOMPUTE_SCHEDULED)
        request._recompute_told = True  # type: ignore[attr-defined]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin[Closure]):
    list_display = ["date", "name", "opened"]
    list_filter = ["opened"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request: HttpRequest, obj: Closure, form: Any, change: bool) -> None:
        obj.changed_by = request.user  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)
        _tell_scheduled(request)

    def delete_model(self, request: HttpRequest, obj: Closure) -> None:
        obj.changed_by = request.user  # type: ignore[attr-defined]
        super().delete_model(request, obj)
        _tell_scheduled(request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Closure]) -> None:
        for obj in queryset:  # one by one: each sends its signal
            self.delete_model(request, obj)


class WindowFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    def save_new(self, form: Any, commit: bool = True) -> Any:
        form.instance.changed_by = getattr(self, "changed_by", None)
        return super().save_new(form, commit)


class OfficeWindowInline(admin.TabularInline[OfficeWindow, OfficeSchedule]):
    model = OfficeWindow
    formset = WindowFormSet
    extra = 0
    verbose_name_plural = _(
        "Working windows (leave empty for the Perpres 21/2023 hours of the kind; two windows "
        "on a day make a break between them)"
    )


@admin.register(OfficeSchedule)
class OfficeScheduleAdmin(admin.ModelAdmin[OfficeSchedule]):
    list_display = ["name", "kind", "starts", "ends"]
    list_filter = ["kind"]
    inlines = [OfficeWindowInline]

    def save_model(
        self, request: HttpRequest, obj: OfficeSchedule, form: Any, change: bool
    ) -> None:
        obj.changed_by = request.user  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)
        _tell_scheduled(request)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.changed_by = request.user
        for window_form in formset.forms:
            window_form.instance.changed_by = request.user
        super().save_formset(request, form, formset, change)

    def delete_model(self, request: HttpRequest, obj: OfficeSchedule) -> None:
        obj.changed_by = request.user  # type: ignore[attr-defined]
        super().delete_model(request, obj)
        _tell_scheduled(request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OfficeSchedule]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
