"""The administrator edits the catalogue here; every saved change becomes a new version."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Max, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from paradewi.accounts.models import User
from paradewi.catalogue.models import (
    OutputDocument,
    Requirement,
    Service,
    ServiceStandard,
    ServiceVersion,
    StandardTerms,
)
from paradewi.catalogue.selectors import current_version
from paradewi.catalogue.services import service_publish, single_option_groups


class RequirementFormSet(BaseInlineFormSet[Requirement, Service, ModelForm[Requirement]]):
    def clean(self) -> None:
        super().clean()
        rows = [
            (
                form.cleaned_data.get("alternative_group", ""),
                form.cleaned_data.get("alternative_option", ""),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        lonely = single_option_groups(rows)
        if lonely:
            raise ValidationError(
                _(
                    "The alternative group %(group)s has only one option; give it a second "
                    "option or clear the group."
                ),
                params={"group": lonely[0]},
            )


class RequirementInline(admin.TabularInline[Requirement, Service]):
    model = Requirement
    formset = RequirementFormSet
    extra = 0
    fields = (
        "position",
        "code",
        "name",
        "hint",
        "form_code",
        "alternative_group",
        "alternative_option",
        "condition",
        "reasons",
    )


class OutputInline(admin.TabularInline[OutputDocument, Service]):
    model = OutputDocument
    extra = 0
    fields = ("position", "code", "name", "is_card")


def _admin_user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = (
        "code",
        "name",
        "target",
        "district_step",
        "is_active",
        "latest_version",
    )
    list_display_links = ("code", "name")
    list_filter = ("is_active", "district_step")
    search_fields = ("code", "name")
    readonly_fields = ("version_history",)
    inlines = (RequirementInline, OutputInline)
    fieldsets = (
        (None, {"fields": ("code", "name", "description", "position", "is_active")}),
        (
            _("Handling"),
            {
                "fields": (
                    ("target_amount", "target_unit"),
                    "district_step",
                    "reporting_limit_days",
                    "legal_basis",
                )
            },
        ),
        (
            _("Versions"),
            {
                "fields": ("version_history",),
                "description": _(
                    "Saving a change publishes a new version. Requests already submitted "
                    "keep the version they were submitted under."
                ),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Service]:
        return super().get_queryset(request).annotate(latest_version_number=Max("versions__number"))

    @admin.display(description=_("target time"), ordering="target_amount")
    def target(self, obj: Service) -> str:
        return obj.target_display

    @admin.display(description=_("version"), ordering="latest_version_number")
    def latest_version(self, obj: Service) -> int | None:
        number: int | None = getattr(obj, "latest_version_number", None)
        return number

    @admin.display(description=_("versions"))
    def version_history(self, obj: Service) -> SafeString | str:
        if obj.pk is None:
            return gettext("The first version is published when the service is saved.")
        versions = obj.versions.select_related("created_by").order_by("-number")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">v{}</a> · {} · {}</li>',
                (
                    (
                        reverse("admin:catalogue_serviceversion_change", args=[version.pk]),
                        version.number,
                        date_format(localtime(version.created_at), "DATETIME_FORMAT"),
                        version.created_by or gettext("loaded from the catalogue file"),
                    )
                    for version in versions
                ),
            ),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Service | None = None) -> bool:
        # Versions are PROTECTed; a service that was ever published is deactivated instead.
        if obj is not None and obj.versions.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Service], formsets: Any, change: bool
    ) -> None:
        previous = current_version(form.instance) if change else None
        super().save_related(request, form, formsets, change)
        version = service_publish(service=form.instance, by=_admin_user(request))
        if previous is None or version.pk != previous.pk:
            self.message_user(
                request,
                gettext(
                    "Published as version %(number)d. Requests already submitted keep the "
                    "version they were submitted under."
                )
                % {"number": version.number},
            )


@admin.register(ServiceVersion)
class ServiceVersionAdmin(admin.ModelAdmin[ServiceVersion]):
    """Versions are the record of what each request was submitted under: read only."""

    list_display = ("service", "number", "created_at", "created_by")
    list_filter = ("service",)
    list_select_related = ("service", "created_by")
    fields = ("service", "number", "created_at", "created_by", "definition_display")
    readonly_fields = fields

    @admin.display(description=_("definition"))
    def definition_display(self, obj: ServiceVersion) -> SafeString:
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.definition, ensure_ascii=False, indent=2)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ServiceVersion | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ServiceVersion | None = None
    ) -> bool:
        return False


@admin.register(StandardTerms)
class StandardTermsAdmin(admin.ModelAdmin[StandardTerms]):
    """The regency-wide components of the service standard and the maklumat pelayanan
    (PermenPAN-RB 15/2014; UU 25/2009 Pasal 21 and 22): one row, edited, never added or
    deleted. Requirements, time, product and each service's legal basis are edited on the
    service itself."""

    fieldsets = (
        (
            _("Service delivery (published)"),
            {"fields": ("legal_basis", "cost", "complaint_handling")},
        ),
        (
            _("Management"),
            {
                "fields": (
                    "facilities",
                    "staff_competence",
                    "internal_supervision",
                    "staff_count",
                    "service_guarantee",
                    "security_guarantee",
                    "performance_evaluation",
                )
            },
        ),
        (
            _("Maklumat pelayanan"),
            {"fields": ("charter", "signatory_title", "signatory_name", "decree")},
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: StandardTerms | None = None) -> bool:
        return False


@admin.register(ServiceStandard)
class ServiceStandardAdmin(admin.ModelAdmin[ServiceStandard]):
    """A service's own procedure, where it differs from the steps of the workflow."""

    list_display = ("service",)
    list_select_related = ("service",)
    fields = ("service", "procedure", "note")
