from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser

from paradewi.accounts.models import User
from paradewi.accounts.policy import ADMINISTRATORS

# Apps the administrator manages in Django's admin ("worktime": closed and re-opened days and the
# office hours, which move running requests' due times). Business records (requests and their
# history) are never edited there: the administrator has no business actions. "axes" holds the
# failed logins and lockouts (deleting a lockout unlocks the account). Two-factor devices are
# not listed: their secrets stay out of the admin; the user admin's reset action removes them.
ADMIN_APPS = frozenset({"accounts", "catalogue", "regions", "worktime", "django_tasks_db", "axes"})


class RoleBackend(ModelBackend):
    """Username/password login; the administrator role carries the admin-site permissions."""

    def has_perm(self, user_obj: User | AnonymousUser, perm: str, obj: Any = None) -> bool:
        if (
            isinstance(user_obj, User)
            and user_obj.is_active
            and user_obj.role in ADMINISTRATORS
            and perm.split(".", 1)[0] in ADMIN_APPS
        ):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: User | AnonymousUser, app_label: str) -> bool:
        if isinstance(user_obj, User) and user_obj.is_active and user_obj.role in ADMINISTRATORS:
            return app_label in ADMIN_APPS
        return super().has_module_perms(user_obj, app_label)
