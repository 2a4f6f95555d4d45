from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from paradewi.regions.selectors import deployed_regency


def deployment(request: HttpRequest) -> dict[str, Any]:
    """What every page needs to know about this deployment."""
    return {"regency": deployed_regency(), "demo_mode": settings.DEMO_MODE}
