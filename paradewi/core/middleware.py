"""Response headers Django's SecurityMiddleware does not set, compression of pages, the
server's own time in a header for measurements, and the refusal of oversize uploads."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


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
    """`Server-Timing: app;dur=<ms>, cpu;dur=<ms>`: the time from the first middleware to the
    finished response, without the wait for a free worker thread and without the network; and
    the CPU time of the serving thread in that span (what the page costs, whatever else runs
    on the machine: the difference is time spent waiting for a core or the interpreter lock).

    On only with `SERVER_TIMING=true` (the benchmark turns it on; an operator may too, to log
    it in nginx as `$upstream_http_server_timing`). It tells nothing the client cannot time
    itself, but an unused header is one less thing to send.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not settings.SERVER_TIMING:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started, cpu = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        response.headers["Server-Timing"] = (
            f"app;dur={(time.perf_counter() - started) * 1000:.1f}, "
            f"cpu;dur={(time.thread_time() - cpu) * 1000:.1f}"
        )
        return response


# --- request bodies larger than the view takes ---------------------------------------------------

# Room for the form's other fields and the multipart boundaries around the files.
MULTIPART_SLACK = 64 * 1024
_LIMIT_ATTRIBUTE = "max_body_bytes"


def body_limit(limit: Callable[[], int]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare the largest request body a view takes, in bytes (read from settings when asked).

    BodyLimitMiddleware refuses a larger declared body before anything reads it.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, _LIMIT_ATTRIBUTE, limit)
        return view

    return decorate


def declared_length(request: HttpRequest) -> int | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


class BodyLimitMiddleware:
    """Refuse an upload that is too large from its Content-Length header, before the body is
    read: a 13 MB scan is not parsed, spooled to disk and checked only to be refused.

    Only views marked with `body_limit` are concerned; their limit is what their files may add
    up to plus MULTIPART_SLACK. It runs before the CSRF check (a process_view, which would read
    the form) and before the view. The answer says the sizes in words: to the upload script
    (HX-Request) a 413 with the message as text, which it shows at the file's row; to a plain
    form, the page the form was on again (its Referer, on this site) with the message on top,
    so nothing typed elsewhere on that page is lost; without a Referer, a 413 page. (A WSGI
    application may not close the connection itself: a hop-by-hop header is refused by the
    server. The proxy in front, nginx's client_max_body_size, refuses such a body before it
    reaches the application at all; docs/deploy.md.)

    The phone checks sizes before sending (static/js/uploads.js, app.js): this is the server's
    own guard, for pages without script and for other clients.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST":
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponseBase | None:
        length = declared_length(request)
        if length is None:
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        limit_of = getattr(match.func, _LIMIT_ATTRIBUTE, None)
        if limit_of is None:
            return None
        limit = limit_of()
        if length <= limit + MULTIPART_SLACK:
            return None
        text = _(
            "The upload is %(size)s; at most %(limit)s can be sent. Nothing was saved. Take a "
            "photo of each page instead (photos are made smaller on the phone), or scan again "
            "at a lower resolution (150 dpi, black and white)."
        ) % {"size": filesizeformat(length), "limit": filesizeformat(limit)}
        response: HttpResponseBase
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")
        else:
            back = request.headers.get("Referer", "")
            if back and url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                messages.error(request, text)
                response = HttpResponseRedirect(back, status=303)
            else:
                response = render(request, "too_large.html", {"text": text}, status=413)
        return response
