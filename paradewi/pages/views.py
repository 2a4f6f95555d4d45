from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from paradewi.accounts.access import active_user, role_required
from paradewi.accounts.models import User
from paradewi.pages.selectors import home_context
from paradewi.pages.services import database_status, may_see_health_details, worker_status


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


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """`{"ok": ...}`; 503 when the database is down. The parts (database vendor, worker
    heartbeat) only for monitoring: the HEALTHZ_TOKEN bearer or a direct call from this host."""
    database = database_status()
    worker = worker_status() if database["ok"] else {"ok": False}
    body: dict[str, object] = {"ok": database["ok"] and worker["ok"]}
    if may_see_health_details(request):
        body |= {"database": database, "worker": worker}
    return JsonResponse(body, status=200 if database["ok"] else 503)
