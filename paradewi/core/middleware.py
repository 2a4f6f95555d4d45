"""Response headers Django's SecurityMiddleware does not set, compression of pages, and the
server's own time in a header for measurements."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class SecurityHeadersMiddleware:
    """The Content-Security-Policy and the Permissions-Policy of every response.

    The policy allows scripts and styles from this site only (no inline code: pages have no
    inline script, style attribute or event handler; htmx is told not to add its own style
    element), images also from `data:` and `blob:` (the phone's photo preview while it is
    shrunk). A view that sets its own header keeps it.

    The permissions policy switches off features no page uses. Taking a photo of a document
    goes through the file input, which opens the phone's own camera app: that needs no
    permission, so `camera=()` does not get in its way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = {
            name: value
            for name, value in (
                ("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY),
                ("Permissions-Policy", settings.PERMISSIONS_POLICY),
            )
            if value
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response


# Content types worth compressing: pages, fragments, JSON. Scans, PDFs and archives are
# already compressed (JPEG, Flate, ZIP): gzip would only cost the server CPU.
COMPRESSIBLE_TYPES = ("text/html", "text/plain", "text/csv", "application/json")


class PageCompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for pages only: a worklist or dashboard of 25-30 KB of HTML
    travels as 4-6 KB, which is what keeps later pages under 20 KB on a phone's 3G link.

    Django's own BREACH mitigation applies (random padding in the gzip header), and CSRF
    tokens are masked anew in every page. Static files are compressed ahead of time by
    WhiteNoise; downloads of documents are left as they are.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in COMPRESSIBLE_TYPES:
            return response
        return super().process_response(request, response)


class ServerTimingMiddleware:
    """`Server-Timing: app;dur=<ms>`: the time from the first middleware to the finished
    response, without the wait for a free worker thread and without the network.

    On only with `SERVER_TIMING=true` (the benchmark turns it on; an operator may too, to log
    it in nginx as `$upstream_http_server_timing`). It tells nothing the client cannot time
    itself, but an unused header is one less thing to send.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not settings.SERVER_TIMING:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
