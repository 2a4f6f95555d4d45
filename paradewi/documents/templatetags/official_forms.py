"""The link to a requirement's pre-filled official form, on the request's edit and detail pages."""

from __future__ import annotations

from django import template
from django.urls import reverse

from paradewi.documents.official_forms import FORMS
from paradewi.requests.models import ServiceRequest

register = template.Library()


@register.simple_tag
def official_form_url(request: ServiceRequest, form_code: str) -> str:
    """The address of the form pre-filled from `request`; "" when paradewi cannot fill it.

    `form_code` is a requirement's (F-1.01, ...), so the request's service asks for it. No query.
    """
    form = FORMS.get(form_code or "")
    if form is None or request.pk is None:
        return ""
    return reverse("official_form", args=[request.pk, form.slug])
