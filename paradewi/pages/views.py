from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from paradewi.accounts.access import active_user, role_required
from paradewi.accounts.models import User
from paradewi.accounts.policy import ACCOUNT_LISTERS
from paradewi.pages.selectors import home_context, without_officer_by_district
from paradewi.pages.services import database_status, worker_status


def index(request: HttpRequest) -> HttpResponse:
    """Officers go to their home page; everyone else sees the public front page."""
    if active_user(request.user) is not None:
        return redirect("home")
    return render(request, "pages/index.html")


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - role_required guarantees it
    return render(request, f"pages/home_{user.role}.html", home_context(user))


@role_required(*ACCOUNT_LISTERS)
@require_GET
def villages_without_officer(request: HttpRequest) -> HttpResponse:
    """The villages of the user's area without an active village officer, per kecamatan."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - role_required guarantees it
    assert user.area is not None  # noqa: S101
    return render(
        request,
        "pages/villages_without_officer.html",
        {"area": user.area, "districts": without_officer_by_district(user.area)},
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and worker status as JSON; 503 when the database is down."""
    database = database_status()
    worker = worker_status() if database["ok"] else {"ok": False}
    body = {"ok": database["ok"] and worker["ok"], "database": database, "worker": worker}
    return JsonResponse(body, status=200 if database["ok"] else 503)
