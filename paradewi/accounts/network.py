"""The client's IP address, for login lockout and rate limits."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client, behind TRUSTED_PROXY_COUNT reverse proxies.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    the client is the entry TRUSTED_PROXY_COUNT places from the right. Entries further left are
    whatever the client sent and could be forged, so they are never used.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
