"""The access log for the Dinas head: per request (linked from the request page) and per user
(from the list of accounts in the audit section). Every other role gets 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.policy import AUDIT_ROLES
from paradewi.audit import selectors
from paradewi.audit.forms import UserSearchForm
from paradewi.requests.selectors import get_request_for_user


@require_GET
@never_cache
@role_required(*AUDIT_ROLES)
def user_list(request: HttpRequest) -> HttpResponse:
    """The accounts, searchable by username or name, each linking to its access log."""
    form = UserSearchForm(request.GET or None)
    users = selectors.users_for_log(request_actor(request), form.query())
    page = selectors.paginate(users, request.GET.get("page"), selectors.USERS_PAGE_SIZE)
    return render(request, "audit/user_list.html", {"form": form, "page": page})


@require_GET
@never_cache
@role_required(*AUDIT_ROLES)
def user_log(request: HttpRequest, user_pk: int) -> HttpResponse:
    """What one user opened or took, newest first."""
    person = selectors.get_user_for_log(request_actor(request), user_pk)
    page = selectors.paginate(selectors.user_log(person), request.GET.get("page"))
    return render(request, "audit/user_log.html", {"person": person, "page": page})


@require_GET
@never_cache
@role_required(*AUDIT_ROLES)
def request_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who opened or took one request's personal data, newest first."""
    service_request = get_request_for_user(request_actor(request), pk)
    page = selectors.paginate(selectors.request_log(service_request), request.GET.get("page"))
    return render(request, "audit/request_log.html", {"req": service_request, "page": page})
