"""Training mode on every page: the session's switch sets `user.in_training`."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from paradewi.training.services import SESSION_KEY, may_practise


class TrainingModeMiddleware:
    """After the authentication middleware: an officer who turned on "Latihan" in this login
    works on practice requests only (`accounts.User.in_training`, read by the request
    selectors and the workflow table), and every page shows the banner."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            user = getattr(request, "user", None)
            if may_practise(user):
                user.in_training = True  # type: ignore[union-attr]
        return self.get_response(request)
