from __future__ import annotations

from django.db import transaction

from paradewi.accounts.models import Role, User
from paradewi.core.validators import normalize_phone
from paradewi.regions.models import Region


def user_sync_staff(user: User) -> None:
    """Only administrators enter Django's admin site; keep is_staff in step with the role."""
    user.is_staff = user.role == Role.ADMIN or user.is_superuser


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    role: str,
    area: Region,
    email: str = "",
    phone: str = "",
    password: str | None = None,
) -> User:
    """Create an account after checking the role/area rule and the phone number.

    Without a password the account cannot log in until the person sets one through the
    password-reset link.
    """
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        role=role,
        area=area,
        email=email.strip().lower(),
        phone=normalize_phone(phone) if phone.strip() else "",
    )
    user_sync_staff(user)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user
