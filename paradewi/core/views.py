"""Views of the project as a whole."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def bench_floor(request: HttpRequest) -> HttpResponse:
    """The framework floor of the load test (bench/load): the whole middleware stack and a
    plain response, without a template, the database or the session. Routed only when
    BENCH_FLOOR_VIEW is on (paradewi/urls.py); never in production."""
    return HttpResponse(b"ok", content_type="text/plain")
