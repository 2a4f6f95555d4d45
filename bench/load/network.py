"""The load test talks to 127.0.0.1 only."""

from __future__ import annotations

from urllib.parse import urlsplit


def loopback(url: str) -> str:
    """The URL, if it points at 127.0.0.1; otherwise the run stops."""
    if urlsplit(url).hostname != "127.0.0.1":
        raise SystemExit(f"The load test only talks to 127.0.0.1, not {url!r}.")
    return url
