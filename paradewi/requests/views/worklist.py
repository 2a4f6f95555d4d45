from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def request_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
