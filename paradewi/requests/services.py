"""Writes to requests: one service per workflow transition (docs/design.md, "The request and
its workflow").

Each transition asks the workflow table (`workflow.check`) whether the actor may take it now,
checks what the action needs besides (a reason, the files, a clerk), changes the status
with a compare-and-swap (`UPDATE ... WHERE status = <the status the actor saw>`) inside
`transaction.atomic`, and appends a Transition row. A row count other than 1 means someone
else got there first (StaleRequestError). Side effects run after commit.
"""

from __future__ import annotations

import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from paradewi.accounts.models import User
from paradewi.accounts.policy import DINAS_ROLES
from paradewi.catalogue.models import Service, ServiceVersion
from paradewi.catalogue.selectors import current_version
from paradewi.core.crypto import DecryptionError
from paradewi.core.fields import with_blind_indexes
from paradewi.regions.models import Region
from paradewi.requests import events, history, workflow
from paradewi.requests.errors import NotAllowedError, StaleRequestError, WorkflowError
from paradewi.requests.files import (
    CheckedFile,
    ReceivedFile,
    check_upload,
    finish_image,
    receive_upload,
)
from paradewi.requests.models import (
    OPEN_STATES,
    CorrectionCause,
    HandOver,
    NumberSequence,
    Part,
    Receiver,
    Relationship,
    ServiceRequest,
    Status,
    Transition,
    Upload,
    UploadState,
    correction_target,
    upload_path,
)
from paradewi.requests.name_index import name_index_write
from paradewi.requests.requirements import checklist
from paradewi.requests.workflow import DATA, EVIDENCE, Action
from paradewi.worktime.services import (
    MAX_DAYS_AHEAD,
    CalendarChange,
    WorkingTimeIndex,
    add_working_minutes,
    target_minutes,
    working_minutes_between,
)

# Fields of the subject and reporter a create/update may set.
PERSON_FIELDS = (
    "subject_nik",
    "subject_kk",
    "subject_name",
    "subject_sex",
    "subject_birth_place",
    "subject_birth_date",
    "reporter_nik",
    "reporter_name",
    "reporter_phone",
    "reporter_relationship",
)


def _move(request: ServiceRequest, **kwargs: Any) -> ServiceRequest:
    """`_move_with_row` without the history row."""
    return _move_with_row(request, **kwargs)[0]


def _move_with_row(
    request: ServiceRequest,
    *,
    actor: User,
    action: Action,
    reason: str = "",
    details: dict[str, Any] | None = None,
    expect_holder: bool = False,
    part: str | None = None,
    **updates: Any,
) -> tuple[ServiceRequest, Transition]:
    """Compare-and-swap the status from what the actor saw to the state the workflow table
    gives for `action`, then append the history row.

    Call inside transaction.atomic, after workflow.check (with the same `part`). With
    `expect_holder`, the holder must also be unchanged; a hand-over also expects the cards'
    hand-over unchanged (two parts handed over at once at two offices).
    """
    to_status = workflow.target(actor, request, action, part=part)
    if updates.get("due_at") is not None:
        # The history keeps every due time it sets, so verify_history can tell a due time
        # changed behind the workflow's back (requests/history.py, verify_state).
        details = {**(details or {}), history.DUE_KEY: history.due_text(updates["due_at"])}
    now = timezone.now()
    guard: dict[str, Any] = {"pk": request.pk, "status": request.status}
    if expect_holder:
        guard["holder"] = request.holder_id
    if action == Action.HAND_OVER:
        guard["cards_handed_over_at"] = request.cards_handed_over_at
    changed = ServiceRequest.everything.filter(**guard).update(
        status=to_status, status_changed_at=now, updated_at=now, **updates
    )
    if changed != 1:
        raise StaleRequestError(
            _("Someone else changed this request a moment ago. Reload it to see its status.")
        )
    transition = _history_row(
        request,
        actor=actor,
        action=action,
        from_status=request.status,
        to_status=to_status,
        reason=reason.strip(),
        details=details or {},
    )
    request.refresh_from_db()
    return request, transition


def _history_row(request: ServiceRequest, **values: Any) -> Transition:
    """Append the history row of a transition of `request`, and tell the subscribers after
    commit. A real request's row joins the tamper-evident chain and reaches the notifications;
    a practice request's row stays outside the chain and reaches only the training scenario
    (`events.practice_transition_committed`). Call inside transaction.atomic."""
    actor: User | None = values.pop("actor")
    if not request.is_practice:
        head = history.lock_head()
    transition = Transition.everything.create(
        request=request,
        actor=actor,
        actor_role=actor.role if actor is not None else "",
        is_practice=request.is_practice,
        **values,
    )
    if request.is_practice:
        transaction.on_commit(
            partial(events.practice_transition_committed, transition.pk), robust=True
        )
    else:
        history.append(transition, head)
        transaction.on_commit(partial(events.transition_committed, transition.pk), robust=True)
    return transition


# --- creating and editing (village officer, kecamatan operator) -------------------------------


@transaction.atomic
def request_create(
    *,
    actor: User,
    service: Service,
    village: Region,
    idempotency_key: uuid.UUID,
    details: dict[str, Any] | None = None,
    played_by_scenario: bool = False,
    **person: Any,
) -> tuple[ServiceRequest, bool]:
    """Create a draft for a resident of `village`; returns (request, created).

    An actor in training makes a practice request (never real, never counted:
    docs/training.md); `played_by_scenario` gives its kecamatan and Dinas steps to the
    training scenario instead of colleagues in training.

    The same idempotency key (a hidden field of the form) returns the request it created
    before, so a double click or a browser retry never makes a second request.
    """
    existing = ServiceRequest.everything.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.created_by_id != actor.pk or existing.is_practice != actor.in_training:
            raise NotAllowedError(_("You cannot do this on this request."))
        return existing, False
    if played_by_scenario and not actor.in_training:
        raise NotAllowedError(_("You cannot create requests for this village."))
    workflow.check_create(actor, village)
    if village.level != Region.Level.VILLAGE or not village.is_active:
        raise WorkflowError(_("Choose an active village or kelurahan."))
    version = current_version(service)
    if version is None or not service.is_active:
        raise WorkflowError(_("This service is not offered at the moment."))
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    assert village.parent_id is not None  # noqa: S101 - a village always has its kecamatan
    request = ServiceRequest(
        service=service,
        service_version=version,
        village=village,
        district_id=village.parent_id,
        created_by=actor,
        idempotency_key=idempotency_key,
        details=details or {},
        is_practice=actor.in_training,
        played_by_scenario=played_by_scenario,
        **person,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # The same key posted twice at the same moment: the other one won.
        return ServiceRequest.everything.get(idempotency_key=idempotency_key), False
    name_index_write(request)
    _history_row(
        request,
        actor=actor,
        action=Action.CREATE,
        from_status="",
        to_status=workflow.target(actor, request, Action.CREATE),
    )
    return request, True


# --- corrections (pembetulan) of an issued request ----------------------------------------------

# The existing data-change services a change of the resident's data goes to: the family card's
# own, or the resident's biodata (which issues a new KK too).
DATA_CHANGE_SERVICES = {"kk": "kk-perubahan", "kk-tinggal": "kk-perubahan"}
DATA_CHANGE_SERVICE = "perubahan-biodata"
WRONG_MAX = 1000


def _row(
    request: ServiceRequest,
    *,
    actor: User,
    action: Action,
    from_status: str,
    to_status: str,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> Transition:
    """Append one history row to the chain. Call inside transaction.atomic."""
    head = history.lock_head()
    transition = Transition.objects.create(
        request=request,
        actor=actor,
        actor_role=actor.role,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason.strip(),
        details=details or {},
    )
    history.append(transition, head)
    transaction.on_commit(partial(events.transition_committed, transition.pk), robust=True)
    return transition


def _correction_noted(
    *, actor: User, original: ServiceRequest, correction: ServiceRequest, wrong: str
) -> None:
    """The CORRECT row of the corrected request (its state unchanged, compare-and-swap on it so
    a request changed meanwhile is not noted on), naming the correction: the timelines link
    both ways."""
    changed = ServiceRequest.objects.filter(pk=original.pk, status=original.status).update(
        updated_at=timezone.now()
    )
    if changed != 1:
        raise StaleRequestError(
            _("Someone else changed this request a moment ago. Reload it to see its status.")
        )
    _row(
        original,
        actor=actor,
        action=Action.CORRECT,
        from_status=original.status,
        to_status=original.status,
        reason=wrong,
        details={
            "correction": correction.pk,
            "cause": correction.correction_cause,
            "output": correction.correction_output,
        },
    )


def _clean_wrong(wrong: str) -> str:
    wrong = wrong.strip()
    if not wrong:
        raise WorkflowError(_("Say what is wrong on the document."))
    if len(wrong) > WRONG_MAX:
        raise WorkflowError(
            _("Write what is wrong in at most %(limit)d characters.") % {"limit": WRONG_MAX}
        )
    return wrong


@transaction.atomic
def correction_open(
    *,
    actor: User,
    original: ServiceRequest,
    output_code: str,
    wrong: str,
    evidence: UploadedFile,
) -> ServiceRequest:
    """Open the correction of the Dinas's own clerical error in document `output_code` of
    `original` (pembetulan, UU 23/2006 Pasal 71 as amended by UU 24/2013: at the Dinas's
    initiative or on request).

    The correction is a request of its own: the same service narrowed to that document
    (`ServiceRequest.definition`), the person's data copied, the evidence its one upload
    (checked as every upload is), straight in the Dinas queue with its own short target. Both
    requests get a history row naming the other. Which documents may be corrected (issued,
    still valid, not under correction) `documents.services.correction_start` checks: call
    that one.
    """
    workflow.check(actor, original, Action.CORRECT)
    wrong = _clean_wrong(wrong)
    codes = {output["code"] for output in original.definition["outputs"] if not output["is_card"]}
    if output_code not in codes:
        raise WorkflowError(_("This service issues no such document."))
    checked = check_upload(evidence)
    now = timezone.now()
    correction = ServiceRequest(
        service=original.service,
        service_version=original.service_version,
        village=original.village,
        district=original.district,
        created_by=actor,
        details=original.details,
        corrects=original,
        correction_cause=CorrectionCause.CLERICAL,
        correction_output=output_code,
        status=Status.VERIFIED,  # the table's OPEN_CORRECTION: straight to the Dinas queue
        submitted_at=now,
        **{name: getattr(original, name) for name in PERSON_FIELDS},
    )
    target = correction.definition["target"]
    correction.due_at = add_working_minutes(now, target_minutes(target["amount"], target["unit"]))
    correction.number = _next_number(original.village, now)
    correction.pin = f"{secrets.randbelow(10**6):06d}"
    correction.save()
    name_index_write(correction)
    _upload_store(correction, EVIDENCE, checked, actor)
    _row(
        correction,
        actor=actor,
        action=Action.OPEN_CORRECTION,
        from_status="",
        to_status=correction.status,
        reason=wrong,
        details={
            "corrects": original.pk,
            "output": output_code,
            history.DUE_KEY: history.due_text(correction.due_at),
        },
    )
    _correction_noted(actor=actor, original=original, correction=correction, wrong=wrong)
    return correction


@transaction.atomic
def correction_data_change(
    *, actor: User, original: ServiceRequest, output_code: str, wrong: str
) -> ServiceRequest:
    """A change of the resident's data: a draft of the existing data-change service (KK
    perubahan data for a family card, perubahan biodata otherwise) for the same person,
    linked to `original`, which the village completes and submits as any request: it is the
    resident's new request, counted as one. Only the village or kecamatan starts it (the Dinas
    creates no request)."""
    workflow.check(actor, original, Action.CORRECT)
    wrong = _clean_wrong(wrong)
    if not workflow.may_create(actor, original.village):
        raise WorkflowError(
            _(
                "A change of the resident's data is asked for by the village or the kecamatan, "
                "through the data-change service."
            )
        )
    code = DATA_CHANGE_SERVICES.get(output_code, DATA_CHANGE_SERVICE)
    service = Service.objects.filter(code=code, is_active=True).first()
    if service is None:
        raise WorkflowError(_("The data-change service is not offered at the moment."))
    details = {"description": wrong[:300]} if code == DATA_CHANGE_SERVICE else {}
    request, _created = request_create(
        actor=actor,
        service=service,
        village=original.village,
        idempotency_key=uuid.uuid4(),
        details=details,
        **{name: getattr(original, name) for name in PERSON_FIELDS},
    )
    ServiceRequest.objects.filter(pk=request.pk).update(
        corrects=original,
        correction_cause=CorrectionCause.DATA_CHANGE,
        correction_output=output_code,
    )
    request.refresh_from_db()
    _correction_noted(actor=actor, original=original, correction=request, wrong=wrong)
    return request


@transaction.atomic
def request_update(
    *, actor: User, request: ServiceRequest, details: dict[str, Any] | None = None, **person: Any
) -> ServiceRequest:
    """Save the data of a draft or returned request (no status change, no history row).

    A returned request's data changes only when the return marked it to fix.
    """
    workflow.check(actor, request, Action.EDIT, part=DATA)
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    updates: dict[str, Any] = dict(person)
    if details is not None:
        updates["details"] = details
    changed = ServiceRequest.everything.filter(pk=request.pk, status=request.status).update(
        updated_at=timezone.now(), **with_blind_indexes(ServiceRequest, updates)
    )
    if changed != 1:
        raise StaleRequestError(
            _("Someone else changed this request a moment ago. Reload it to see its status.")
        )
    request.refresh_from_db()
    if "subject_name" in updates:
        name_index_write(request)
    return request


@transaction.atomic
def upload_add(
    *, actor: User, request: ServiceRequest, requirement_code: str, file: UploadedFile
) -> Upload:
    """Attach a scan for one requirement, replacing (but keeping) the current one.

    The file is checked by content first, as far as that is quick (`files.receive_upload`): a
    PDF wholly, a photo by its header; the worker decodes and re-encodes a photo after the
    commit (`upload_check`), and until then the upload is CHECKING. Sending the same file again
    (a retried upload) returns the current upload instead of storing a second copy. In a
    returned request only the uploads marked to fix are replaced (a requirement not uploaded
    yet may still be added).
    """
    codes = {spec["code"] for spec in request.definition["requirements"]}
    workflow.check(
        actor, request, Action.EDIT, part=requirement_code if requirement_code in codes else None
    )
    if requirement_code not in codes:
        raise WorkflowError(_("This service has no such requirement."))
    received = receive_upload(file)
    # Lock the request row so two uploads for the same requirement queue up.
    ServiceRequest.everything.select_for_update().filter(pk=request.pk).first()
    current = Upload.objects.filter(
        request=request, requirement_code=requirement_code, replaced_at__isnull=True
    ).first()
    if (
        current is not None
        and current.state != UploadState.DAMAGED
        and received.sha256 in (current.sha256, current.received_sha256)
    ):
        return current
    if current is not None:
        Upload.objects.filter(pk=current.pk).update(replaced_at=timezone.now())
    if received.is_image:
        return _upload_receive(request, requirement_code, received, actor)
    return _upload_store(
        request,
        requirement_code,
        CheckedFile(
            name=received.name,
            content_type=received.content_type,
            size=len(received.data),
            sha256=received.sha256,
            content=ContentFile(received.data),
            pages=received.pages,
        ),
        actor,
    )


def _upload_store(
    request: ServiceRequest, requirement_code: str, checked: CheckedFile, actor: User
) -> Upload:
    """Store a checked file as the request's upload for a requirement; the worker draws its
    thumbnail once the transaction commits. Call inside transaction.atomic."""
    upload = Upload(
        request=request,
        requirement_code=requirement_code,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        received_sha256=checked.sha256,
        pages=checked.pages,
        uploaded_by=actor,
    )
    upload.file.save("upload", checked.content, save=False)
    upload.save()
    transaction.on_commit(partial(_thumbnail_later, upload.pk), robust=True)
    return upload


def _upload_receive(
    request: ServiceRequest, requirement_code: str, received: ReceivedFile, actor: User
) -> Upload:
    """Store a photo as it was sent (encrypted at rest like every stored file), CHECKING; the
    worker re-encodes it once the transaction commits. Call inside transaction.atomic."""
    upload = Upload(
        request=request,
        requirement_code=requirement_code,
        original_name=received.name,
        content_type=received.content_type,
        size=len(received.data),
        sha256=received.sha256,
        received_sha256=received.sha256,
        uploaded_by=actor,
        state=UploadState.CHECKING,
    )
    upload.file.save("upload", ContentFile(received.data), save=False)
    upload.save()
    transaction.on_commit(partial(_check_later, upload.pk), robust=True)
    return upload


def uploads_finish_checks(*, actor: User, request: ServiceRequest) -> int:
    """Before a submission: check now the request's photos the worker has not checked yet.

    The officer who submits waits the tens of milliseconds each check takes (what the upload
    would have cost), rather than being told to submit again once the worker, which gives way
    to the pages under load, gets to them. Call it outside any transaction, before
    `request_submit` (`upload_check` writes and deletes files, which a rollback would not
    undo). Returns how many were checked; nothing when the actor may not submit (the
    submission then says why)."""
    try:
        workflow.check(actor, request, Action.SUBMIT)
    except WorkflowError:
        return 0
    pending = list(
        Upload.objects.filter(
            request=request, replaced_at__isnull=True, state=UploadState.CHECKING
        ).values_list("pk", flat=True)
    )
    for pk in pending:
        upload_check(pk)
    return len(pending)


# A photo still being checked this long after it arrived lost its task (a worker stopped in the
# middle, a queue emptied by hand): the clock's next tick checks it (uploads_check_forgotten).
FORGOTTEN_CHECK = timedelta(minutes=2)


def uploads_check_forgotten(now: datetime | None = None, limit: int = 200) -> int:
    """Check the photos whose check is overdue (oldest first, at most `limit`); returns how
    many were checked. Safe beside the tasks themselves: `upload_check` is idempotent."""
    before = (now or timezone.now()) - FORGOTTEN_CHECK
    pending = list(
        Upload.objects.filter(state=UploadState.CHECKING, uploaded_at__lt=before)
        .order_by("uploaded_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in pending:
        upload_check(pk)
    return len(pending)


def _thumbnail_later(upload_id: int) -> None:
    """The worker draws the new upload's thumbnail (requests/tasks.py)."""
    from paradewi.requests.tasks import render_thumbnail_task  # tasks import the services

    render_thumbnail_task.enqueue(upload_id)


def _check_later(upload_id: int) -> None:
    """The worker checks and re-encodes the new photo (requests/tasks.py)."""
    from paradewi.requests.tasks import check_upload_task  # tasks import the services

    check_upload_task.enqueue(upload_id)


def upload_check(upload_id: int) -> str:
    """Decode a CHECKING photo in full and replace it with its clean JPEG (READY), or mark it
    DAMAGED with the reason; either way the file as sent is deleted. Returns the new state.

    Idempotent and safe beside other writers: the decoding runs outside any transaction, and
    the row changes only if it is still CHECKING (a second run, or retention, finds nothing to
    do); a replacement sent meanwhile leaves this row replaced but still checked.
    """
    upload = Upload.objects.filter(pk=upload_id, state=UploadState.CHECKING).first()
    if upload is None:
        return "done"
    sent = upload.file.name or ""
    storage = upload.file.storage
    try:
        with storage.open(sent, "rb") as handle:
            data = handle.read()
        checked = finish_image(upload.original_name, data, upload.content_type)
    except (ValidationError, OSError, DecryptionError) as error:
        # A file that cannot be read back from the store is as lost as a damaged one: the
        # officer is told to send it again instead of waiting for a check that cannot end.
        code = error.code if isinstance(error, ValidationError) else None
        with transaction.atomic():
            marked = Upload.objects.filter(pk=upload.pk, state=UploadState.CHECKING).update(
                state=UploadState.DAMAGED, refusal=str(code or "corrupt")[:30], file=""
            )
        if marked and storage.exists(sent):
            storage.delete(sent)
        return UploadState.DAMAGED if marked else "done"
    stored = storage.save(upload_path(upload, checked.name), checked.content)
    with transaction.atomic():
        marked = Upload.objects.filter(pk=upload.pk, state=UploadState.CHECKING).update(
            state=UploadState.READY,
            file=stored,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
    # The file that is no longer referenced: the one sent, or (lost to another run) ours.
    storage.delete(sent if marked else stored)
    return UploadState.READY if marked else "done"


# The counter of practice numbers (one per village, whatever the month): a period no month
# can have, so practice never takes a real number and real requests never skip one.
PRACTICE_PERIOD = "LAT"
PRACTICE_PREFIX = "LATIHAN-"


def _next_number(village: Region, when: datetime, *, practice: bool = False) -> str:
    """`<village code digits>-<YYMM>-<serial>`, e.g. 3516012001-2611-0007; a practice
    request's `LATIHAN-<village code digits>-<serial>` from a counter of its own.

    The per-village, per-month counter row is locked while it is incremented, so numbers are
    unique and gap-free under concurrency. Call inside transaction.atomic.
    """
    period = PRACTICE_PERIOD if practice else timezone.localtime(when).strftime("%y%m")
    NumberSequence.objects.bulk_create(
        [NumberSequence(village=village, period=period)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(village=village, period=period)
    NumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    digits = village.code.replace(".", "")
    if practice:
        return f"{PRACTICE_PREFIX}{digits}-{sequence.last:04d}"
    return f"{digits}-{period}-{sequence.last:04d}"


@transaction.atomic
def request_submit(*, actor: User, request: ServiceRequest) -> ServiceRequest:
    """Send a complete draft (or a fixed returned request) on its way.

    First submission: registration number, PIN and due time. The kecamatan verifies it next,
    unless the service skips that step or a kecamatan operator submitted it. A request returned
    by the Dinas goes straight back to the Dinas queue; the time it spent at the village is
    added to its due time (the clock stops while the village fixes it).
    """
    workflow.check(actor, request, Action.SUBMIT)
    check = checklist(request)
    if not check.complete:
        raise WorkflowError(" ".join(check.missing))
    now = timezone.now()
    updates: dict[str, Any] = {}
    if request.status == Status.DRAFT:
        target = request.definition["target"]
        updates = {
            "number": request.number
            or _next_number(request.village, now, practice=request.is_practice),
            "pin": request.pin or f"{secrets.randbelow(10**6):06d}",
            "submitted_at": now,
            "due_at": add_working_minutes(now, target_minutes(target["amount"], target["unit"])),
        }
    else:
        last_return = workflow.last_return(request)
        if last_return is not None and request.due_at is not None:
            paused = working_minutes_between(last_return.created_at, now)
            updates["due_at"] = add_working_minutes(request.due_at, paused)
    return _move(request, actor=actor, action=Action.SUBMIT, **updates)


@transaction.atomic
def request_cancel(*, actor: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    """The village withdraws a request before the Dinas starts processing it.

    A kecamatan operator may withdraw only the requests it made itself at the kecamatan.
    """
    workflow.check(actor, request, Action.CANCEL)
    if not reason.strip():
        raise WorkflowError(_("Say why the request is cancelled."))
    return _move(
        request,
        actor=actor,
        action=Action.CANCEL,
        reason=reason,
        finished_at=timezone.now(),
    )


# --- kecamatan ----------------------------------------------------------------------------------


@transaction.atomic
def request_verify(*, actor: User, request: ServiceRequest) -> ServiceRequest:
    """The kecamatan operator confirms the request is complete: on to the Dinas queue."""
    workflow.check(actor, request, Action.VERIFY)
    return _move(request, actor=actor, action=Action.VERIFY)


@transaction.atomic
def request_return(
    *,
    actor: User,
    request: ServiceRequest,
    reason: str = "",
    items: dict[str, str] | None = None,
) -> ServiceRequest:
    """Send the request back to the village with what to fix.

    `items` maps requirement codes (or "data" for the typed data) to a reason each; at least
    a general reason or one item is needed. The kecamatan returns submitted requests; the Dinas
    returns requests in its queue or the ones its clerk holds.
    """
    items = {code: text.strip() for code, text in (items or {}).items() if text.strip()}
    if not reason.strip() and not items:
        raise WorkflowError(_("Say what the village must fix."))
    known = {spec["code"] for spec in request.definition["requirements"]} | {"data"}
    if set(items) - known:
        raise WorkflowError(_("This service has no such requirement."))
    workflow.check(actor, request, Action.RETURN)
    return _move(
        request,
        actor=actor,
        action=Action.RETURN,
        reason=reason,
        details={"items": items},
        expect_holder=True,
        holder=None,
    )


# --- Dinas --------------------------------------------------------------------------------------


@transaction.atomic
def request_claim(*, actor: User, request: ServiceRequest) -> ServiceRequest:
    """A Dinas clerk takes a verified request from the queue; only one can hold it."""
    try:
        workflow.check(actor, request, Action.CLAIM)
    except NotAllowedError:
        raise
    except WorkflowError:
        if request.status == Status.IN_PROCESS:
            raise StaleRequestError(_("Another clerk took this request first.")) from None
        raise
    try:
        return _move(request, actor=actor, action=Action.CLAIM, holder=actor)
    except StaleRequestError:
        raise StaleRequestError(_("Another clerk took this request first.")) from None


@transaction.atomic
def request_release(*, actor: User, request: ServiceRequest) -> ServiceRequest:
    """Put a held request back in the Dinas queue (by its holder or the Dinas head)."""
    workflow.check(actor, request, Action.RELEASE)
    return _move(
        request,
        actor=actor,
        action=Action.RELEASE,
        expect_holder=True,
        holder=None,
    )


@transaction.atomic
def request_reassign(*, actor: User, request: ServiceRequest, clerk: User) -> ServiceRequest:
    """The Dinas head gives a queued or held request to a clerk."""
    workflow.check(actor, request, Action.REASSIGN)
    if clerk.role not in DINAS_ROLES or not clerk.is_active:
        raise WorkflowError(_("Choose an active Dinas clerk."))
    if request.holder_id == clerk.pk:
        raise WorkflowError(_("This clerk already holds the request."))
    return _move(
        request,
        actor=actor,
        action=Action.REASSIGN,
        details={"from_holder": request.holder_id, "to_holder": clerk.pk},
        expect_holder=True,
        holder=clerk,
    )


@transaction.atomic
def request_reject(*, actor: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    """Refuse the request for good, with the reason the resident is told."""
    workflow.check(actor, request, Action.REJECT)
    if not reason.strip():
        raise WorkflowError(_("Say why the request is rejected."))
    return _move(
        request,
        actor=actor,
        action=Action.REJECT,
        reason=reason,
        expect_holder=True,
        holder=None,
        finished_at=timezone.now(),
    )


@dataclass(frozen=True)
class OutputUpload:
    output_code: str
    file: UploadedFile
    # The number printed on the document (KK number, akta number); optional.
    document_number: str = ""


@transaction.atomic
def request_complete(
    *,
    actor: User,
    request: ServiceRequest,
    outputs: list[OutputUpload],
    pickup_place: str = "",
) -> ServiceRequest:
    """The holder finishes the request with the issued documents: the transition only.

    A service with documents to print needs at least one; a service with a card needs the
    place where it is picked up, and ends in "ready for pick-up" instead of "done". The PDFs
    themselves are checked and stored by `documents.services.request_complete`, which calls
    this inside its transaction; call that one, not this.
    """
    workflow.check(actor, request, Action.COMPLETE)
    definition = request.definition
    pdf_codes = {o["code"] for o in definition["outputs"] if not o["is_card"]}
    has_card = any(o["is_card"] for o in definition["outputs"])
    if pdf_codes and not outputs:
        raise WorkflowError(_("Upload at least one finished document (PDF)."))
    for output in outputs:
        if output.output_code not in pdf_codes:
            raise WorkflowError(_("This service issues no such document."))
    if has_card and not pickup_place.strip():
        raise WorkflowError(_("Say where the card can be picked up."))
    now = timezone.now()
    request = _move(
        request,
        actor=actor,
        action=Action.COMPLETE,
        details={"outputs": [output.output_code for output in outputs]},
        expect_holder=True,
        holder=None,
        finished_at=now,
        pickup_place=pickup_place.strip() if has_card else "",
    )
    return request


@transaction.atomic
def request_scenario_step(
    *,
    request: ServiceRequest,
    action: Action,
    reason: str = "",
    items: dict[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> ServiceRequest:
    """A step the training scenario plays on a practice request (the kecamatan verifies, the
    Dinas returns or completes): `workflow.check_by_scenario` first, then the same
    compare-and-swap and history row as an officer's action, with no actor. The sample result
    of a completion is stored by the caller (`training.services`) in the same transaction.
    """
    workflow.check_by_scenario(request, action)
    to_status = workflow.target_by_scenario(request, action)
    now = timezone.now()
    updates: dict[str, Any] = {"status": to_status, "status_changed_at": now, "updated_at": now}
    if action == Action.PRACTICE_COMPLETE:
        updates["finished_at"] = now
        if request.has_card_output:
            updates["pickup_place"] = _("Dinas office (practice)")
    changed = ServiceRequest.everything.filter(
        pk=request.pk, status=request.status, is_practice=True
    ).update(**updates)
    if changed != 1:
        raise StaleRequestError(
            _("Someone else changed this request a moment ago. Reload it to see its status.")
        )
    row_details = dict(details or {})
    if action == Action.PRACTICE_RETURN:
        row_details["items"] = {code: text.strip() for code, text in (items or {}).items()}
    _history_row(
        request,
        actor=None,
        action=action,
        from_status=request.status,
        to_status=to_status,
        reason=reason.strip(),
        details=row_details,
    )
    request.refresh_from_db()
    return request


@dataclass(frozen=True)
class Recipient:
    """Who received a hand-over: the person, the reporter, or another family member named with
    their relationship (typed at the counter)."""

    receiver: Receiver = Receiver.SUBJECT
    name: str = ""
    relationship: str = ""


def _recipient(request: ServiceRequest, recipient: Recipient) -> tuple[str, str]:
    """(name, relationship) of the receiver, from the request where it holds them."""
    if recipient.receiver == Receiver.SUBJECT:
        return request.subject_name, Relationship.SELF
    if recipient.receiver == Receiver.REPORTER:
        if not request.reporter_name:
            raise WorkflowError(_("This request names no reporter: name who received it."))
        return request.reporter_name, request.reporter_relationship
    name = " ".join(recipient.name.split())
    if not name or recipient.relationship not in Relationship.values:
        raise WorkflowError(_("Name the family member who received it, and how they are related."))
    if recipient.relationship == Relationship.SELF:
        raise WorkflowError(_("A family member is not the person themselves."))
    return name, recipient.relationship


@transaction.atomic
def request_hand_over(
    *,
    actor: User,
    request: ServiceRequest,
    part: str | None = None,
    recipient: Recipient | None = None,
) -> ServiceRequest:
    """Record who received which part of a finished request (`workflow.Part`; None: every
    part the actor may hand over), as a history row and its HandOver record.

    The village hands over the documents it printed, and cards delivered to it; a card is also
    handed over where it is picked up: the kecamatan or the Dinas (a KIA "dapat diberikan kepada
    pemohon atau orang tuanya di kantor Dinas atau kecamatan atau desa/kelurahan", Permendagri
    2/2016, Pasal 13). The request is "handed over" (and the resident invited to the survey)
    only once every part was received.
    """
    workflow.check(actor, request, Action.HAND_OVER, part=part)
    parts = [Part(part)] if part is not None else list(workflow.parts_for(actor, request))
    name, relationship = _recipient(request, recipient or Recipient())
    updates: dict[str, Any] = {}
    if Part.CARDS in parts:
        updates["cards_handed_over_at"] = timezone.now()
    moved, row = _move_with_row(
        request,
        actor=actor,
        action=Action.HAND_OVER,
        part=part,
        details={"parts": [str(p) for p in parts]},
        **updates,
    )
    HandOver.objects.create(
        request=moved,
        transition=row,
        parts=[str(p) for p in parts],
        receiver=(recipient or Recipient()).receiver,
        receiver_name=name,
        receiver_relationship=relationship,
    )
    return moved


# --- the calendar changed: due times of running requests ---------------------------------------

# States whose due time a calendar change moves: the clock runs (kecamatan or Dinas holds the
# request) or is paused while the village fixes it (the due time resumes from where it was).
RESCHEDULED_STATES = (*OPEN_STATES, Status.RETURNED)
RESCHEDULE_BATCH = 1000
_MINUTE = 60_000_000  # microseconds, the unit of WorkingTimeIndex positions


@dataclass(frozen=True)
class Rescheduled:
    examined: int  # running or paused requests whose due time could have moved
    moved: int  # of those, the ones whose due time changed (one history row each)


def due_at_recomputed(
    clock: WorkingTimeIndex,
    submitted_at: datetime,
    target: int,
    pauses: list[tuple[datetime, datetime]],
) -> datetime:
    """The due time by the calendar as it stands: `target` working minutes after the first
    submission, plus the working minutes of every finished stay back at the village (the
    clock stops there). The same moment `request_submit` gives when the calendar has not
    changed since, in whole minutes as it counts them."""
    position = clock.position(submitted_at) + target * _MINUTE
    for returned, resubmitted in pauses:
        position += clock.between(returned, resubmitted) * _MINUTE
    return clock.moment(position)


def _pauses(pks: list[int]) -> dict[int, list[tuple[datetime, datetime]]]:
    """(returned, submitted again) of every finished return of the requests, in order."""
    pauses: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = (
        Transition.objects.filter(request_id__in=pks, action__in=[Action.RETURN, Action.SUBMIT])
        .order_by("request_id", "created_at", "pk")
        .values_list("request_id", "action", "from_status", "created_at")
    )
    returned: dict[int, datetime] = {}
    for request_id, action, from_status, created_at in rows:
        if action == Action.RETURN:
            returned[request_id] = created_at
        elif from_status == Status.RETURNED and request_id in returned:
            pauses[request_id].append((returned.pop(request_id), created_at))
    return pauses


def _execute_many(model: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """UPDATE `columns` (then the primary key last in each row) of many rows, one prepared
    statement run over them; values go through the fields' own conversion."""
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    statement = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - names from the model
        quote(model._meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in fields),
        quote(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            statement,
            [
                (
                    *(
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(fields, row[:-1], strict=True)
                    ),
                    row[-1],
                )
                for row in rows
            ],
        )


def due_times_schedule(change: CalendarChange) -> None:
    """The calendar changed (a closure, a re-opened day, office hours; called after commit):
    the worker moves the due times of running requests (tasks.reschedule_due_times_task),
    so the administrator's page answers at once whatever the number of running requests."""
    from paradewi.requests.tasks import reschedule_due_times_task

    actor = change.actor if isinstance(change.actor, User) else None
    reschedule_due_times_task.enqueue(
        first=change.first.isoformat() if change.first else None,
        reason=change.reason[:500],
        actor_id=actor.pk if actor is not None else None,
    )


def due_times_recompute(change: CalendarChange) -> Rescheduled:
    """Move the due times of running and paused requests to the calendar as it now stands
    (Perpres 21/2023 working days and hours, holidays, the regency's closures and re-opened
    days): a closure entered after a request was submitted gives it that day back, a
    re-opened day takes it. Each moved due time leaves a history row (action RESCHEDULE,
    the old and new due time in its details, the change as its reason) appended to the
    tamper-evident chain, in one short transaction per batch of requests.

    Only requests whose due time lies on or after the first changed day can move. Reads:
    the requests, their returns and submissions, the targets of their service versions and
    the calendar, per batch; writes only the requests that moved.
    """
    candidates = ServiceRequest.objects.filter(
        status__in=RESCHEDULED_STATES, submitted_at__isnull=False, due_at__isnull=False
    )
    if change.first is not None:
        start = datetime.combine(
            change.first, datetime.min.time(), tzinfo=timezone.get_current_timezone()
        )
        candidates = candidates.filter(due_at__gte=start)
    pks = list(candidates.order_by("pk").values_list("pk", flat=True))
    moved = 0
    for first in range(0, len(pks), RESCHEDULE_BATCH):
        moved += _reschedule(pks[first : first + RESCHEDULE_BATCH], change)
    return Rescheduled(examined=len(pks), moved=moved)


@transaction.atomic
def _reschedule(pks: list[int], change: CalendarChange) -> int:
    rows = list(
        ServiceRequest.objects.select_for_update()
        .filter(pk__in=pks, status__in=RESCHEDULED_STATES)
        .order_by("pk")
        .values_list(
            "pk", "status", "submitted_at", "due_at", "service_version_id", "correction_cause"
        )
    )
    if not rows:
        return 0
    pauses = _pauses([row[0] for row in rows])
    tz = timezone.get_current_timezone()
    first = min(timezone.localtime(row[2], tz).date() for row in rows)
    last = max(timezone.localtime(row[3], tz).date() for row in rows)
    clock = WorkingTimeIndex(
        first, max(last, timezone.localdate()) + timedelta(days=MAX_DAYS_AHEAD)
    )
    targets = {
        pk: target_minutes(
            definition["target"]["amount"], definition["target"]["unit"], clock.day_minutes
        )
        for pk, definition in ServiceVersion.objects.filter(
            pk__in={row[4] for row in rows}
        ).values_list("pk", "definition")
    }
    # A clerical correction runs on its own target, not its service's.
    correction = correction_target()
    correction_minutes = target_minutes(correction["amount"], correction["unit"], clock.day_minutes)
    moves: list[tuple[int, str, datetime, datetime]] = []
    for pk, status, submitted_at, due_at, version, cause in rows:
        assert submitted_at is not None  # noqa: S101 - selected on it
        assert due_at is not None  # noqa: S101 - selected on it
        target = correction_minutes if cause == CorrectionCause.CLERICAL else targets[version]
        due = due_at_recomputed(clock, submitted_at, target, pauses.get(pk, []))
        if due != due_at:
            moves.append((pk, status, due_at, due))
    if not moves:
        return 0
    now = timezone.now()
    # One prepared UPDATE run over the rows (`executemany`): Django's bulk_update builds a
    # CASE of every row into one statement, which costs seconds per thousand rows.
    _execute_many(
        ServiceRequest,
        ["due_at", "updated_at"],
        [(due, now, pk) for pk, _status, _old, due in moves],
    )
    actor = change.actor if isinstance(change.actor, User) else None
    head = history.lock_head()
    created = Transition.objects.bulk_create(
        [
            Transition(
                request_id=pk,
                actor=actor,
                actor_role=actor.role if actor is not None else "",
                action=Action.RESCHEDULE,
                from_status=status,
                to_status=status,
                reason=change.reason[:500],
                details={
                    "due_from": history.due_text(old),
                    history.RESCHEDULED_DUE_KEY: history.due_text(due),
                },
            )
            for pk, status, old, due in moves
        ]
    )
    history.append_many(created, head)
    return len(moves)
