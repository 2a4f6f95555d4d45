"""Reads behind the worklists, the detail page and the home pages: what waits for whom.

Everything starts from `selectors.visible_requests(user)`, so a list never shows more than the
user may see. Lists fetch only the columns they show (a list is not the place for addresses,
phone numbers or full NIKs: the NIK is masked), in a bounded number of queries whatever the
page size: one count, one page, one read of local closures for the working-time clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from paradewi.accounts.access import DINAS_ROLES
from paradewi.accounts.models import Role, User
from paradewi.core.crypto import blind_index
from paradewi.core.fields import NIK
from paradewi.requests.models import (
    CANCELLABLE_STATES,
    EDITABLE_STATES,
    OPEN_STATES,
    WORKLIST_ORDER,
    ServiceRequest,
    Status,
    Transition,
    Upload,
)
from paradewi.requests.selectors import visible_requests
from paradewi.worktime.services import WorkingTimeIndex, minutes_per_day

PAGE_SIZE = 25
FINISHED = (Status.DONE, Status.READY_FOR_PICKUP)

# The columns a list row shows; nothing else of the resident is read.
LIST_FIELDS = (
    "pk",
    "number",
    "status",
    "due_at",
    "status_changed_at",
    "created_at",
    "finished_at",
    "subject_nik",
    "subject_name",
    "service__name",
    "village__name",
    "village__kind",
    "village__level",
    "holder__full_name",
    "holder__username",
)

# --- tabs ---------------------------------------------------------------------------------------

TAB_ALL = "all"
TAB_VERIFY = "verify"
TAB_UNCLAIMED = "unclaimed"
TAB_MINE = "mine"

TAB_LABELS = {
    TAB_VERIFY: gettext_lazy("To verify"),
    TAB_UNCLAIMED: gettext_lazy("Unclaimed"),
    TAB_MINE: gettext_lazy("Mine in process"),
    TAB_ALL: gettext_lazy("All requests"),
}


def tabs_for(user: User) -> list[str]:
    """The worklist tabs of the user's role, the default one first."""
    if user.role == Role.DISTRICT_OPERATOR:
        return [TAB_VERIFY, TAB_ALL]
    if user.role in DINAS_ROLES:
        return [TAB_UNCLAIMED, TAB_MINE, TAB_ALL]
    return [TAB_ALL]


def tab_requests(user: User, tab: str) -> QuerySet[ServiceRequest]:
    """The requests of one tab (an unknown tab is the role's default one)."""
    tabs = tabs_for(user)
    if tab not in tabs:
        tab = tabs[0]
    requests = visible_requests(user)
    if tab == TAB_VERIFY:
        return requests.filter(status=Status.SUBMITTED)
    if tab == TAB_UNCLAIMED:
        return requests.filter(status=Status.VERIFIED)
    if tab == TAB_MINE:
        return requests.filter(status=Status.IN_PROCESS, holder=user)
    return requests


def tab_is_open_only(tab: str, status: str) -> bool:
    return tab in (TAB_VERIFY, TAB_UNCLAIMED, TAB_MINE) or status in OPEN_STATES


# --- search and order ---------------------------------------------------------------------------

NUMBER_RE = re.compile(r"\d{10}-\d{4}-\d{4}")


def _hyphenate(digits: str) -> str:
    """Digits typed without hyphens, as the start of a registration number."""
    parts = [digits[:10], digits[10:14], digits[14:18]]
    return "-".join(part for part in parts if part)


def search_q(text: str) -> Q:
    """A search box that understands what was typed.

    16 digits: a NIK (exact). A registration number: exact when complete, else its start
    (hyphens may be left out). Anything else: a part of the subject's name.
    """
    text = text.strip()
    compact = re.sub(r"[\s.]", "", text)
    if re.fullmatch(r"\d{16}", compact):
        return Q(subject_nik_index=blind_index(compact, purpose=NIK))
    if NUMBER_RE.fullmatch(compact):
        return Q(number=compact)
    if re.fullmatch(r"\d[\d-]*", compact):
        digits = compact.replace("-", "")
        if len(digits) == 18:
            return Q(number=_hyphenate(digits))
        prefix = compact if "-" in compact else _hyphenate(digits)
        return Q(number__startswith=prefix)
    return Q(subject_name__icontains=text)


def order_worklist(
    requests: QuerySet[ServiceRequest], *, open_only: bool
) -> QuerySet[ServiceRequest]:
    """Open requests first, the most overdue first; then the rest, latest change first.

    A queue that holds only open requests orders by due time alone, which its index serves;
    the others order by the columns the database keeps for it (`WORKLIST_ORDER`), which the
    worklist indexes serve.
    """
    if open_only:
        return requests.order_by(F("due_at").asc(nulls_last=True), "pk")
    return requests.order_by(*WORKLIST_ORDER)


def worklist(
    user: User, *, tab: str = "", status: str = "", service: str = "", query: str = ""
) -> QuerySet[ServiceRequest]:
    """The user's worklist for a tab, filtered and in working order (not yet paginated)."""
    requests = tab_requests(user, tab)
    if status:
        requests = requests.filter(status=status)
    if service:
        requests = requests.filter(service__code=service)
    if query.strip():
        requests = requests.filter(search_q(query))
    requests = requests.select_related("service", "village", "holder").only(*LIST_FIELDS)
    return order_worklist(requests, open_only=tab_is_open_only(tab or tabs_for(user)[0], status))


# --- rows: masked NIK and the service-level clock --------------------------------------------


def mask_nik(nik: str) -> str:
    """351601********01: enough to tell residents apart in a list, not enough to misuse."""
    if len(nik) < 8:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]


def working_time_display(minutes: int) -> str:
    """Working minutes as people say them: "1 working day 2 h", "3 h 20 min", "45 min"."""
    per_day = max(minutes_per_day(), 1)
    days, rest = divmod(max(minutes, 0), per_day)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days})
    if hours:
        parts.append(_("%(n)d h") % {"n": hours})
    if mins and not days:
        parts.append(_("%(n)d min") % {"n": mins})
    return " ".join(parts) or _("%(n)d min") % {"n": 0}


@dataclass(frozen=True)
class Due:
    """Where a request stands against its service-level target."""

    at: datetime | None
    running: bool  # the clock runs (kecamatan or Dinas holds the request)
    paused: bool = False  # returned: the clock waits for the village
    overdue: bool = False
    minutes: int = 0  # working minutes left, or past the due time when overdue

    @property
    def display(self) -> str:
        return working_time_display(self.minutes)


class Clock:
    """The working-time clock for many requests at once: local closures are read once, and
    only when a request's clock runs."""

    def __init__(self, due_times: Iterable[datetime | None], now: datetime | None = None) -> None:
        self.now = now or timezone.now()
        self.moments = [self.now, *(due for due in due_times if due is not None)]
        self._index: WorkingTimeIndex | None = None

    @property
    def index(self) -> WorkingTimeIndex:
        if self._index is None:
            first, last = min(self.moments), max(self.moments)
            self._index = WorkingTimeIndex(
                timezone.localtime(first).date(),
                timezone.localtime(last).date() + timedelta(days=1),
            )
        return self._index

    def between(self, start: datetime, end: datetime) -> int:
        """Working minutes from start to end (the same count as worktime's, one calendar)."""
        return self.index.between(start, end)

    def due(self, request: ServiceRequest) -> Due:
        if request.status not in OPEN_STATES or request.due_at is None:
            paused = request.status == Status.RETURNED and request.due_at is not None
            return Due(at=request.due_at, running=False, paused=paused)
        if request.due_at <= self.now:
            return Due(
                at=request.due_at,
                running=True,
                overdue=True,
                minutes=self.between(request.due_at, self.now),
            )
        return Due(at=request.due_at, running=True, minutes=self.between(self.now, request.due_at))


@dataclass(frozen=True)
class Row:
    """One line of a worklist: the request, its masked NIK, its status's name and its clock."""

    request: ServiceRequest
    masked_nik: str
    due: Due
    status_label: str


def rows(requests: Sequence[ServiceRequest], now: datetime | None = None) -> list[Row]:
    # Only running clocks count: the working calendar is laid out from the earliest of their
    # due times, and a search that lists a request finished two years ago would otherwise
    # lay out two years of holidays for nothing.
    clock = Clock((r.due_at for r in requests if r.status in OPEN_STATES), now)
    # The names in the active language, once per list (get_status_display per row rebuilds
    # the choices each time).
    labels = {value: str(label) for value, label in Status.choices}
    return [
        Row(
            request,
            mask_nik(request.subject_nik),
            clock.due(request),
            labels.get(request.status, request.status),
        )
        for request in requests
    ]


# A worklist counts its rows up to this many and then says "more than": the Dinas's "all
# requests" tab of a regency holds hundreds of thousands, and counting them all is a scan of
# the table on every page (165 ms at 250,000 requests), for a figure nobody pages through.
COUNT_LIMIT = 1000


class BoundedPaginator(Paginator[ServiceRequest]):
    """A Paginator that counts at most COUNT_LIMIT + 1 rows (`more` says the rest exists)."""

    @cached_property
    def count(self) -> int:
        requests: QuerySet[ServiceRequest] = self.object_list  # type: ignore[assignment]
        # Without the order: the count needs no sort, and the LIMIT stops the scan early.
        return requests.order_by()[: COUNT_LIMIT + 1].count()

    @property
    def more(self) -> bool:
        return self.count > COUNT_LIMIT


def paginate(
    requests: QuerySet[ServiceRequest], page_number: str | None
) -> tuple[Page[Any], list[Row]]:
    """One page (PAGE_SIZE rows) of a worklist and its rows."""
    page = BoundedPaginator(requests, PAGE_SIZE).get_page(page_number)
    return page, rows(list(page.object_list))


# --- detail -------------------------------------------------------------------------------------


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


# --- home pages ---------------------------------------------------------------------------------

HOME_ITEMS = 5


def _first(requests: QuerySet[ServiceRequest], *, open_only: bool) -> list[Row]:
    chosen = requests.select_related("service", "village", "holder").only(*LIST_FIELDS)
    return rows(list(order_worklist(chosen, open_only=open_only)[:HOME_ITEMS]))


def _first_per_status(
    requests: QuerySet[ServiceRequest], states: Sequence[str]
) -> dict[str, list[Row]]:
    """The latest HOME_ITEMS requests of each state, in one query (a window per state)."""
    numbered = (
        requests.filter(status__in=states)
        .select_related("service", "village", "holder")
        .only(*LIST_FIELDS)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("status"),
                order_by=[F("status_changed_at").desc(), F("pk").desc()],
            )
        )
        .filter(place__lte=HOME_ITEMS)
        .order_by("status", "place")
    )
    found = rows(list(numbered))
    return {state: [row for row in found if row.request.status == state] for state in states}


def _status_counts(
    requests: QuerySet[ServiceRequest],
    states: Iterable[str],
    *,
    overdue_states: Iterable[str],
    now: datetime,
    **extra: Q,
) -> dict[str, int]:
    """Requests per state (only `states`, so the status index serves it), overdue ones, and
    one count per `extra` filter, in one query."""
    states = list(states)
    counts: dict[str, Any] = requests.filter(status__in=states).aggregate(
        **{state: Count("pk", filter=Q(status=state)) for state in states},
        overdue=Count("pk", filter=Q(status__in=list(overdue_states), due_at__lt=now)),
        **{name: Count("pk", filter=condition) for name, condition in extra.items()},
    )
    return {key: int(value or 0) for key, value in counts.items()}


def village_home(user: User) -> dict[str, Any]:
    """What waits for a village officer: fix returned ones, finish drafts, print and hand over."""
    requests = visible_requests(user)
    states = (Status.RETURNED, Status.DRAFT, Status.DONE, Status.READY_FOR_PICKUP, *OPEN_STATES)
    first = _first_per_status(
        requests, (Status.RETURNED, Status.DRAFT, Status.DONE, Status.READY_FOR_PICKUP)
    )
    return {
        "counts": _status_counts(requests, states, overdue_states=OPEN_STATES, now=timezone.now()),
        "returned": first[Status.RETURNED],
        "drafts": first[Status.DRAFT],
        "done": first[Status.DONE],
        "ready": first[Status.READY_FOR_PICKUP],
    }


def district_home(user: User) -> dict[str, Any]:
    """What waits for a kecamatan operator: requests to verify, the most overdue first."""
    requests = visible_requests(user)
    counts = _status_counts(
        requests,
        (Status.SUBMITTED, Status.RETURNED, Status.READY_FOR_PICKUP),
        overdue_states=(Status.SUBMITTED,),
        now=timezone.now(),
    )
    return {
        "counts": counts,
        "to_verify": _first(requests.filter(status=Status.SUBMITTED), open_only=True),
    }


DINAS_QUEUE = (Status.VERIFIED, Status.IN_PROCESS)


def clerk_home(user: User) -> dict[str, Any]:
    """What waits for a Dinas clerk: the unclaimed queue, the requests they hold, overdue."""
    requests = visible_requests(user)
    now = timezone.now()
    held = Q(status=Status.IN_PROCESS, holder=user)
    counts = _status_counts(
        requests,
        DINAS_QUEUE,
        overdue_states=DINAS_QUEUE,
        now=now,
        mine=held,
        mine_overdue=held & Q(due_at__lt=now),
    )
    mine = requests.filter(held)
    return {
        "counts": counts,
        "unclaimed": _first(requests.filter(status=Status.VERIFIED), open_only=True),
        "mine": _first(mine, open_only=True),
    }


def head_home(user: User) -> dict[str, Any]:
    """What the Dinas head oversees: queue sizes, overdue requests, what each clerk holds."""
    requests = visible_requests(user)
    now = timezone.now()
    holdings = list(
        requests.filter(status=Status.IN_PROCESS)
        .values("holder_id", "holder__full_name", "holder__username")
        .annotate(held=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        .order_by("-held", "holder__full_name")
    )
    counts = _status_counts(
        requests,
        (*OPEN_STATES, Status.READY_FOR_PICKUP),
        overdue_states=DINAS_QUEUE,
        now=now,
    )
    return {
        "counts": counts,
        "overdue": _first(requests.filter(status__in=DINAS_QUEUE, due_at__lt=now), open_only=True),
        "holdings": holdings,
    }
