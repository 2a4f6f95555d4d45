from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def heartbeat() -> str:
    """Runs in the worker; /healthz reads when the last one finished to know a worker is up."""
    return timezone.now().isoformat()
