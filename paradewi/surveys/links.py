"""Where a resident answers the survey for a handed-over request (used by notifications)."""

from __future__ import annotations

from paradewi.requests.models import ServiceRequest


def survey_path(service_request: ServiceRequest) -> str | None:
    """The survey page's path for this request, or None when it cannot (or can no longer)
    be answered."""
    return None
