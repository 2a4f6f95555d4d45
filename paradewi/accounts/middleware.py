"""Session limits and the second login step, checked on every request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from paradewi.accounts.kept_form import form_keep, kept_form_forget
from paradewi.accounts.models import User
from paradewi.accounts.two_factor import is_verified, two_factor_pending

# Session keys: when the user logged in and when the session was last refreshed (epoch seconds).
LOGIN_AT_SESSION_KEY = "login_at"
SEEN_AT_SESSION_KEY = "seen_at"

# Pages a user who still owes the second step may open.
TWO_FACTOR_OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "two_factor_verify",
        "two_factor_enrol",
        "two_factor_codes",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "set_language",
        "healthz",
    }
)


def session_login_started(request: HttpRequest) -> None:
    """Stamp a new login: the absolute limit counts from here, the inactivity timer too."""
    now = int(time.time())
    request.session[LOGIN_AT_SESSION_KEY] = now
    request.session[SEEN_AT_SESSION_KEY] = now


class SessionLimitsMiddleware:
    """Inactivity timeout with a cheap sliding refresh, and an absolute session lifetime.

    Django ends a session SESSION_COOKIE_AGE seconds after it was last saved. Saving it on every
    request (SESSION_SAVE_EVERY_REQUEST) would write the session row on every page; instead it
    is saved when the last refresh is SESSION_REFRESH_SECONDS old, so a session ends between
    SESSION_COOKIE_AGE minus a minute and SESSION_COOKIE_AGE after the last request. The next
    page after that goes to the login page with `next` (login_required does it).
    Independently, SESSION_MAX_AGE after the login the session ends however active it was.
    A form sent after the session ended is kept for after the next login (kept_form).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._limits(request)
        if response is None:
            response = self.get_response(request)
        form_keep(request, response)
        kept_form_forget(request, response)
        return response

    def _limits(self, request: HttpRequest) -> HttpResponse | None:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            login_at = session.get(LOGIN_AT_SESSION_KEY)
            if not isinstance(login_at, int):
                session_login_started(request)
            elif now - login_at >= settings.SESSION_MAX_AGE:
                logout(request)
                messages.info(
                    request,
                    _(
                        "For your security, sessions end %(hours)d hours after logging in. "
                        "Please log in again."
                    )
                    % {"hours": settings.SESSION_MAX_AGE // 3600},
                )
                return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
            elif now - int(session.get(SEEN_AT_SESSION_KEY) or 0) >= (
                settings.SESSION_REFRESH_SECONDS
            ):
                session[SEEN_AT_SESSION_KEY] = now
        return None


class TwoFactorRequiredMiddleware:
    """Until the second step is done, every page but a few sends the user to it.

    Applies to the roles that require two-factor authentication and to users of other roles
    who enrolled; the admin site included. An htmx request gets an HX-Redirect instead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in TWO_FACTOR_OPEN_URL_NAMES:
            return None
        if is_verified(request) or not two_factor_pending(request, user):
            return None
        target = reverse("two_factor_verify")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect_to_login(request.get_full_path(), target)
