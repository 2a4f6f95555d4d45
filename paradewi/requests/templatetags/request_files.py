"""Template helpers for the files of a request."""

from __future__ import annotations

from django import template

from paradewi.requests.archive import may_take_archive

register = template.Library()


@register.filter
def may_archive(user: object) -> bool:
    """{% if user|may_archive %}: whether to offer the request's archive (ZIP)."""
    return may_take_archive(user)
