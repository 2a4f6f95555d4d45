from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def deployment(request: HttpRequest) -> dict[str, Any]:
    """What every page needs to know about this deployment."""
    from paradewi.regions.selectors import deployed_regency

    return {"regency": deployed_regency(), "demo_mode": settings.DEMO_MODE}
