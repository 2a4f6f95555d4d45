"""The worklists: tabs per role, search, order, rows and pages.

Everything starts from `visible_requests(user)`, so a list never shows more than the user may
see. Lists fetch only the columns they show (a list is not the place for addresses, phone
numbers or full NIKs: the NIK is masked), in a bounded number of queries whatever the page
size: one count, one page, one read of local closures for the working-time clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    F,
    Q,
    QuerySet,
)
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from paradewi.accounts.models import User
from paradewi.core.crypto import blind_index
from paradewi.core.fields import NIK
from paradewi.core.masking import mask_nik
from paradewi.requests import workflow
from paradewi.requests.models import (
    OPEN_STATES,
    WORKLIST_ORDER,
    ServiceRequest,
    Status,
)
from paradewi.requests.name_index import SearchCondition, name_search
from paradewi.requests.selectors.access import visible_requests
from paradewi.requests.selectors.clock import Clock, Due
from paradewi.requests.selectors.duplicates import annotate_duplicates
from paradewi.requests.workflow import Action

PAGE_SIZE = 25

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
    """The worklist tabs of the user's role, the default one first: those who verify get the
    requests to verify, those who take requests from the Dinas queue the queue and their own."""
    if user.role in workflow.roles(Action.VERIFY):
        return [TAB_VERIFY, TAB_ALL]
    if user.role in workflow.roles(Action.CLAIM):
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


def search_q(text: str, *, user: User) -> Q:
    """A search box that understands what was typed.

    16 digits: a NIK (exact). A registration number: exact when complete, else its start
    (hyphens may be left out). Anything else: the subject's name, by whole words or their
    beginnings, in any case (requests.name_index; the name itself is encrypted).
    """
    return search_conditions(text, user=user).condition


def search_conditions(text: str, *, user: User) -> SearchCondition:
    """search_q's condition, and the same rows in the form their count reads quickest."""
    text = text.strip()
    compact = re.sub(r"[\s.]", "", text)
    if re.fullmatch(r"\d{16}", compact):
        return SearchCondition.same(Q(subject_nik_index=blind_index(compact, purpose=NIK)))
    if NUMBER_RE.fullmatch(compact):
        return SearchCondition.same(Q(number=compact))
    if re.fullmatch(r"\d[\d-]*", compact):
        digits = compact.replace("-", "")
        if len(digits) == 18:
            return SearchCondition.same(Q(number=_hyphenate(digits)))
        prefix = compact if "-" in compact else _hyphenate(digits)
        return SearchCondition.same(Q(number__startswith=prefix))
    return name_search(user, text)


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


@dataclass(frozen=True)
class Worklist:
    """A worklist's requests in working order, and the same rows as the count reads them."""

    requests: QuerySet[ServiceRequest]
    counted: QuerySet[ServiceRequest]


def worklist(
    user: User, *, tab: str = "", status: str = "", service: str = "", query: str = ""
) -> QuerySet[ServiceRequest]:
    """The user's worklist for a tab, filtered and in working order (not yet paginated)."""
    return worklist_with_count(user, tab=tab, status=status, service=service, query=query).requests


def worklist_with_count(
    user: User, *, tab: str = "", status: str = "", service: str = "", query: str = ""
) -> Worklist:
    """worklist(), with the query its count is best made with (give both to paginate)."""
    requests = tab_requests(user, tab)
    if status:
        requests = requests.filter(status=status)
    if service:
        requests = requests.filter(service__code=service)
    counted = requests
    if query.strip():
        search = search_conditions(query, user=user)
        counted = requests.filter(search.count_condition)
        requests = requests.filter(search.condition)
    requests = requests.select_related("service", "village", "holder").only(*LIST_FIELDS)
    # The flag of a possible duplicate: an EXISTS in the same query, not a query per row.
    requests = annotate_duplicates(requests)
    ordered = order_worklist(requests, open_only=tab_is_open_only(tab or tabs_for(user)[0], status))
    return Worklist(requests=ordered, counted=counted)


# --- rows: masked NIK and the service-level clock --------------------------------------------


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
    """A Paginator that counts at most COUNT_LIMIT + 1 rows (`more` says the rest exists),
    from `counted` when given (the same rows, written as the count is quickest)."""

    def __init__(
        self,
        object_list: QuerySet[ServiceRequest],
        per_page: int,
        *,
        counted: QuerySet[ServiceRequest] | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.counted = object_list if counted is None else counted

    @cached_property
    def count(self) -> int:
        requests = self.counted
        # Without the order: the count needs no sort, and the LIMIT stops the scan early.
        # Only the ids: the rows' annotations (the duplicate flag, an EXISTS per row) would
        # be computed for every row counted (94 of 104 ms of a Dinas's search on SQLite).
        return requests.order_by().values("pk")[: COUNT_LIMIT + 1].count()

    @property
    def more(self) -> bool:
        return self.count > COUNT_LIMIT


def paginate(
    requests: QuerySet[ServiceRequest] | Worklist, page_number: str | None
) -> tuple[Page[Any], list[Row]]:
    """One page (PAGE_SIZE rows) of a worklist and its rows."""
    if isinstance(requests, Worklist):
        paginator = BoundedPaginator(requests.requests, PAGE_SIZE, counted=requests.counted)
    else:
        paginator = BoundedPaginator(requests, PAGE_SIZE)
    page = paginator.get_page(page_number)
    return page, rows(list(page.object_list))
