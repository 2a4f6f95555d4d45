"""Residents following their request: by number and PIN, or by the receipt's QR code.

Nothing here is cached (the pages show a resident's status) and the form is CSRF-protected.
The templates receive a `PublicStatus`, never the request itself, so no personal field can
slip into the page.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from paradewi.accounts.network import client_ip
from paradewi.requests.tracking import (
    PublicStatus,
    TooManyAttemptsError,
    check_token,
    find_by_number_and_pin,
    public_status,
)

EXPIRED = _(
    "This link from a message has expired. Type the PIN printed on the receipt to see the status."
)
NOT_FOUND = _("Number or PIN is wrong. Check them on the receipt and try again.")


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        help_text=_("As on the receipt, for example 3516012001-2611-0007."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


def _status_page(request: HttpRequest, status: PublicStatus) -> HttpResponse:
    response = render(request, "requests/public/status.html", {"status": status})
    # Status pages are for the resident, not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The tracking form; a right number and PIN show the status, anything else one message."""
    form = TrackForm(request.POST or None)
    status_code = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = find_by_number_and_pin(
                number=form.cleaned_data["number"],
                pin=form.cleaned_data["pin"],
                client_ip=client_ip(request),
            )
        except TooManyAttemptsError as error:
            form.add_error(None, str(error))
            status_code = 429
        else:
            if found is not None:
                return _status_page(request, public_status(found))
            form.add_error(None, NOT_FOUND)
    return render(request, "requests/public/track.html", {"form": form}, status=status_code)


@never_cache
@require_GET
def track_token(request: HttpRequest, token: str) -> HttpResponse:
    """The status page the receipt's QR code or a message's link opens; a bad or altered token
    is a 404, a message link past its time the tracking form with the number filled in."""
    check = check_token(token)
    if check.expired:
        form = TrackForm(initial={"number": check.number})
        context = {"form": form, "expired": EXPIRED}
        return render(request, "requests/public/track.html", context)
    if check.request is None:
        raise Http404
    return _status_page(request, public_status(check.request))
