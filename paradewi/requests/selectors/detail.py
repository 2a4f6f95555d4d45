"""Reads behind a request's page: its timeline and its uploads (its buttons are
`workflow.allowed`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db.models import Q
from django.utils.translation import gettext as _

from paradewi.accounts.models import Role, User
from paradewi.requests.models import HandOver, ServiceRequest, Transition, Upload
from paradewi.requests.selectors.access import visible_requests
from paradewi.requests.workflow import EVIDENCE, RETURNS, Action


@dataclass(frozen=True)
class TimelineEntry:
    transition: Transition
    label: str
    role_label: str
    items: list[tuple[str, str]]  # (requirement name, what to fix)
    to_holder: User | None
    # The other request of a correction: the correction a CORRECT row opened, or the request
    # corrected (the correction's first row); None when the user may not see it.
    linked: ServiceRequest | None = None


@dataclass(frozen=True)
class CorrectionLinks:
    """The request a correction corrects, and the corrections of a request, that the user
    may see (a data change still a draft stays with its village)."""

    corrects: ServiceRequest | None
    corrections: list[ServiceRequest]

    def by_pk(self) -> dict[int, ServiceRequest]:
        found = {request.pk: request for request in self.corrections}
        if self.corrects is not None:
            found[self.corrects.pk] = self.corrects
        return found


NO_CORRECTIONS = CorrectionLinks(None, [])


def correction_links(
    user: User, request: ServiceRequest, entries: list[TimelineEntry] | None = None
) -> CorrectionLinks:
    """The corrected request and the corrections, among the requests `user` sees; with the
    request's `entries` (its timeline), their links are filled in them too. One query, none
    for a request that corrects nothing and has no correction in its history."""
    if (
        entries is not None
        and request.corrects_id is None
        and not any(entry.transition.action == Action.CORRECT for entry in entries)
    ):
        return NO_CORRECTIONS
    match = Q(corrects_id=request.pk)
    if request.corrects_id is not None:
        match |= Q(pk=request.corrects_id)
    found = list(
        visible_requests(user).filter(match).select_related("service").order_by("created_at", "pk")
    )
    corrects = next((r for r in found if r.pk == request.corrects_id), None)
    links = CorrectionLinks(corrects, [r for r in found if r.corrects_id == request.pk])
    if entries is not None:
        by_pk = links.by_pk()
        for index, entry in enumerate(entries):
            linked = by_pk.get(_linked_pk(entry.transition, request) or 0)
            if linked is not None:
                entries[index] = replace(entry, linked=linked)
    return links


def _linked_pk(transition: Transition, request: ServiceRequest) -> int | None:
    key = {Action.CORRECT: "correction", Action.OPEN_CORRECTION: "corrects"}.get(
        Action(transition.action)
    )
    if key is not None:
        value = transition.details.get(key)
        return int(value) if value is not None else None
    if transition.action == Action.CREATE:
        return request.corrects_id
    return None


def requirement_names(request: ServiceRequest) -> dict[str, str]:
    names = {spec["code"]: spec["name"] for spec in request.definition["requirements"]}
    names["data"] = _("The typed data")
    names[EVIDENCE] = _("Evidence of the error")
    return names


def timeline(request: ServiceRequest) -> list[TimelineEntry]:
    """The request's history, oldest first, with names for codes and the hand-overs' records
    (two queries at most); `correction_links` adds the links of its corrections."""
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
