"""Background tasks of accounts (django-tasks)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django_tasks import task


@task()
def clear_expired_sessions_task() -> None:
    """Once a day (the periodic tick enqueues it): delete expired sessions, as
    `manage.py clearsessions` does (logged-out visitors' kept forms included)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
