"""The fan-out of a workflow transition: who is told about a committed history row, and the
catch-up of rows whose after-commit hook never ran (docs/notifications.md, "Who is told what")."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from paradewi.accounts.models import User
from paradewi.notifications import selectors, texts
from paradewi.notifications.models import Cursor, Event
from paradewi.notifications.services.batch import (
    Batch,
    absolute,
    clause,
    message_language,
    request_url,
    request_values,
    tell_officers,
    tell_resident,
)
from paradewi.requests.models import ServiceRequest, Status, Transition
from paradewi.requests.workflow import Action
from paradewi.surveys.links import survey_path

logger = logging.getLogger(__name__)

TRANSITIONS_CURSOR = "transitions"
# History rows younger than this are still in their after-commit hook: the catch-up waits.
CATCH_UP_GRACE = timedelta(minutes=2)
CATCH_UP_BATCH = 500


def _return_reason(transition: Transition, request: ServiceRequest, language: str) -> str:
    """The general reason and each requirement's reason, as one line."""
    names = {spec["code"]: spec["name"] for spec in request.definition["requirements"]}
    names["data"] = texts.fragments(language)["data"]
    parts = [clause(transition.reason)] if transition.reason.strip() else []
    items: dict[str, str] = transition.details.get("items") or {}
    parts += [f"{names.get(code, code)}: {clause(text)}" for code, text in items.items()]
    return "; ".join(parts)


def _cards_sentence(request: ServiceRequest, language: str) -> str:
    """ " The card (KIA) is not printed: it is picked up at ..." or "" without a card."""
    if not request.card_names:
        return ""
    return texts.fragments(language)["cards"].format(
        names=", ".join(request.card_names), place=request.pickup_place
    )


def transition_notify(transition_id: int) -> None:
    """Tell the right people about one committed history row (see docs/notifications.md).

    Idempotent: the rows are keyed by the history row, so a second call writes nothing new.
    The actor is never told about their own action.
    """
    transition = (
        Transition.objects.select_related(
            "request__village",
            "request__district",
            "request__created_by__area",
            "request__holder",
            "request__service_version",
        )
        .filter(pk=transition_id)
        .first()
    )
    if transition is None or not transition.request.number:
        return
    request = transition.request
    language = message_language()
    action, to_status = transition.action, transition.to_status
    key = f"t{transition.pk}"
    values = {**request_values(request, language), "request_url": request_url(request)}
    params: dict[str, Any] = {
        "number": values["number"],
        "service": values["service"],
        "village": values["village"],
    }
    officers: list[User] = []
    officer_event: str | None = None
    resident_event: str | None = None
    extra: dict[str, str] = {}
    email = True

    if action in (Action.SUBMIT, Action.VERIFY) and to_status == Status.SUBMITTED:
        officer_event = Event.SUBMITTED
        officers = selectors.district_operators(request.district_id)
        values["due"] = texts.moment(request.due_at, language)
    elif (
        action in (Action.SUBMIT, Action.VERIFY, Action.OPEN_CORRECTION)
        and to_status == Status.VERIFIED
    ):
        # The shared Dinas queue (a correction of the Dinas's clerical error enters it
        # directly): in the app only (an e-mail per request to every clerk would bury the
        # messages that matter).
        officer_event, email = Event.QUEUED, False
        officers = selectors.dinas_clerks()
    elif action == Action.REASSIGN:
        officer_event = Event.REASSIGNED
        officers = list(User.objects.filter(pk=transition.details.get("to_holder"), is_active=True))
        values["due"] = texts.moment(request.due_at, language)
    elif action == Action.RETURN:
        officer_event, resident_event = Event.RETURNED, Event.RESIDENT_RETURNED
        officers = selectors.village_side(request)
        values["reason"] = extra["reason"] = _return_reason(transition, request, language)
        params["reason"] = values["reason"][:300]
    elif action == Action.COMPLETE and to_status == Status.READY_FOR_PICKUP:
        officer_event, resident_event = Event.READY_FOR_PICKUP, Event.RESIDENT_READY
        officers = selectors.village_side(request)
        values["pickup_place"] = extra["pickup_place"] = request.pickup_place
        params["place"] = request.pickup_place
    elif action == Action.COMPLETE:
        # Documents to print; a card of the same request is said apart, with its place.
        officer_event, resident_event = Event.DONE, Event.RESIDENT_DONE
        officers = selectors.village_side(request)
        values["cards"] = extra["cards"] = _cards_sentence(request, language)
        if request.card_names:
            params["place"] = request.pickup_place
    elif action == Action.REJECT:
        officer_event, resident_event = Event.REJECTED, Event.RESIDENT_REJECTED
        officers = selectors.village_side(request)
        values["reason"] = extra["reason"] = clause(transition.reason)
        params["reason"] = values["reason"][:300]
    elif action == Action.HAND_OVER and to_status == Status.HANDED_OVER:
        # Only once every part was received (a part handed over earlier invites no one).
        path = survey_path(request)
        if path:
            resident_event = Event.RESIDENT_SURVEY
            extra["survey_url"] = absolute(path)

    batch = Batch()
    officers = [user for user in officers if user.pk != transition.actor_id]
    if officer_event is not None and officers:
        tell_officers(batch, officers, officer_event, request, params, values, key, email=email)
    if resident_event is not None:
        tell_resident(batch, resident_event, request, extra, key)
    batch.write()


def transitions_catch_up(now: datetime | None = None) -> int:
    """Handle history rows whose after-commit hook never ran (the process died right after the
    commit, or the hook failed): every row after the cursor and older than CATCH_UP_GRACE.

    The cursor starts at the newest row when it is first made, so older history is never
    announced. Rows are handled again harmlessly (transition_notify is idempotent).
    """
    now = now or timezone.now()
    cursor = Cursor.objects.filter(name=TRANSITIONS_CURSOR).first()
    if cursor is None:
        newest = Transition.objects.aggregate(newest=Max("pk"))["newest"] or 0
        Cursor.objects.get_or_create(name=TRANSITIONS_CURSOR, defaults={"position": newest})
        return 0
    pending = list(
        Transition.objects.filter(pk__gt=cursor.position, created_at__lte=now - CATCH_UP_GRACE)
        .order_by("pk")
        .values_list("pk", flat=True)[:CATCH_UP_BATCH]
    )
    handled = 0
    for transition_id in pending:
        try:
            transition_notify(transition_id)
        except Exception:
            logger.exception("Notifications for history row %s failed", transition_id)
            break
        handled += 1
        Cursor.objects.filter(name=TRANSITIONS_CURSOR, position__lt=transition_id).update(
            position=transition_id, updated_at=timezone.now()
        )
    return handled
