"""Numbers, PINs and links of complaints: how a complainant finds their complaint again.

A complaint is followed, without an account, with its number and PIN (shown once when it is
filed) or with the signed link of the confirmation page. Wrong PINs are rate-limited per number
and per client address (core/ratelimit.py), as on the request tracking page.
"""

from __future__ import annotations

import hmac
import re

from django.core import signing
from django.utils.translation import gettext as _

from paradewi.complaints.models import Complaint
from paradewi.core.ratelimit import Limit, locked_keys

SIGNING_SALT = "paradewi.complaints.token"
PREFIX = "ADU"
WINDOW = 15 * 60
LOCKOUT = 15 * 60

NUMBER_GUESSES = Limit(
    prefix="complaint", scope="number", limit=5, window=WINDOW, lockout=LOCKOUT, counter="fail"
)
IP_GUESSES = Limit(
    prefix="complaint", scope="ip", limit=20, window=WINDOW, lockout=LOCKOUT, counter="fail"
)
# Filing from one client address: a resident files one or two; more is abuse or a script.
FILINGS = Limit(prefix="complaint", scope="file", limit=5, window=3600, lockout=3600)

_NUMBER = re.compile(r"(?:ADU)?(\d{4})(\d{4,6})")


class TooManyAttemptsError(Exception):
    """Too many wrong PINs (or filings) lately; the message says how long to wait."""


def format_number(period: str, serial: int) -> str:
    """ "ADU-2612-0007": the prefix tells it from a request's registration number."""
    return f"{PREFIX}-{period}-{serial:04d}"


def normalise_number(raw: str) -> str | None:
    """The number as stored from what a complainant typed (spaces, dashes, case ignored)."""
    compact = re.sub(r"[^0-9A-Za-z]", "", raw).upper()
    match = _NUMBER.fullmatch(compact)
    if match is None:
        return None
    return format_number(match[1], int(match[2]))


def _signer(pin: str) -> signing.Signer:
    # The PIN is part of the salt: a link cannot be made from a number alone.
    return signing.Signer(salt=f"{SIGNING_SALT}:{pin}")


def make_token(complaint: Complaint) -> str:
    return _signer(complaint.pin).sign(complaint.number)


def complaint_for_token(token: str) -> Complaint | None:
    """The complaint the link was made for; None for anything invalid or tampered with."""
    number, _sep, _signature = token.rpartition(":")
    if not number or normalise_number(number) != number:
        return None
    found = (
        Complaint.objects.select_related("request__service_version", "service")
        .filter(number=number)
        .first()
    )
    if found is None:
        return None
    try:
        _signer(found.pin).unsign(token)
    except signing.BadSignature:
        return None
    return found


def find_by_number_and_pin(*, number: str, pin: str, client_ip: str) -> Complaint | None:
    """The complaint if the PIN matches; None otherwise (unknown numbers alike). Raises
    TooManyAttemptsError while the number or the address is locked."""
    canonical = normalise_number(number)
    ip = client_ip or "unknown"
    ip_lock = IP_GUESSES.lock_key(ip)
    number_lock = NUMBER_GUESSES.lock_key(canonical) if canonical else ""
    locked = locked_keys([ip_lock, number_lock] if canonical else [ip_lock])
    if number_lock in locked or ip_lock in locked:
        raise TooManyAttemptsError(
            _("Too many wrong attempts. Try again in %(minutes)d minutes.")
            % {"minutes": LOCKOUT // 60}
        )
    found = Complaint.objects.filter(number=canonical).first() if canonical else None
    expected = found.pin if found is not None else ""
    given = re.sub(r"\s", "", pin)
    if found is not None and hmac.compare_digest(expected.encode(), given.encode()):
        return found
    if canonical:
        NUMBER_GUESSES.record(canonical)
    IP_GUESSES.record(ip)
    return None


def check_filing_allowed(client_ip: str) -> None:
    """Raise TooManyAttemptsError when this address has filed too many complaints lately."""
    if FILINGS.is_locked(client_ip or "unknown"):
        raise TooManyAttemptsError(
            _(
                "Many complaints were sent from this connection in the last hour. Try again "
                "later, or file it at your village or kecamatan office."
            )
        )


def record_filing(client_ip: str) -> None:
    FILINGS.record(client_ip or "unknown")
