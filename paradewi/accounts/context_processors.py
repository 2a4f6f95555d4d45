"""`can` in every template: what the logged-in user may do, by the names of
`policy.PERMISSIONS`, so that templates never compare a role to a string."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from paradewi.accounts.access import active_user
from paradewi.accounts.policy import PERMISSIONS, has_permission


class Permissions:
    """`can.print_receipts` and the like: true when the user's role holds the permission.

    Nothing is read until a template asks, and then only the user the request already carries
    (no query of its own). A name that is not a permission is missing, as any unknown variable
    in a template; `accounts/tests/test_context_processors.py` checks every name the templates
    use.
    """

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def _role(self) -> str | None:
        user = getattr(self._request, "user", None)  # absent when a page fails before the
        actor = active_user(user) if user is not None else None  # authentication middleware
        return actor.role if actor is not None else None

    def __getattr__(self, name: str) -> bool:
        if name not in PERMISSIONS:
            raise AttributeError(name)
        return self._role is not None and has_permission(self._role, name)

    def __dir__(self) -> list[str]:
        return sorted(PERMISSIONS)


def can(request: HttpRequest) -> dict[str, Permissions]:
    return {"can": Permissions(request)}
