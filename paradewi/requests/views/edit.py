from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def service_choose(request: HttpRequest) -> HttpResponse:
    raise Http404


def request_create_view(request: HttpRequest, service_code: str) -> HttpResponse:
    raise Http404


def request_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def upload_view(request: HttpRequest, pk: int, requirement_code: str) -> HttpResponse:
    raise Http404


def request_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
