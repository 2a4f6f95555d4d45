"""Views of the project as a whole."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template


def bench_floor(request: HttpRequest) -> HttpResponse:
    """The framework floor of the load test (bench/load): the whole middleware stack and a
    plain response, without a template, the database or the session. Routed only when
    BENCH_FLOOR_VIEW is on (paradewi/urls.py); never in production."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def bench_floor_signed_in(request: HttpRequest) -> HttpResponse:
    """The authenticated floor of the load test: what every page of a signed-in officer pays
    before doing anything of its own. The same middleware, the session and the user loaded
    from the database, the second factor checked (TwoFactorRequiredMiddleware), one query on
    a primary key and a one-line template (no context processors: the menu and its counters
    are the pages' own work). The ratios of bench/load are taken to this view. Routed only
    when BENCH_FLOOR_VIEW is on; never in production."""
    users = get_user_model().objects
    user_id = int(request.user.pk or 0)  # login_required: a signed-in user
    last_login = users.filter(pk=user_id).values_list("last_login", flat=True).first()
    page = get_template("core/bench_floor.html").render({"user": request.user, "seen": last_login})
    return HttpResponse(page)
