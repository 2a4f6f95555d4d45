from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def upload_download(request: HttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    raise Http404


def output_download(request: HttpRequest, pk: int, output_pk: int) -> HttpResponse:
    raise Http404
