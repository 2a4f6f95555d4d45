"""Password guessing across many usernames from one address (or one network).

django-axes locks one username from one address after AXES_FAILURE_LIMIT failures; a guesser
who tries one or two passwords on each of many usernames never reaches it. So failed logins are
also counted per client address across usernames (LOGIN_ADDRESS_FAILURE_LIMIT in
LOGIN_ADDRESS_WINDOW seconds) and, when a trusted proxy gives the client's address, per network
(IPv4 /24, IPv6 /64: LOGIN_NETWORK_FAILURE_LIMIT). Past a limit the address (or network) is
closed to password logins for LOGIN_ADDRESS_LOCKOUT seconds.

A village office, a kecamatan office or a whole mobile carrier's NAT shares one address, so a
closed address must not shut out the officers who work there: a browser where an officer has
logged in before carries a signed "known device" cookie naming that account (a keyed hash of
the username), and a login for that account from that browser is not stopped by the address
limit (the per-username lockout of axes and the second factor still apply). Only browsers that
never logged in to that account wait.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from paradewi.accounts.network import client_ip
from paradewi.core.ratelimit import Limit

DEVICE_COOKIE = "paradewi_device"
DEVICE_SALT = "paradewi.accounts.device"
# Accounts remembered per browser (a shared office computer serves several officers).
DEVICE_ACCOUNTS = 8


def _address_limit() -> Limit:
    return Limit(
        prefix="login",
        scope="address",
        limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        window=settings.LOGIN_ADDRESS_WINDOW,
        lockout=settings.LOGIN_ADDRESS_LOCKOUT,
    )


def _network_limit() -> Limit:
    return Limit(
        prefix="login",
        scope="network",
        limit=settings.LOGIN_NETWORK_FAILURE_LIMIT,
        window=settings.LOGIN_ADDRESS_WINDOW,
        lockout=settings.LOGIN_ADDRESS_LOCKOUT,
    )


def _network(address: str) -> str | None:
    """The client's network (/24, /64) when a trusted proxy told us the client's address."""
    if settings.TRUSTED_PROXY_COUNT <= 0:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _account_mark(username: str) -> str:
    """A short keyed hash of the username: the cookie names no account in clear."""
    mark = salted_hmac(DEVICE_SALT, username.strip().casefold(), algorithm="sha256")
    return mark.hexdigest()[:20]


def _known_accounts(request: HttpRequest) -> list[str]:
    try:
        value = request.get_signed_cookie(
            DEVICE_COOKIE, salt=DEVICE_SALT, max_age=settings.LOGIN_DEVICE_COOKIE_AGE
        )
    except (KeyError, signing.BadSignature):
        return []
    return [mark for mark in str(value or "").split(",") if mark][:DEVICE_ACCOUNTS]


def is_known_device(request: HttpRequest, username: str) -> bool:
    return _account_mark(username) in _known_accounts(request)


def address_closed(request: HttpRequest, username: str) -> bool:
    """Whether this password login is stopped: the address or network is closed and this
    browser has not logged in to `username` before."""
    address = client_ip(request)
    network = _network(address)
    closed = _address_limit().is_locked(address) or (
        network is not None and _network_limit().is_locked(network)
    )
    return closed and not is_known_device(request, username)


def record_failure(request: HttpRequest) -> None:
    """Count a failed password login against the client's address and network."""
    address = client_ip(request)
    _address_limit().record(address)
    network = _network(address)
    if network is not None:
        _network_limit().record(network)


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a correct password: this browser is known for this account from now on."""
    mark = _account_mark(username)
    marks = [mark] + [m for m in _known_accounts(request) if m != mark]
    response.set_signed_cookie(
        DEVICE_COOKIE,
        ",".join(marks[:DEVICE_ACCOUNTS]),
        salt=DEVICE_SALT,
        max_age=settings.LOGIN_DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
