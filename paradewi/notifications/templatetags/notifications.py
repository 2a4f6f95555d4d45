"""`{% unread_counter %}`: the menu's link to the notifications with the unread count."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from paradewi.accounts.access import active_user
from paradewi.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_partials/counter.html", takes_context=True)
def unread_counter(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = active_user(request.user) if request is not None else None
    if user is None:
        return {"hidden": True}
    # A page that has counted already (the home page) passes `unread_total`.
    unread = context.get("unread_total")
    if unread is None:
        unread = unread_count(user)
    return {"unread": unread, "poll": settings.NOTIFICATIONS_POLL_SECONDS}
