from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from paradewi.accounts.forms import OfficerImportForm, UserAdminChangeForm, UserAdminCreationForm
from paradewi.accounts.imports import COLUMNS, ImportReport, template_csv
from paradewi.accounts.models import Role, User
from paradewi.accounts.services import officers_import, password_set_links_send, user_sync_staff
from paradewi.accounts.two_factor import two_factor_remove
from paradewi.regions.codes import code_within_q
from paradewi.regions.models import Region


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    """Accounts: one role and one area each; is_staff follows the role (see user_sync_staff)."""

    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    change_list_template = "admin/accounts/user/change_list.html"
    list_display = ["username", "full_name", "role", "area", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["area"]
    search_fields = ["username", "full_name", "email", "phone", "area__code", "area__name"]
    ordering = ["username"]
    autocomplete_fields = ["area"]
    readonly_fields = ["is_staff", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Person"), {"fields": ("full_name", "email", "phone")}),
        (gettext_lazy("Role and area"), {"fields": ("role", "area")}),
        (
            gettext_lazy("Status"),
            {"fields": ("is_active", "is_staff", "last_login", "date_joined")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (gettext_lazy("Person"), {"fields": ("full_name", "email", "phone")}),
        (gettext_lazy("Role and area"), {"fields": ("role", "area")}),
    )
    actions = ["send_password_set_links", "reset_two_factor"]

    def save_model(
        self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool
    ) -> None:
        # The form has already run the model's clean() (role and area fit together).
        user_sync_staff(obj)
        super().save_model(request, obj, form, change)

    @admin.action(
        description=gettext_lazy("E-mail a link to choose a password"), permissions=["change"]
    )
    def send_password_set_links(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        sent = password_set_links_send(users=queryset, site_url=_site_url(request))
        self.message_user(
            request,
            ngettext(
                "%(count)d link sent (accounts without an e-mail address were left out).",
                "%(count)d links sent (accounts without an e-mail address were left out).",
                sent,
            )
            % {"count": sent},
        )

    @admin.action(
        description=gettext_lazy("Reset two-factor authentication (lost phone)"),
        permissions=["change"],
    )
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Delete the users' authenticator apps and recovery codes and end their sessions.

        Their next login asks them to enrol again (required roles) or logs them in with the
        password alone (others). Recorded in each user's admin history.
        """
        actor = request.user
        if not isinstance(actor, User):
            raise PermissionDenied
        users = list(queryset)
        for user in users:
            two_factor_remove(
                user=user,
                by=actor,
                reason=_("Two-factor authentication reset by %(admin)s.")
                % {"admin": actor.username},
            )
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)d account.",
                "Two-factor authentication reset for %(count)d accounts.",
                len(users),
            )
            % {"count": len(users)},
        )

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{name}_import",
            ),
            path(
                "import/template.csv",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{name}_import_template",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload the officer spreadsheet; dry run by default; show the per-row report."""
        actor = request.user
        if not isinstance(actor, User) or not self.has_add_permission(request):
            raise PermissionDenied
        report: ImportReport | None = None
        if request.method == "POST":
            form = OfficerImportForm(request.POST, request.FILES)
            if form.is_valid():
                report = officers_import(
                    rows=form.rows,
                    dry_run=form.cleaned_data["dry_run"],
                    skip_bad=form.cleaned_data["skip_bad"],
                    by=actor,
                    site_url=_site_url(request),
                )
        else:
            form = OfficerImportForm()
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import officers"),
            "form": form,
            "report": report,
            "columns": COLUMNS,
            "roles": Role.choices,
        }
        return TemplateResponse(request, "admin/accounts/user/import.html", context)

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        """An example file to fill in: the header and two rows with real codes of the regency."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        village = (
            Region.objects.filter(
                code_within_q("code", settings.REGENCY_CODE),
                level=Region.Level.VILLAGE,
                is_active=True,
            )
            .order_by("code")
            .first()
        )
        village_code = village.code if village else f"{settings.REGENCY_CODE}.01.2001"
        district_code = village_code.rsplit(".", 1)[0]
        examples = [
            [
                "siti.aminah",
                "Siti Aminah",
                "0812 3456 7801",
                "siti.aminah@example.org",
                Role.VILLAGE_OFFICER.value,
                village_code,
            ],
            [
                "budi.santoso",
                "Budi Santoso",
                "0812 3456 7802",
                "",
                Role.DISTRICT_OPERATOR.value,
                district_code,
            ],
        ]
        # The BOM makes Excel open the file as UTF-8.
        response = HttpResponse(
            "\ufeff" + template_csv(examples), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="officers-template.csv"'
        return response
