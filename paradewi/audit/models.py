"""The access log: one row each time someone opens or takes a resident's personal data.

Append-only: rows are written by `services.access_record` and never changed. A row names the
user and the role and area they had at that moment (a later change of role does not rewrite
what they were when they looked), what they did, the request and the object (an upload, an
issued document, a form code) by id, the client's address and a shortened user agent, and
for exports the reason the user gave. It holds no NIK, KK number or name of a resident: the
request is a foreign key, the object an id.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paradewi.regions.models import Region

# What is logged is named where the views that log it live (requests, below this app).
from paradewi.requests.access_log import EXPORT_ACTIONS, REASON_MAX, Action
from paradewi.requests.models import ServiceRequest

__all__ = ["EXPORT_ACTIONS", "REASON_MAX", "AccessLog", "Action"]

USER_AGENT_MAX = 200
ADDRESS_MAX = 64
OBJECT_MAX = 40


class AccessLog(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("when"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    # The role and area the user had at that moment.
    role = models.CharField(_("role"), max_length=20)
    area = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("area"),
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("request"),
    )
    # The id of what was opened (upload, issued document) or a form code; never a value.
    object_id = models.CharField(_("object"), max_length=OBJECT_MAX, blank=True)
    address = models.CharField(_("address"), max_length=ADDRESS_MAX, blank=True)
    user_agent = models.CharField(_("browser"), max_length=USER_AGENT_MAX, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["request", "-at", "-id"], name="accesslog_request_newest"),
            models.Index(fields=["user", "-at", "-id"], name="accesslog_user_newest"),
            # The retention purge deletes from the oldest end.
            models.Index(fields=["at"], name="accesslog_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.request_id}"
