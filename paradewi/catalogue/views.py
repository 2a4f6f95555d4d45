from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paradewi.catalogue.selectors import offered_service_summaries


def service_list(request: HttpRequest) -> HttpResponse:
    """Public: every service with its requirements, outputs and target time."""
    return render(request, "catalogue/service_list.html", {"services": offered_service_summaries()})
