from __future__ import annotations

import hashlib
import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from paradewi.accounts import guessing, two_factor
from paradewi.accounts.access import (
    active_user,
    get_region_for_user,
    role_required,
    visible_users,
)
from paradewi.accounts.forms import CodeForm, LoginForm, PasswordSetOrResetForm
from paradewi.accounts.models import User
from paradewi.accounts.network import client_ip
from paradewi.accounts.policy import OFFICER_CONTACT_READERS
from paradewi.accounts.services import user_sessions_end_others
from paradewi.core.ratelimit import count_in_fixed_window
from paradewi.regions.models import Region
from paradewi.regions.selectors import area_overview


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required ran first
        raise Http404
    return user


def _next_url(request: HttpRequest) -> str:
    """The page the user was on their way to, if it is one of ours; else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next")
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': nxt})}" if nxt else url


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The user's own account: role, area, contact data, password, two-factor and sessions."""
    user = _user(request)
    context = {
        "two_factor_required": two_factor.two_factor_required(user),
        "two_factor_enrolled": two_factor.is_enrolled(user),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
    }
    return render(request, "accounts/account.html", context)


@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second login step: a code from the authenticator app, or a recovery code."""
    user = _user(request)
    if two_factor.is_verified(request):
        return HttpResponseRedirect(_next_url(request))
    if not two_factor.is_enrolled(user):
        if two_factor.two_factor_required(user):
            return redirect(_with_next("two_factor_enrol", request))
        request.session.pop(two_factor.PENDING_SESSION_KEY, None)
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = two_factor.wait_seconds(user)
        if wait:
            form.add_error(
                "code",
                _("Too many wrong codes. Wait %(seconds)d seconds and try again.")
                % {"seconds": wait},
            )
        elif two_factor.code_verify(request=request, user=user, code=form.cleaned_data["code"]):
            return HttpResponseRedirect(_next_url(request))
        else:
            form.add_error("code", _("That code is not right. Check the time on your phone."))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@never_cache
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the secret), confirm with a code."""
    user = _user(request)
    if two_factor.is_enrolled(user):
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return redirect("account")
    device = two_factor.enrolment_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.wait_seconds(user):
            form.add_error("code", _("Too many wrong codes. Wait a moment and try again."))
        elif two_factor.enrolment_confirm(
            request=request, user=user, device=device, code=form.cleaned_data["code"]
        ):
            return redirect(_with_next("two_factor_codes", request))
        else:
            form.add_error("code", _("That code is not right. Check the time on your phone."))
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_for_display(device),
        "required": two_factor.two_factor_required(user),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@never_cache
@login_required
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once right after they were made."""
    codes = request.session.pop(two_factor.CODES_SESSION_KEY, None)
    if not codes:
        return redirect("account")
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "continue_url": _next_url(request)},
    )


@require_POST
@login_required
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not two_factor.is_enrolled(user) or not two_factor.is_verified(request):
        return redirect("account")
    request.session[two_factor.CODES_SESSION_KEY] = two_factor.recovery_codes_make(user=user)
    return redirect("two_factor_codes")


@require_POST
@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor authentication off: only for roles that do not require it."""
    user = _user(request)
    if two_factor.two_factor_required(user):
        messages.error(request, _("Your role requires two-factor authentication."))
        return redirect("account")
    two_factor.two_factor_remove(user=user, by=None, reason="Turned off by the user.")
    # Other sessions end with the devices; this one stays.
    update_session_auth_hash(request, user)
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("account")


@require_POST
@login_required
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """End every other session of the user (other browsers, phones, forgotten computers)."""
    user_sessions_end_others(request=request, user=_user(request))
    messages.success(request, _("You are logged out on every other device."))
    return redirect("account")


class LoginView(auth_views.LoginView):
    """Django's login, which remembers the browser for the account after a correct password
    and answers 429 while the client's address is closed for guessing (accounts/guessing.py)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        guessing.remember_device(self.request, response, form.get_user().get_username())
        return response

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.has_error("__all__", "address_closed"):
            response.status_code = 429
        return response


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' lockout answer: the login page with a clear message, status 429."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    message = _(
        "Too many failed log-in attempts for this account from your network. Try again in "
        "%(minutes)d minutes, or ask the administrator to unlock it."
    ) % {"minutes": minutes}
    # Unbound: no "wrong password" under the message, which says it all.
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "locked_out": message,
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, with a limit per client IP and per address within an hour.

    Over the IP limit the form says to wait; over the address limit the answer is the usual
    "check your e-mail" without sending anything, so the limit reveals nothing about which
    addresses have an account.
    """

    form_class = PasswordSetOrResetForm

    def form_valid(self, form: PasswordSetOrResetForm) -> HttpResponse:
        ip_key = "password-reset:ip:" + client_ip(self.request)
        email = form.cleaned_data["email"].strip().lower()
        email_key = "password-reset:email:" + hashlib.sha256(email.encode()).hexdigest()
        if count_in_fixed_window(ip_key) > settings.PASSWORD_RESET_LIMIT_PER_IP:
            form.add_error(
                None, _("Too many reset requests from your network. Try again in an hour.")
            )
            return self.form_invalid(form)
        if count_in_fixed_window(email_key) > settings.PASSWORD_RESET_LIMIT_PER_EMAIL:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


@role_required()
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An area inside the user's own: its sub-areas and, for those who may, its officers."""
    region = get_region_for_user(request.user, code)
    officers = None
    actor = active_user(request.user)
    if actor is not None and actor.role in OFFICER_CONTACT_READERS:
        officers = (
            visible_users(request.user)
            .filter(area=region, is_active=True)
            .order_by("full_name")
            .only("full_name", "role", "phone", "email")
        )
    children = area_overview(region) if region.level != Region.Level.VILLAGE else []
    return render(
        request,
        "accounts/area_detail.html",
        {"region": region, "children": children, "officers": officers},
    )
