from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def verify(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def return_view(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def claim(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def release(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def reject(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def complete(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
