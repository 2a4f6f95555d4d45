"""The tamper-evident history: every Transition row carries an HMAC of its content and of the
previous row's hash, in the order the rows were written (their ids).

Appending takes a lock on the one HistoryHead row before the row is inserted, so ids and chain
order agree even with many app servers. A copy of the database alone is not enough to forge a
consistent chain: the key (HISTORY_CHAIN_KEY, else SECRET_KEY) stays on the app servers.
`manage.py verify_history` walks the chain and names the first row that does not fit; the
head row also catches rows removed from the end.

The chain covers the history, not the request row: `UPDATE requests_servicerequest SET
status = ...` leaves every link intact. So `verify_state` replays each request's history and
compares the row with it: the status is the last row's target, the holder the clerk of the last
claim or reassignment (none after a release, return, rejection or completion), and the due time
the last one the history recorded (`DUE_KEY` in a row's details; rows written before due times
were recorded carry none, and their requests are checked on status and holder only).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.crypto import salted_hmac

from paradewi.core.backup import RestoreReport
from paradewi.requests.models import HistoryHead, ServiceRequest, Transition
from paradewi.requests.workflow import Action, Status

SALT = "paradewi.requests.history"
CHUNK = 2000
# The key of a transition's details that records the due time the transition set.
DUE_KEY = "due_at"
# A due time moved by a calendar change (action RESCHEDULE) records its new one here.
RESCHEDULED_DUE_KEY = "due_to"
# Actions after which no clerk holds the request.
_RELEASING = frozenset({Action.RELEASE, Action.RETURN, Action.REJECT, Action.COMPLETE})


def _key() -> str:
    key: str = settings.HISTORY_CHAIN_KEY or settings.SECRET_KEY
    return key


def row_hash(transition: Transition, previous: str) -> str:
    """The row's link in the chain: an HMAC over the previous hash and every recorded field."""
    content = json.dumps(
        [
            previous,
            transition.pk,
            transition.request_id,
            transition.actor_id,
            transition.actor_role,
            transition.action,
            transition.from_status,
            transition.to_status,
            transition.reason,
            transition.details,
            transition.created_at.astimezone(UTC).isoformat(),
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return salted_hmac(SALT, content, secret=_key(), algorithm="sha256").hexdigest()


def due_text(due: datetime) -> str:
    """A due time as the history records it (UTC, ISO 8601)."""
    return due.astimezone(UTC).isoformat()


def lock_head() -> HistoryHead:
    """Lock the chain's end for this transaction (call before inserting the row)."""
    head = HistoryHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # the first row ever: make the head once
        HistoryHead.objects.get_or_create(pk=1)
        head = HistoryHead.objects.select_for_update().get(pk=1)
    return head


def append(transition: Transition, head: HistoryHead) -> None:
    """Link a row just inserted (under `lock_head()`) to the chain."""
    transition.chain_hash = row_hash(transition, head.last_hash)
    Transition.objects.filter(pk=transition.pk).update(chain_hash=transition.chain_hash)
    HistoryHead.objects.filter(pk=head.pk).update(
        last_pk=transition.pk, last_hash=transition.chain_hash
    )


def append_many(transitions: Iterable[Transition], head: HistoryHead) -> None:
    """Link rows just inserted together (under `lock_head()`, e.g. by one bulk_create) to
    the chain, in the order of their ids: one UPDATE per batch, one of the head."""
    previous = head.last_hash
    last_pk = head.last_pk
    rows = sorted(transitions, key=lambda transition: transition.pk)
    for transition in rows:
        transition.chain_hash = row_hash(transition, previous)
        previous, last_pk = transition.chain_hash, transition.pk
    if not rows:
        return
    # One prepared UPDATE over the rows: bulk_update's CASE statements cost seconds per
    # thousand rows.
    statement = "UPDATE {} SET {} = %s WHERE {} = %s".format(  # noqa: S608 - model names
        connection.ops.quote_name(Transition._meta.db_table),
        connection.ops.quote_name("chain_hash"),
        connection.ops.quote_name(Transition._meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.executemany(statement, [(row.chain_hash, row.pk) for row in rows])
    HistoryHead.objects.filter(pk=head.pk).update(last_pk=last_pk, last_hash=previous)
    head.last_pk, head.last_hash = last_pk, previous


def _rows() -> Iterable[Transition]:
    return Transition.objects.order_by("pk").iterator(chunk_size=CHUNK)


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    # The first row that does not fit (changed, or the next after a removed/inserted row).
    broken: Transition | None = None
    # Rows were removed from the end (the head names a later row or another hash).
    truncated: bool = False

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.truncated


def verify_chain() -> ChainCheck:
    previous = ""
    rows = 0
    last_pk = 0
    for transition in _rows():
        expected = row_hash(transition, previous)
        if transition.chain_hash != expected:
            return ChainCheck(rows=rows, broken=transition)
        previous = transition.chain_hash
        last_pk = transition.pk
        rows += 1
    head = HistoryHead.objects.filter(pk=1).first()
    head_pk, head_hash = (head.last_pk, head.last_hash) if head else (0, "")
    return ChainCheck(rows=rows, truncated=(head_pk, head_hash) != (last_pk, previous))


@dataclass(frozen=True)
class StateCheck:
    requests: int
    # The first request (by id) whose row disagrees with its history, and how.
    request: ServiceRequest | None = None
    field: str = ""
    found: str = ""
    expected: str = ""

    @property
    def consistent(self) -> bool:
        return self.request is None


def _expected(
    rows: list[tuple[str, int | None, str, dict[str, Any]]],
) -> tuple[str, int | None, str | None]:
    """(status, holder id, due time or None if never recorded) after these history rows."""
    status, holder, due = Status.DRAFT.value, None, None
    for action, actor_id, to_status, details in rows:
        status = to_status
        if action == Action.CLAIM:
            holder = actor_id
        elif action == Action.REASSIGN:
            holder = details.get("to_holder")
        elif action in _RELEASING:
            holder = None
        recorded = details.get(DUE_KEY) or details.get(RESCHEDULED_DUE_KEY)
        if recorded:
            due = str(recorded)
    return status, holder, due


def verify_state() -> StateCheck:
    """Every request's status, holder and due time against its history; the first that differs.

    Walks the requests by id, CHUNK at a time, with their history rows in one query per chunk.
    """
    checked = 0
    last_pk = 0
    while True:
        chunk = list(
            ServiceRequest.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "status", "holder_id", "due_at")[:CHUNK]
        )
        if not chunk:
            return StateCheck(requests=checked)
        history: dict[int, list[tuple[str, int | None, str, dict[str, Any]]]] = {}
        for request_id, action, actor_id, to_status, details in (
            Transition.objects.filter(request_id__in=[row[0] for row in chunk])
            .order_by("request_id", "pk")
            .values_list("request_id", "action", "actor_id", "to_status", "details")
        ):
            history.setdefault(request_id, []).append((action, actor_id, to_status, details or {}))
        for pk, status, holder_id, due_at in chunk:
            expected_status, expected_holder, expected_due = _expected(history.get(pk, []))
            found_due = due_text(due_at) if due_at is not None else ""
            for field, found, expected in (
                ("status", status, expected_status),
                ("holder", str(holder_id or ""), str(expected_holder or "")),
                ("due_at", found_due, expected_due if expected_due is not None else found_due),
            ):
                if found != expected:
                    request = ServiceRequest.objects.get(pk=pk)
                    return StateCheck(checked, request, field, found, expected)
            checked += 1
        last_pk = chunk[-1][0]


def note_due_time(request_id: int, due: datetime) -> None:
    """Record a due time set outside the workflow (the demo's back-dated history) in the
    request's last history row that records one. Call `rechain()` afterwards."""
    rows = Transition.objects.filter(request_id=request_id).order_by("-pk")
    for row in rows:
        if row.details.get(DUE_KEY):
            row.details[DUE_KEY] = due_text(due)
            Transition.objects.filter(pk=row.pk).update(details=row.details)
            return


@transaction.atomic
def rechain() -> int:
    """Recompute every link. Only for data made outside the workflow (the demo's back-dated
    history, benchmark data sets); never part of a request's life. Returns the row count."""
    head = lock_head()
    previous = ""
    last_pk = 0
    rows = 0
    changed: list[Transition] = []
    for transition in _rows():
        transition.chain_hash = row_hash(transition, previous)
        previous = transition.chain_hash
        last_pk = transition.pk
        changed.append(transition)
        rows += 1
        if len(changed) >= CHUNK:
            Transition.objects.bulk_update(changed, ["chain_hash"])
            changed = []
    Transition.objects.bulk_update(changed, ["chain_hash"])
    HistoryHead.objects.filter(pk=head.pk).update(last_pk=last_pk, last_hash=previous)
    return rows


def check_restored_chain(report: RestoreReport) -> None:
    """A restore (`core.backup`) is only good with the history chain intact."""
    check = verify_chain()
    report.chain_rows = check.rows
    if check.broken is not None:
        report.failures.append(f"History chain broken at transition {check.broken.pk}.")
    elif check.truncated:
        report.failures.append("History chain: rows are missing from its end.")
    state = verify_state()
    if not state.consistent:
        report.failures.append(state_problem(state))


def state_problem(state: StateCheck) -> str:
    """One sentence naming the first request whose row disagrees with its history."""
    request = state.request
    assert request is not None  # noqa: S101 - only called for an inconsistent check
    return (
        f"Request {request.number or '(draft)'} (id {request.pk}): {state.field} is "
        f"{state.found or 'empty'!r} but its history says {state.expected or 'empty'!r}; "
        f"{state.requests} requests before it agree with their history."
    )
