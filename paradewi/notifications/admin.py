"""The administrator's view of notifications: the outbox (see, filter, retry), the message
templates (edit with a preview) and residents' opt-outs.

Only the administrator role enters these pages. Residents' phone numbers are shown masked and
a message's text is never shown (it holds the resident's first name, the return reasons and a
status link): the administrator handles no request and sees no resident's personal data.
Announcements are not here: the Dinas head publishes them and sees who read them on their own
pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from paradewi.accounts.models import User
from paradewi.accounts.policy import ADMINISTRATORS
from paradewi.core.masking import mask_phone
from paradewi.core.validators import normalize_phone
from paradewi.notifications import delivery, services, texts
from paradewi.notifications.defaults import DEFAULTS
from paradewi.notifications.forms import MessageTemplateForm, OptOutAdminForm
from paradewi.notifications.models import MessageTemplate, OptOut, Outbox, OutboxStatus


def _is_administrator(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and user.is_active and user.role in ADMINISTRATORS


class AdministratorOnly:
    """The administrator role carries these pages' permissions (accounts' RoleBackend covers
    only the apps it lists)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)


@admin.register(Outbox)
class OutboxAdmin(AdministratorOnly, admin.ModelAdmin[Outbox]):
    list_display = [
        "created_at",
        "event",
        "channel",
        "masked_recipient",
        "request_number",
        "status",
        "attempts",
        "next_attempt_at",
        "short_error",
    ]
    list_filter = ["status", "channel", "event", "created_at"]
    list_select_related = ["request"]
    search_fields = ["=request__number"]
    search_help_text = _("Registration number")
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = ["retry"]
    readonly_fields = [
        "id",
        "event",
        "channel",
        "masked_recipient",
        "request_number",
        "language",
        "subject",
        "text_kept_private",
        "status",
        "attempts",
        "next_attempt_at",
        "lease_until",
        "last_error",
        "provider_reference",
        "sent_at",
        "created_at",
        "updated_at",
    ]
    fields = tuple(readonly_fields)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the outbox is a record; the only change is "retry"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj: Outbox) -> str:
        # E-mail goes only to officers' accounts, which the administrator manages; WhatsApp
        # and SMS go to residents.
        return obj.recipient if "@" in obj.recipient else mask_phone(obj.recipient)

    @admin.display(description=_("text"))
    def text_kept_private(self, obj: Outbox) -> str:
        """Never the text: a message holds the resident's name, the return reasons and a link
        to the status page. Its length, to tell an SMS split in parts; the words are the
        message template's, which the administrator edits."""
        return _(
            "Not shown: the text holds personal data (name, reasons, status link). "
            "%(length)d characters; its words come from the message template of this event."
        ) % {"length": len(obj.body)}

    @admin.display(description=_("request"), ordering="request__number")
    def request_number(self, obj: Outbox) -> str:
        return obj.request.number or "" if obj.request else ""

    @admin.display(description=_("reason"))
    def short_error(self, obj: Outbox) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("Send again (failed or not sent)"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Outbox]) -> None:
        ids = list(
            queryset.filter(status__in=(OutboxStatus.FAILED, OutboxStatus.CANCELLED)).values_list(
                "pk", flat=True
            )
        )
        count = delivery.retry(ids)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
        )


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AdministratorOnly, admin.ModelAdmin[MessageTemplate]):
    form = MessageTemplateForm
    list_display = ["event", "channel", "language", "length", "updated_at"]
    list_filter = ["channel", "language", "event"]
    ordering = ["event", "channel", "language"]
    readonly_fields = ["placeholders", "preview"]
    fields = ["event", "channel", "language", "subject", "body", "placeholders", "preview"]
    actions = ["reset"]
    change_form_template = "admin/notifications/messagetemplate/change_form.html"

    @admin.display(description=_("placeholders you may use"))
    def placeholders(self, obj: MessageTemplate) -> str:
        allowed = texts.PLACEHOLDERS.get(obj.event, frozenset()) if obj.pk else frozenset()
        return " ".join(f"{{{name}}}" for name in sorted(allowed)) or "-"

    @admin.display(description=_("length"))
    def length(self, obj: MessageTemplate) -> str:
        if obj.channel != "text":
            return "-"
        result = texts.preview(obj.event, obj.channel, obj.language, obj.subject, obj.body)
        assert result.sms is not None  # noqa: S101 - text templates are measured
        return _("%(count)d characters, %(parts)d SMS") % {
            "count": result.sms.characters,
            "parts": result.sms.parts,
        }

    @admin.display(description=_("preview with sample values"))
    def preview(self, obj: MessageTemplate) -> str:
        if not obj.pk:
            return "-"
        result = texts.preview(obj.event, obj.channel, obj.language, obj.subject, obj.body)
        return f"{result.subject}\n\n{result.body}" if result.subject else result.body

    @admin.action(description=_("Put back the default text"), permissions=["change"])
    def reset(self, request: HttpRequest, queryset: QuerySet[MessageTemplate]) -> None:
        count = 0
        for template in queryset:
            default = DEFAULTS.get((template.event, template.channel), {}).get(template.language)
            if default is not None:
                MessageTemplate.objects.filter(pk=template.pk).update(**default)
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d text put back.", "%(count)d texts put back.", count)
            % {"count": count},
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="notifications_messagetemplate_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The preview of what is in the form now, before saving (htmx posts the form here)."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        data = {name: request.POST.get(name, "") for name in ("event", "channel", "language")}
        subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
        errors: list[str] = []
        result = None
        try:
            texts.validate_template(data["event"], data["channel"], data["language"], subject, body)
        except ValidationError as error:
            errors = [message for messages in error.message_dict.values() for message in messages]
        if data["event"] in texts.PLACEHOLDERS:
            result = texts.preview(data["event"], data["channel"], data["language"], subject, body)
        return TemplateResponse(
            request,
            "admin/notifications/messagetemplate/_preview.html",
            {"result": result, "errors": errors, "max_parts": settings.NOTIFICATIONS_SMS_MAX_PARTS},
        )


@admin.register(OptOut)
class OptOutAdmin(AdministratorOnly, admin.ModelAdmin[OptOut]):
    form = OptOutAdminForm
    list_display = ["masked_phone", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["=phone"]
    search_help_text = _("The full number, as +628...")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: OptOut) -> str:
        return mask_phone(obj.phone)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[OptOut], search_term: str
    ) -> tuple[QuerySet[OptOut], bool]:
        try:
            search_term = normalize_phone(search_term) if search_term else ""
        except ValidationError:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(
        self, request: HttpRequest, obj: OptOut, form: ModelForm[OptOut], change: bool
    ) -> None:
        saved = services.opt_out(phone=obj.phone, source=OptOut.Source.OFFICE)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: OptOut) -> None:
        services.opt_in(phone=obj.phone)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OptOut]) -> None:
        for opt in queryset:
            services.opt_in(phone=opt.phone)
