from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def track(request: HttpRequest) -> HttpResponse:
    raise Http404


def track_token(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404
