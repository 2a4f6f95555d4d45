from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
