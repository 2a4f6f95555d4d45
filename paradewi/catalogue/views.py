from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paradewi.catalogue.selectors import (
    offered_service_summaries,
    published_standard,
    standard_terms,
)


def service_list(request: HttpRequest) -> HttpResponse:
    """Public: every service with its requirements, outputs and target time, and the
    maklumat pelayanan (UU 25/2009 Pasal 22)."""
    return render(
        request,
        "catalogue/service_list.html",
        {"services": offered_service_summaries(), "terms": standard_terms()},
    )


def service_standard(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the standar pelayanan of one service (PermenPAN-RB 15/2014), with a link to
    its A4 print for the office wall."""
    return render(request, "catalogue/service_standard.html", {"std": published_standard(code)})
