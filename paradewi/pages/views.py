from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from paradewi.accounts.access import active_user, role_required
from paradewi.accounts.models import User
from paradewi.accounts.policy import ACCOUNT_LISTERS
from paradewi.pages.selectors import home_context, without_officer_by_district
from paradewi.pages.services import database_status, may_see_health_details, worker_status
from paradewi.regions.selectors import deployed_regency

# Colours of the icons and of the page header (static/css/app.css: --brand, --bg).
THEME_COLOR = "#0b5d3b"
BACKGROUND_COLOR = "#f6f7f9"


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
    """`{"ok": ...}`; 503 when the database is down. The parts (database vendor, worker
    heartbeat) only for monitoring: the HEALTHZ_TOKEN bearer or a direct call from this host."""
    database = database_status()
    worker = worker_status() if database["ok"] else {"ok": False}
    body: dict[str, object] = {"ok": database["ok"] and worker["ok"]}
    if may_see_health_details(request):
        body |= {"database": database, "worker": worker}
    return JsonResponse(body, status=200 if database["ok"] else 503)


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: a phone's browser offers to add paradewi to the home screen, where
    it opens like an app (its own icon, no address bar) at the officer's home page. No service
    worker: pages always come from the server, so nothing stale is shown offline."""
    regency = deployed_regency()
    name = f"paradewi {regency.name}" if regency else "paradewi"
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    body = {
        "name": name,
        "short_name": "paradewi",
        "description": _("Population-document services from the village office"),
        "lang": get_language() or "id",
        "start_url": "/home/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons + [{**icon, "purpose": "maskable"} for icon in icons],
    }
    return JsonResponse(
        body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@cache_control(public=True, max_age=7 * 24 * 60 * 60)
def favicon(request: HttpRequest) -> FileResponse:
    """`/favicon.ico`, which browsers ask for by themselves whatever the page links."""
    found = finders.find("icons/favicon.ico")
    if not isinstance(found, str):
        raise Http404
    return FileResponse(open(found, "rb"), content_type="image/vnd.microsoft.icon")
