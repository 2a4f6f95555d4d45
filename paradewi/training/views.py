"""Pages of training mode: the switch, the training home with its scenarios, the Dinas head's
progress page, purging, and help (docs/training.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.models import Role, User
from paradewi.accounts.policy import TRAINEES, TRAINING_OVERSEERS
from paradewi.catalogue.models import Service
from paradewi.catalogue.selectors import current_version
from paradewi.regions.models import Region
from paradewi.requests.errors import NotAllowedError, WorkflowError
from paradewi.training import help as training_help
from paradewi.training import selectors, services
from paradewi.training.forms import PurgeForm, StartForm, SwitchForm
from paradewi.training.models import Scenario


@role_required(*TRAINEES)
@require_GET
def training_home(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    context: dict[str, Any] = {
        "scenarios": selectors.scenarios() if actor.role == Role.VILLAGE_OFFICER else [],
        "runs": selectors.runs_of(actor),
        "start_form": StartForm(),
        "purge_form": PurgeForm(initial={"officer": actor.pk}),
    }
    return render(request, "training/home.html", context)


@role_required(*TRAINEES)
@require_POST
def training_switch(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = SwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose on or off."))
        return redirect("training_home")
    if form.cleaned_data["on"]:
        services.training_enter(session=request.session, actor=actor)
        messages.info(request, _("Training mode is on: everything you do now is practice."))
        return redirect("training_home")
    services.training_leave(session=request.session, actor=actor)
    messages.info(request, _("Training mode is off: back to real requests."))
    return redirect("home")


@role_required(Role.VILLAGE_OFFICER)
@require_POST
def practice_start(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a scenario."))
        return redirect("training_home")
    scenario = Scenario.objects.filter(code=form.cleaned_data["scenario"]).first()
    if scenario is None:
        raise Http404
    try:
        practice = services.practice_start(
            actor=actor, scenario=scenario, idempotency_key=form.cleaned_data["idempotency_key"]
        )
    except NotAllowedError as error:
        messages.error(request, str(error))
        return redirect("training_home")
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("training_home")
    messages.success(request, _("Practice started: fill in the data and upload the scans."))
    return redirect(reverse("request_edit", args=[practice.pk]))


@role_required(*TRAINING_OVERSEERS)
@require_GET
def training_progress(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("district", "")
    district = (
        Region.objects.filter(code=code, level=Region.Level.DISTRICT).first() if code else None
    )
    if code and district is None:
        raise Http404
    offered = selectors.scenarios()
    context = {
        "districts": selectors.progress(district, offered=len(offered)),
        "district": district,
        "all_districts": Region.objects.filter(level=Region.Level.DISTRICT).order_by("code"),
        "scenarios": offered,
        "total": len(offered),
        "purge_form": PurgeForm(),
    }
    return render(request, "training/progress.html", context)


@role_required(*TRAINEES)
@require_POST
def practice_purge(request: HttpRequest) -> HttpResponse:
    """An officer deletes their own practice; the Dinas head one officer's, one kecamatan's
    or everyone's."""
    actor = request_actor(request)
    form = PurgeForm(request.POST)
    back = "training_progress" if actor.role in TRAINING_OVERSEERS else "training_home"
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm."))
        return redirect(back)
    data = form.cleaned_data
    officer: User | None = actor
    area: Region | None = None
    if actor.role in TRAINING_OVERSEERS:
        if data["everything"]:
            officer = None
        elif data["district"]:
            officer = None
            area = get_object_or_404(Region, code=data["district"], level=Region.Level.DISTRICT)
        elif data["officer"]:
            officer = get_object_or_404(User, pk=data["officer"])
    purged = services.practice_purge(officer=officer, area=area)
    messages.success(
        request,
        _("%(count)d practice requests deleted; real requests were not touched.")
        % {"count": purged.requests},
    )
    return redirect(back)


@require_GET
def how_it_works(request: HttpRequest, role: str) -> HttpResponse:
    page = training_help.ROLE_PAGES.get(role)
    if page is None:
        raise Http404
    return render(
        request,
        "training/how_it_works.html",
        {"page": page, "role": role, "pages": training_help.ROLE_PAGES},
    )


@require_GET
def service_help(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(Service, code=code, is_active=True)
    version = current_version(service)
    if version is None:
        raise Http404
    return render(
        request,
        "training/service_help.html",
        {
            "service": service,
            "requirements": training_help.requirement_help(version.definition),
            "returns": training_help.frequent_returns(service, version.definition),
            "good": training_help.GOOD,
        },
    )
