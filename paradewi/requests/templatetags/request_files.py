"""Template helpers for the files of a request."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser

from paradewi.accounts.models import User
from paradewi.requests.archive import may_take_archive

register = template.Library()


@register.filter
def may_archive(user: User | AnonymousUser) -> bool:
    """{% if user|may_archive %}: whether to offer the request's archive (ZIP)."""
    return may_take_archive(user)
