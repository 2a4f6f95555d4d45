"""Reads behind a request's page: the actions it offers, its timeline, its uploads, its returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paradewi.accounts.access import DINAS_ROLES
from paradewi.accounts.models import Role, User
from paradewi.requests.models import (
    CANCELLABLE_STATES,
    EDITABLE_STATES,
    ServiceRequest,
    Status,
    Transition,
    Upload,
)

FINISHED = (Status.DONE, Status.READY_FOR_PICKUP)


def allowed_actions(user: User, request: ServiceRequest) -> frozenset[str]:
    """The buttons to show: the transitions the services would accept from this user now.

    The services decide in the end; this mirrors their checks so that nobody sees a button
    that can only fail. Cancelling and editing are offered to the kecamatan only for the
    requests it made itself (for the others it returns them to the village).
    """
    status = request.status
    actions: set[str] = set()
    own = request.created_by_id == user.pk
    if user.role == Role.VILLAGE_OFFICER or (user.role == Role.DISTRICT_OPERATOR and own):
        if status in EDITABLE_STATES:
            actions.add("edit")
        if status in CANCELLABLE_STATES:
            actions.add("cancel")
    if user.role in (Role.VILLAGE_OFFICER, Role.DISTRICT_OPERATOR) and status in FINISHED:
        actions.add("hand_over")
    if user.role == Role.DISTRICT_OPERATOR and status == Status.SUBMITTED:
        actions.update({"verify", "return"})
    if user.role in DINAS_ROLES:
        may_act = status == Status.VERIFIED or (
            status == Status.IN_PROCESS
            and (request.holder_id == user.pk or user.role == Role.DINAS_HEAD)
        )
        if status == Status.VERIFIED:
            actions.add("claim")
        if may_act:
            actions.update({"return", "reject"})
        if may_act and status == Status.IN_PROCESS:
            actions.update({"release", "complete"})
        if user.role == Role.DINAS_HEAD and status in (Status.VERIFIED, Status.IN_PROCESS):
            actions.add("reassign")
        if status == Status.READY_FOR_PICKUP:
            actions.add("hand_over")
    return frozenset(actions)


ACTION_LABELS = {
    "create": gettext_lazy("Created"),
    "submit": gettext_lazy("Submitted"),
    "verify": gettext_lazy("Verified by the kecamatan"),
    "return": gettext_lazy("Returned to the village"),
    "claim": gettext_lazy("Taken for processing"),
    "release": gettext_lazy("Put back in the queue"),
    "reassign": gettext_lazy("Reassigned"),
    "reject": gettext_lazy("Rejected"),
    "complete": gettext_lazy("Completed"),
    "hand_over": gettext_lazy("Handed over to the resident"),
    "cancel": gettext_lazy("Cancelled"),
}


@dataclass(frozen=True)
class TimelineEntry:
    transition: Transition
    label: str
    role_label: str
    items: list[tuple[str, str]]  # (requirement name, what to fix)
    to_holder: User | None


def requirement_names(request: ServiceRequest) -> dict[str, str]:
    names = {spec["code"]: spec["name"] for spec in request.definition["requirements"]}
    names["data"] = _("The typed data")
    return names


def timeline(request: ServiceRequest) -> list[TimelineEntry]:
    """The request's history, oldest first, with names for codes (two queries at most)."""
    transitions = list(request.transitions.select_related("actor").order_by("created_at", "pk"))
    holder_ids = {t.details.get("to_holder") for t in transitions if t.action == "reassign"} - {
        None
    }
    holders = (
        {user.pk: user for user in User.objects.filter(pk__in=holder_ids)} if holder_ids else {}
    )
    names = requirement_names(request)
    roles = dict(Role.choices)
    return [
        TimelineEntry(
            transition=t,
            label=str(ACTION_LABELS.get(t.action, t.action)),
            role_label=str(roles.get(t.actor_role, t.actor_role)),
            items=[
                (names.get(code, code), text)
                for code, text in (t.details.get("items") or {}).items()
            ],
            to_holder=holders.get(t.details.get("to_holder")),
        )
        for t in transitions
    ]


def last_return_of(entries: Sequence[TimelineEntry]) -> Transition | None:
    returns = [entry.transition for entry in entries if entry.transition.action == "return"]
    return returns[-1] if returns else None


def split_uploads(request: ServiceRequest) -> tuple[list[Upload], dict[str, list[Upload]]]:
    """(current uploads, {requirement code: earlier uploads, newest first}) in one query."""
    current: list[Upload] = []
    earlier: dict[str, list[Upload]] = {}
    for upload in request.uploads.order_by("requirement_code", "-uploaded_at", "-pk"):
        if upload.replaced_at is None:
            current.append(upload)
        else:
            earlier.setdefault(upload.requirement_code, []).append(upload)
    return current, earlier


def last_return(request: ServiceRequest) -> Transition | None:
    """The latest return of the request: its reason and per-requirement items (what to fix)."""
    return request.transitions.filter(action="return").order_by("-created_at", "-pk").first()


def return_items(request: ServiceRequest) -> dict[str, str]:
    """While the request is returned: {requirement code or "data": what to fix}."""
    if request.status != Status.RETURNED:
        return {}
    last = last_return(request)
    items: dict[str, str] = last.details.get("items", {}) if last else {}
    return items
