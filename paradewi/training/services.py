"""Writes of training mode (docs/training.md): the switch, starting a scenario, the scenario's
steps, and purging practice data.

The scenario plays through the real task queue (django-tasks): the officer's submission of a
practice request is a committed history row, `scenario_react` enqueues `play_scenario_task`,
and the worker takes the kecamatan's and the Dinas's steps (`scenario_play`) a moment later,
as colleagues would. With the immediate backend (tests, a worker-less demo) it runs right
after the officer's commit, in the same web request.
"""

from __future__ import annotations

import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from paradewi.accounts.models import Role, User
from paradewi.accounts.policy import TRAINEES
from paradewi.audit.models import AccessLog
from paradewi.documents.services import output_issue
from paradewi.regions.models import Region
from paradewi.requests import services as request_services
from paradewi.requests.errors import NotAllowedError, WorkflowError
from paradewi.requests.files import check_output_pdf
from paradewi.requests.models import ServiceRequest, Status, Transition, Upload
from paradewi.requests.workflow import Action
from paradewi.training.models import PracticeRun, Scenario
from paradewi.training.sample import sample_result_pdf

# The session key of the switch: training mode lasts as long as the login on that device.
SESSION_KEY = "paradewi.training"


# --- the switch ----------------------------------------------------------------------------------


def may_practise(user: object) -> bool:
    return isinstance(user, User) and user.is_active and user.role in TRAINEES


def training_enter(*, session: SessionBase, actor: User) -> None:
    """Turn training mode on for this login: practice requests only from now on."""
    if not may_practise(actor):
        raise NotAllowedError(_("Your role has no training mode."))
    session[SESSION_KEY] = True
    actor.in_training = True


def training_leave(*, session: SessionBase, actor: User) -> None:
    """Back to real work: real requests only."""
    session.pop(SESSION_KEY, None)
    actor.in_training = False


# --- starting a scenario -------------------------------------------------------------------------


@transaction.atomic
def practice_start(
    *, actor: User, scenario: Scenario, idempotency_key: uuid.UUID
) -> ServiceRequest:
    """A practice request for `scenario` under the officer's own account, in its village,
    with the service as the regency's catalogue offers it now; the draft starts with the
    scenario's invented resident and the officer fills in the rest."""
    if not actor.in_training:
        raise NotAllowedError(_("Turn on training mode (Latihan) first."))
    if actor.role != Role.VILLAGE_OFFICER or actor.area is None:
        raise NotAllowedError(_("Scenarios are played from a village officer's account."))
    if not scenario.is_active:
        raise WorkflowError(_("This scenario is not offered at the moment."))
    request, created = request_services.request_create(
        actor=actor,
        service=scenario.service,
        village=actor.area,
        idempotency_key=idempotency_key,
        played_by_scenario=True,
        subject_name=scenario.resident_name,
    )
    if created:
        PracticeRun.objects.create(
            request=request, scenario=scenario, officer=actor, village=actor.area
        )
    return request


# --- the scenario's steps ------------------------------------------------------------------------


def scenario_react(transition_id: int) -> None:
    """After each committed row of a practice request (`requests.events`): a submission of a
    request the scenario plays wakes the scenario (through the queue); the last hand-over
    completes the run."""
    from paradewi.training.tasks import play_scenario_task

    row = (
        Transition.everything.filter(pk=transition_id, is_practice=True)
        .values("request_id", "action", "to_status", "request__played_by_scenario")
        .first()
    )
    if row is None or not row["request__played_by_scenario"]:
        return
    if row["action"] == Action.SUBMIT:
        play_scenario_task.enqueue(row["request_id"])
    elif row["action"] == Action.HAND_OVER and row["to_status"] == Status.HANDED_OVER:
        PracticeRun.objects.filter(request_id=row["request_id"], completed_at=None).update(
            completed_at=timezone.now()
        )


def _current_upload(request: ServiceRequest, code: str) -> int | None:
    found: int | None = (
        Upload.objects.filter(request=request, requirement_code=code, replaced_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    return found


def _fixed(request: ServiceRequest, run: PracticeRun) -> bool:
    """Whether the village replaced the scan the last return asked for (its current upload
    is another one than the one the return saw)."""
    code = run.scenario.return_requirement
    if not code or run.returned_at is None:
        return True
    last = (
        Transition.everything.filter(request=request, action=Action.PRACTICE_RETURN)
        .order_by("-pk")
        .first()
    )
    seen = last.details.get("upload") if last is not None else None
    return _current_upload(request, code) != seen


def scenario_play(request_id: int) -> str:
    """Take the kecamatan's and the Dinas's steps on a submitted practice request: verify;
    return once for the scenario's requirement (again if the scan was not replaced); otherwise
    complete with a sample result. Returns the status it left the request in. What it writes
    (reasons, the pick-up place) is in the deployment's language, whoever's screen started it.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _play(request_id)


def _play(request_id: int) -> str:
    request = (
        ServiceRequest.practice.filter(pk=request_id, played_by_scenario=True)
        .select_related("service_version", "village", "created_by")
        .first()
    )
    run = PracticeRun.objects.filter(request_id=request_id).select_related("scenario").first()
    if request is None or run is None:
        return "gone"
    if request.status == Status.SUBMITTED:
        request = request_services.request_scenario_step(
            request=request, action=Action.PRACTICE_VERIFY
        )
    if request.status != Status.VERIFIED:
        return str(request.status)
    scenario = run.scenario
    if scenario.return_requirement and run.returned_at is None:
        return _return(request, run, scenario.return_reason)
    if not _fixed(request, run):
        return _return(
            request,
            run,
            _("The scan was not replaced: upload a new, readable scan of this document."),
        )
    return _complete(request)


@transaction.atomic
def _return(request: ServiceRequest, run: PracticeRun, reason: str) -> str:
    code = run.scenario.return_requirement
    request = request_services.request_scenario_step(
        request=request,
        action=Action.PRACTICE_RETURN,
        reason=_("Returned by the Dinas (practice scenario)."),
        items={code: reason},
        details={"upload": _current_upload(request, code)},
    )
    PracticeRun.objects.filter(pk=run.pk).update(returned_at=timezone.now())
    return str(request.status)


@transaction.atomic
def _complete(request: ServiceRequest) -> str:
    done = request_services.request_scenario_step(request=request, action=Action.PRACTICE_COMPLETE)
    for output in request.definition["outputs"]:
        if output["is_card"]:
            continue
        pdf = sample_result_pdf(request, output_name=output["name"])
        checked = check_output_pdf(
            SimpleUploadedFile("sample.pdf", pdf, content_type="application/pdf")
        )
        # The officer stands in as the uploader (the column names a person; nobody uploaded
        # it): a practice request's documents are theirs alone.
        output_issue(
            request=done, actor=request.created_by, output_code=output["code"], file=checked
        )
    return str(done.status)


# --- purging -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Purged:
    requests: int
    files: int


def _purge_requests(requests: list[int]) -> Purged:
    from paradewi.documents.models import OutputFile

    files = [
        *Upload.objects.filter(request_id__in=requests).values_list("file", flat=True),
        *OutputFile.everything.filter(request_id__in=requests).values_list("file", flat=True),
    ]
    with transaction.atomic():
        # Only practice rows: every delete below is limited to these ids, read from the
        # practice manager, and the last one checks the flag once more.
        AccessLog.objects.filter(request_id__in=requests).delete()
        PracticeRun.objects.filter(request_id__in=requests).delete()
        ServiceRequest.everything.filter(pk__in=requests, is_practice=True).delete()

        def delete_files() -> None:
            storage = Upload.file.field.storage
            for name in files:
                if name:
                    storage.delete(name)

        transaction.on_commit(delete_files)
    return Purged(requests=len(requests), files=len([name for name in files if name]))


def practice_purge(*, officer: User | None = None, area: Region | None = None) -> Purged:
    """Delete practice requests with their history, scans, results, access records and runs:
    one officer's (`officer`), one kecamatan's or village's (`area`), or all of them. Real
    requests are never read here: the ids come from `ServiceRequest.practice`."""
    practice = ServiceRequest.practice.all()
    if officer is not None:
        practice = practice.filter(created_by=officer)
    if area is not None:
        practice = (
            practice.filter(village_id=area.pk)
            if area.level == Region.Level.VILLAGE
            else practice.filter(district_id=area.pk)
        )
    purged = Purged(0, 0)
    ids = list(practice.order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), 500):
        chunk = _purge_requests(ids[first : first + 500])
        purged = Purged(purged.requests + chunk.requests, purged.files + chunk.files)
    return purged


# --- backups -------------------------------------------------------------------------------------


def practice_backup_note(using: str) -> dict[str, Any]:
    """What a backup's manifest says about practice data: included or not, and how much."""
    requests = ServiceRequest.practice.using(using).count()
    return {
        "included": requests > 0,
        "requests": requests,
        "summary": (
            f"includes practice data: {requests} practice requests (purge them with "
            "`manage.py training_purge --all` before a backup that must hold none)"
            if requests
            else "holds no practice data"
        ),
    }


# --- the scenarios shipped with paradewi ---------------------------------------------------------

SCENARIOS_PATH = Path(__file__).resolve().parent / "data" / "scenarios.toml"


@transaction.atomic
def scenarios_load(path: Path = SCENARIOS_PATH, *, update: bool = False) -> int:
    """Create the scenarios of the file that are missing (every one with `update`, the
    Dinas's edits overwritten); a scenario whose service the catalogue lacks is skipped.
    Returns how many were written."""
    from paradewi.catalogue.models import Service

    written = 0
    for entry in tomllib.loads(path.read_text(encoding="utf-8"))["scenarios"]:
        service = Service.objects.filter(code=entry["service"]).first()
        if service is None:
            continue
        values = {
            "service": service,
            "title": entry["title"],
            "story": entry["story"].strip(),
            "resident_name": entry["resident_name"],
            "return_requirement": entry.get("return_requirement", ""),
            "return_reason": entry.get("return_reason", ""),
            "order": entry.get("order", 0),
        }
        scenario = Scenario.objects.filter(code=entry["code"]).first()
        if scenario is not None and not update:
            continue
        scenario = scenario or Scenario(code=entry["code"])
        for name, value in values.items():
            setattr(scenario, name, value)
        scenario.full_clean()
        scenario.save()
        written += 1
    return written
