"""What every login does to the new session, whichever view logged the user in.

Connected in AccountsConfig.ready() to Django's user_logged_in signal, because logins come
from the login page, the admin site's login and tests' force_login alike.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY

from paradewi.accounts.middleware import session_login_started
from paradewi.accounts.models import User
from paradewi.accounts.two_factor import two_factor_login_started


def login_started(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    session_login_started(request)
    # A new password login always owes a new code.
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    two_factor_login_started(request, user)
