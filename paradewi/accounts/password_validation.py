"""Password rules beyond Django's validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shorter usernames occur inside ordinary words; only the exact username is refused then.
_MIN_USERNAME_TO_SEARCH = 4


class NotUsernameValidator:
    """The password must not be, nor contain, the username (whatever the letter case)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = str(getattr(user, "username", "") or "").casefold()
        if not username:
            return
        candidate = password.casefold()
        if candidate == username or (
            len(username) >= _MIN_USERNAME_TO_SEARCH and username in candidate
        ):
            raise ValidationError(
                _("The password must not contain your username."), code="password_has_username"
            )

    def get_help_text(self) -> str:
        return _("Your password must not contain your username.")
