"""Reads behind a request's page: its timeline and its uploads (its buttons are
`workflow.allowed`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from paradewi.accounts.models import Role, User
from paradewi.requests.models import HandOver, ServiceRequest, Transition, Upload
from paradewi.requests.workflow import RETURNS, Action


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
    """The request's history, oldest first, with names for codes and the hand-overs' records
    (two queries at most)."""
    transitions = list(
        request.transitions.select_related("actor", "handover").order_by("created_at", "pk")
    )
    holder_ids = {
        t.details.get("to_holder") for t in transitions if t.action == Action.REASSIGN
    } - {None}
    holders = (
        {user.pk: user for user in User.objects.filter(pk__in=holder_ids)} if holder_ids else {}
    )
    names = requirement_names(request)
    roles = dict(Role.choices)
    labels = dict(Action.choices)
    return [
        TimelineEntry(
            transition=t,
            label=str(labels.get(t.action, t.action)),
            role_label=str(roles.get(t.actor_role, t.actor_role)),
            items=[
                (names.get(code, code), text)
                for code, text in (t.details.get("items") or {}).items()
            ],
            to_holder=holders.get(t.details.get("to_holder")),
        )
        for t in transitions
    ]


def received(entries: Sequence[TimelineEntry]) -> dict[str, HandOver]:
    """{part: the hand-over that covered it}, from the timeline (no query of its own)."""
    found: dict[str, HandOver] = {}
    for entry in entries:
        handover: HandOver | None = getattr(entry.transition, "handover", None)
        if handover is not None:
            found.update(dict.fromkeys(handover.parts, handover))
    return found


def last_return_of(entries: Sequence[TimelineEntry]) -> Transition | None:
    returns = [entry.transition for entry in entries if entry.transition.action in RETURNS]
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
