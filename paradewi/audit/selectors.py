"""Reading the access log: per request and per user, newest first, for the Dinas head.

Each page is a bounded number of queries whatever the number of rows: the count, and one
query for the page's rows joined to what they show (user, area, request number).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import Http404

from paradewi.accounts.access import active_user, visible_users
from paradewi.accounts.models import User
from paradewi.accounts.policy import AUDIT_ROLES
from paradewi.audit.models import AccessLog
from paradewi.requests.models import ServiceRequest

PAGE_SIZE = 50
USERS_PAGE_SIZE = 50


def may_read_access_log(user: User | AnonymousUser) -> bool:
    actor = active_user(user)
    return actor is not None and actor.role in AUDIT_ROLES


def request_log(service_request: ServiceRequest) -> QuerySet[AccessLog]:
    """Who opened or took this request's personal data, newest first."""
    return (
        AccessLog.objects.filter(request=service_request)
        .select_related("user", "area")
        .order_by("-at", "-id")
    )


def user_log(user: User) -> QuerySet[AccessLog]:
    """What this user opened or took, newest first, with each request's number."""
    return (
        AccessLog.objects.filter(user=user)
        .select_related("area")
        .annotate(request_number=F("request__number"))
        .order_by("-at", "-id")
    )


def paginate(rows: QuerySet[Any], page_number: str | None, size: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(rows, size).get_page(page_number)


def users_for_log(actor: User, query: str = "") -> QuerySet[User]:
    """The accounts the Dinas head may look up, matching `query` (username or name)."""
    users = visible_users(actor).select_related("area")
    query = query.strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return users.order_by("username")


def get_user_for_log(actor: User, user_pk: int) -> User:
    """One account the Dinas head may look up, or Http404."""
    found = visible_users(actor).select_related("area").filter(pk=user_pk).first()
    if found is None:
        raise Http404
    return found
