from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from paradewi.accounts.imports import ImportEntry, ImportReport, OfficerRow, RowStatus, parse_role
from paradewi.accounts.models import Role, User, validate_role_area
from paradewi.accounts.policy import ADMINISTRATORS
from paradewi.core.validators import normalize_phone
from paradewi.regions.models import Region

logger = logging.getLogger(__name__)

# Fields of an imported row whose rules the model states (validators, lengths).
_FIELDS_CHECKED_BY_MODEL = frozenset({"username", "full_name", "email"})


def user_sync_staff(user: User) -> None:
    """Only administrators enter Django's admin site; keep is_staff in step with the role."""
    user.is_staff = user.role in ADMINISTRATORS or user.is_superuser


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


def user_sessions_end_others(*, request: HttpRequest, user: User) -> None:
    """End all the user's sessions except the one of `request`.

    Every session carries a hash of the password and the user's session generation; raising the
    generation makes every other session's hash stale (Django logs it out on its next request),
    in one UPDATE however many sessions there are. The current session gets the new hash.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    update_session_auth_hash(request, user)
    logger.info("User %s ended their other sessions", user.username)


def site_url_from_settings() -> str:
    """The public address for links in e-mails sent outside a request (commands, workers).

    The first CSRF_TRUSTED_ORIGINS entry is the public origin behind a TLS proxy; otherwise the
    first concrete host of ALLOWED_HOSTS over plain http.
    """
    for origin in settings.CSRF_TRUSTED_ORIGINS:
        if "*" not in origin:
            return origin.rstrip("/")
    for host in settings.ALLOWED_HOSTS:
        if host and not host.startswith((".", "*")):
            return f"http://{host}"
    return "http://localhost"


def password_set_links_send(*, users: Iterable[User], site_url: str) -> int:
    """E-mail each user with an address a one-time link to choose a password.

    The mails go out after the surrounding transaction commits (nothing is sent for accounts
    that rolled back). `site_url` is the scheme and host the links start with. Returns the number
    of mails scheduled.
    """
    recipients = [user for user in users if user.email and user.is_active]
    if recipients:
        transaction.on_commit(
            functools.partial(_password_set_mails_send, recipients, site_url.rstrip("/")),
            robust=True,
        )
    return len(recipients)


def _password_set_mails_send(users: Sequence[User], site_url: str) -> None:
    # The recipients' language is not known: use the deployment's.
    with translation.override(settings.LANGUAGE_CODE):
        mails = [_password_set_mail(user, site_url) for user in users]
    with mail.get_connection() as connection:
        connection.send_messages(mails)
    logger.info("Sent %d password-set links", len(mails))


def _password_set_mail(user: User, site_url: str) -> mail.EmailMessage:
    context = {
        "user": user,
        "site_url": site_url,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("admin/accounts/user/password_set_subject.txt", context)
    body = render_to_string("admin/accounts/user/password_set_email.txt", context)
    return mail.EmailMessage(" ".join(subject.split()), body, to=[user.email])


def officers_import(
    *,
    rows: Sequence[OfficerRow],
    dry_run: bool,
    skip_bad: bool,
    by: User | None,
    site_url: str | None = None,
) -> ImportReport:
    """Check every row of an officer spreadsheet, then create the accounts in one transaction.

    Nothing is written on a dry run, nor when a row is bad and `skip_bad` is False. Otherwise the
    good rows become accounts without a usable password (the same rules as `user_create`) and,
    after commit, those with an e-mail address get a link to choose their password
    (`site_url`, by default `site_url_from_settings()`). `by` is the administrator importing,
    recorded in the admin history; None for the command line.

    The accounts are checked like `user_create` checks one (model field rules, phone, role and
    area) but inserted with bulk_create: a few queries in all plus one INSERT per batch, instead
    of several queries per row.
    """
    if by is not None and not by.has_perm("accounts.add_user"):
        raise PermissionDenied
    checked = _officer_rows_check(rows)
    report = ImportReport(dry_run=dry_run, skip_bad=skip_bad)
    any_bad = any(user is None for _row, user, _messages in checked)
    write = not dry_run and (skip_bad or not any_bad)
    good = [user for _row, user, _messages in checked if user is not None]
    if write and good:
        with transaction.atomic():
            created = User.objects.bulk_create(good, batch_size=500)
            if by is not None:
                LogEntry.objects.log_actions(
                    by.pk, created, ADDITION, change_message=_("Imported from a spreadsheet.")
                )
            password_set_links_send(users=created, site_url=site_url or site_url_from_settings())
        logger.info(
            "%s imported %d officer accounts",
            by.username if by else "The command line",
            len(created),
        )
    for row, user, messages in checked:
        if user is None:
            status = RowStatus.SKIPPED if write else RowStatus.ERROR
        else:
            status = RowStatus.CREATED if write else RowStatus.OK
            if write and user.email:
                messages.append(
                    _("A link to choose a password is e-mailed to %(email)s.")
                    % {"email": user.email}
                )
            elif write:
                messages.append(_("No e-mail address: set a password in the user's admin page."))
        report.entries.append(
            ImportEntry(row=row.row, username=row.username, status=status, messages=messages)
        )
    return report


def _officer_rows_check(
    rows: Sequence[OfficerRow],
) -> list[tuple[OfficerRow, User | None, list[str]]]:
    """Each row with the unsaved account it describes (None when bad) and the row's messages.

    Regions, existing usernames and e-mail addresses are fetched once for all rows.
    """
    usernames = [User.normalize_username(row.username) for row in rows]
    emails = [row.email.lower() for row in rows]
    regions = {
        region.code: region
        for region in Region.objects.filter(code__in={row.area_code for row in rows})
    }
    taken_usernames = set(
        User.objects.annotate(key=Lower("username"))
        .filter(key__in={name.lower() for name in usernames if name})
        .values_list("key", flat=True)
    )
    taken_emails = set(
        User.objects.annotate(key=Lower("email"))
        .filter(key__in={email for email in emails if email})
        .values_list("key", flat=True)
    )
    rows_by_username: dict[str, list[int]] = defaultdict(list)
    rows_by_email: dict[str, list[int]] = defaultdict(list)
    for row, username, email in zip(rows, usernames, emails, strict=True):
        if username:
            rows_by_username[username.lower()].append(row.row)
        if email:
            rows_by_email[email].append(row.row)

    verbose_names = {field.name: field.verbose_name for field in User._meta.concrete_fields}

    def label(field_name: str) -> str:
        return capfirst(str(verbose_names.get(field_name, field_name)))

    def in_rows(numbers: list[int]) -> str:
        return ", ".join(str(number) for number in numbers)

    checked: list[tuple[OfficerRow, User | None, list[str]]] = []
    for row, username, email in zip(rows, usernames, emails, strict=True):
        errors: list[str] = []
        for field_name, value in (
            ("username", username),
            ("full_name", row.full_name),
            ("role", row.role),
            ("area", row.area_code),
        ):
            if not value:
                errors.append(_("%(field)s is missing.") % {"field": label(field_name)})
        if username and username.lower() in taken_usernames:
            errors.append(_("Username %(username)s is already taken.") % {"username": username})
        elif username and len(rows_by_username[username.lower()]) > 1:
            errors.append(
                _("Username %(username)s appears more than once in the file (rows %(rows)s).")
                % {"username": username, "rows": in_rows(rows_by_username[username.lower()])}
            )
        phone = ""
        if row.phone:
            try:
                phone = normalize_phone(row.phone)
            except ValidationError as error:
                errors.extend(error.messages)
        if email in taken_emails:
            errors.append(_("Another account already uses %(email)s.") % {"email": email})
        elif email and len(rows_by_email[email]) > 1:
            errors.append(
                _("E-mail address %(email)s appears more than once in the file (rows %(rows)s).")
                % {"email": email, "rows": in_rows(rows_by_email[email])}
            )
        role = parse_role(row.role) if row.role else None
        if row.role and role is None:
            errors.append(
                _("Unknown role “%(role)s”. Use one of: %(roles)s.")
                % {"role": row.role, "roles": ", ".join(Role.values)}
            )
        area = regions.get(row.area_code)
        if row.area_code and area is None:
            errors.append(_("There is no area with code %(code)s.") % {"code": row.area_code})
        elif area is not None and role is not None:
            try:
                validate_role_area(role, area)
            except ValidationError as error:
                errors.extend(error.messages)

        user = User(
            username=username,
            full_name=row.full_name,
            email=email,
            phone=phone,
            role=role or "",
            area=area,
        )
        # The field rules of the model (username characters, lengths, e-mail syntax), as
        # user_create's full_clean() checks them; uniqueness and the area were checked above.
        try:
            user.clean_fields(
                exclude=[
                    field.name
                    for field in User._meta.concrete_fields
                    if field.name not in _FIELDS_CHECKED_BY_MODEL or not getattr(user, field.name)
                ]
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                errors.extend(f"{label(field_name)}: {message}" for message in messages)
        if errors:
            checked.append((row, None, errors))
            continue
        user_sync_staff(user)
        user.set_unusable_password()
        description = _("%(role)s of %(area)s (%(code)s).") % {
            "role": Role(user.role).label,
            "area": area.display_name if area else "",
            "code": row.area_code,
        }
        checked.append((row, user, [description]))
    return checked
