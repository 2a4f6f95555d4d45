"""Helpers shared by the attacks: the database as a comparable value, and what a body leaks."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction
from django.http import HttpResponse

# Rows that change by merely being logged in or asking (sessions, login bookkeeping).
NOT_STATE = {"sessions", "axes", "admin", "contenttypes", "django_tasks_database"}


def database_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model the site keeps, to compare before and after an attack."""
    state: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        if model._meta.app_label in NOT_STATE:
            continue
        rows = model._default_manager.order_by("pk").values()
        state[model._meta.label] = [
            {key: value for key, value in row.items() if key != "last_login"} for row in rows
        ]
    return state


def body_of(response: Any) -> str:
    if hasattr(response, "content_text"):
        return str(response.content_text)
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", "replace")


def rolled_back(call: Any, *args: Any, **kwargs: Any) -> HttpResponse:
    """The response of a request whose changes to the database are undone afterwards."""
    with transaction.atomic():
        response = call(*args, **kwargs)
        if getattr(response, "streaming", False):
            response.content_text = body_of(response)
        transaction.set_rollback(True)
    return response  # type: ignore[no-any-return]
