"""The complaint entry on a page another app owns: the resident's request status page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from paradewi.requests.models import ServiceRequest
from paradewi.requests.tracking import PublicStatus, make_token

register = template.Library()


@register.inclusion_tag("complaints/_status_link.html")
def complaint_link(status: PublicStatus) -> dict[str, Any]:
    """On the status page (shown only after the PIN or the receipt's token): a link to file a
    complaint about this request without typing its number and PIN again."""
    found = ServiceRequest.objects.filter(number=status.number).only("number", "pin").first()
    if found is None or not found.pin:
        return {"path": None}
    return {"path": reverse("complaint_about_request", args=[make_token(found)])}
