"""A form sent after the session ended is kept, and shown filled in again after the next login.

When a user's session has ended (inactivity, the absolute limit, or "log out everywhere" from
another device) and they send a form, the login page comes instead of the save. So that the
typing is not lost, SessionLimitsMiddleware calls `form_keep` on that answer: the form's
fields (not the CSRF token, no passwords, and no files, which a browser cannot send again)
are kept in the new session, encrypted, since the session table must never hold NIKs in clear,
together with the page they were sent to, for KEEP_SECONDS. Django's login keeps session data
when it renews the session key, and so does the second login step.

After the login the user is sent back to that page (the `next` of the login). A form view
calls `kept_form_data` when it shows its form: it gets the kept data once, binds the form to
it and so shows what was typed, with a message saying that nothing was saved yet. A view that
does not call it (an action without input, or a page that has moved on) still gets the
message that nothing was done, from `kept_form_forget`. Nothing is ever saved from kept data:
the user checks it and sends the form again.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from paradewi.core.crypto import DecryptionError, decrypt_text, encrypt_text

SESSION_KEY = "kept_form"
CONTEXT = "accounts.kept_form"
# Long enough to log in again with the second step, short enough not to linger.
KEEP_SECONDS = 15 * 60
# Larger forms are not kept (the session row is no place for bulk data).
MAX_BYTES = 64 * 1024
# Never kept: the CSRF token (a new one comes with the new session) and the login's `next`;
# passwords are left out by name in `_kept_fields`.
_SKIPPED_FIELDS = frozenset({"csrfmiddlewaretoken", "next"})
# Set on the request when a view took the kept data.
_TAKEN_ATTRIBUTE = "_kept_form_taken"


def _is_login_redirect(request: HttpRequest, response: HttpResponse) -> bool:
    """The answer sends this very page to the login page (login_required or the session limit)."""
    if response.status_code not in (301, 302, 303) or not response.has_header("Location"):
        return False
    location = urlsplit(response["Location"])
    if location.path != _login_path():
        return False
    return parse_qs(location.query).get("next") == [request.get_full_path()]


def _kept_fields(request: HttpRequest) -> list[tuple[str, list[str]]]:
    return [
        (name, values)
        for name, values in request.POST.lists()
        if name not in _SKIPPED_FIELDS and "password" not in name.lower()
    ]


def _referring_page(request: HttpRequest) -> str | None:
    """The page of this site the form was on (the Referer, sent for our own pages), if known."""
    referer = urlsplit(str(request.headers.get("Referer") or ""))
    path = referer.path
    if referer.netloc != request.get_host() or not path.startswith("/") or "\\" in path:
        return None
    if path.startswith("//"):  # another host to a browser
        return None
    return path + (f"?{referer.query}" if referer.query else "")


def form_keep(request: HttpRequest, response: HttpResponse) -> None:
    """If a POST of a logged-out user is being sent to the login page, keep what was typed.

    A form is usually sent to the address of its own page, which shows it again after the
    login. A button sent elsewhere (submit, an upload, an action without input) goes to an
    address that only takes POSTs: then the login leads back to the page the button was on,
    and nothing is kept for it but the note that nothing was done.
    """
    if request.method != "POST" or request.user.is_authenticated:
        return
    if not _is_login_redirect(request, response):
        return
    target = request.get_full_path()
    fields = _kept_fields(request)
    source = _referring_page(request)
    if source is not None and urlsplit(source).path not in (request.path, _login_path()):
        target, fields = source, []
        response["Location"] = redirect_to_login(source, _login_path())["Location"]
    had_files = bool(request.FILES)
    payload = json.dumps(
        {
            "path": target,
            "until": int(time.time()) + KEEP_SECONDS,
            "fields": fields,
            "files": had_files,
        }
    )
    if len(payload) > MAX_BYTES:
        messages.warning(
            request,
            _("Your session had ended, so the form was not sent. Log in and fill it in again."),
        )
        return
    request.session[SESSION_KEY] = encrypt_text(payload, context=CONTEXT)
    if fields:
        messages.info(
            request,
            _(
                "Your session had ended, so the form was not sent and nothing was saved. Log in "
                "again: what you typed comes back, to check and send again."
            ),
        )
    else:
        messages.info(
            request, _("Your session had ended, so nothing was done. Log in again to continue.")
        )


def _login_path() -> str:
    return resolve_url(settings.LOGIN_URL)


def _kept(request: HttpRequest) -> dict[str, Any] | None:
    """The kept form if it is for this page and still fresh; a stale or broken one is dropped."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    try:
        kept = json.loads(decrypt_text(token, context=CONTEXT))
    except (DecryptionError, ValueError):
        kept = None
    if not isinstance(kept, dict) or int(kept.get("until") or 0) < time.time():
        del request.session[SESSION_KEY]
        return None
    if kept.get("path") != request.get_full_path():
        return None
    return kept


def kept_form_data(request: HttpRequest) -> QueryDict | None:
    """For a form view's GET: the data of the form sent here when the session had ended.

    Given once (the kept copy is deleted), to a logged-in user; None when there is none. The
    view binds its form to it, so the page shows what was typed, errors included, and saves
    nothing until the user sends the form again.
    """
    if request.method != "GET" or not request.user.is_authenticated:
        return None
    kept = _kept(request)
    if kept is None:
        return None
    del request.session[SESSION_KEY]
    setattr(request, _TAKEN_ATTRIBUTE, True)
    if not kept.get("fields"):
        _say_nothing_was_done(request, kept)
        return None
    data = QueryDict(mutable=True)
    for name, values in kept.get("fields") or []:
        data.setlist(str(name), [str(value) for value in values])
    data._mutable = False
    if kept.get("files"):
        messages.warning(
            request,
            _(
                "Your session had ended, so the form was not sent and nothing was saved. Here "
                "is what you had typed: check it and send it again. Files cannot be kept: "
                "choose them again."
            ),
        )
    else:
        messages.info(
            request,
            _(
                "Your session had ended, so the form was not sent and nothing was saved. Here "
                "is what you had typed: check it and send it again."
            ),
        )
    return data


def kept_form_forget(request: HttpRequest, response: HttpResponse) -> None:
    """After a page that was kept for and did not take the data: drop it, say nothing was done.

    Runs only once the page itself answered to a logged-in user who passed every login step
    (a redirect to the second step leaves the kept form for the page after it).
    """
    if request.method != "GET" or getattr(request, _TAKEN_ATTRIBUTE, False):
        return
    if not request.user.is_authenticated or SESSION_KEY not in request.session:
        return
    if response.status_code in (301, 302, 303) and _is_login_step(response):
        return
    kept = _kept(request)
    if kept is None:
        return
    del request.session[SESSION_KEY]
    _say_nothing_was_done(request, kept)


def _say_nothing_was_done(request: HttpRequest, kept: dict[str, Any]) -> None:
    if kept.get("files"):
        messages.warning(
            request,
            _(
                "Your session had ended, so nothing was saved. Files cannot be kept: choose "
                "them again."
            ),
        )
    else:
        messages.warning(
            request,
            _("Your session had ended, so nothing was saved. Do it again if it is still needed."),
        )


def _is_login_step(response: HttpResponse) -> bool:
    location = urlsplit(response.get("Location", "")).path
    return location in {
        _login_path(),
        resolve_url("two_factor_verify"),
        resolve_url("two_factor_enrol"),
    }
