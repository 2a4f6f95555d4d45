"""The search by name over encrypted names: keyed hashes of name words and their beginnings.

A request's subject name is encrypted (core/fields.py), so the database cannot compare it with
what is typed. Each name is kept beside it as rows of NameToken: the keyed 64-bit hash of every
word and of each of its beginnings of three letters and more (core.crypto.name_tokens, with
SEARCH_INDEX_KEY, not the encryption keys). A search hashes each typed word the same way and
asks for the requests that have every one of them, in the user's area: a lookup of a few index
ranges per word, whatever the number of requests (name_search says how). What a copy of the
database tells from these hashes is in docs/security.md, "Names".

What is found: a request whose name has a word starting with each word typed, in any order,
whatever the case, accents, punctuation and spaces ("sri wah" finds "Sri Wahyuni"; "ahyu" does
not: a part inside a word is not a beginning). A word typed shorter than three letters is
looked up as a whole word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from paradewi.accounts.models import Role, User
from paradewi.core.crypto import name_query_tokens, name_tokens
from paradewi.requests.models import NameToken, ServiceRequest

# More words than a name has: a longer search is cut (each word is one more lookup).
MAX_QUERY_WORDS = 6
# A word with at most this many requests in the user's area is looked up before the worklist's
# query, which then gets the ids (see name_search); SQLite takes up to 32,766 parameters.
FEW_MATCHES = 5000
BATCH = 2000


def token_rows(
    request_id: int, village_id: int, district_id: int, name: str
) -> list[tuple[int, int, int, int]]:
    """(request, district, village, token) of every hash of the name."""
    return [(request_id, district_id, village_id, token) for token in sorted(name_tokens(name))]


def _insert(rows: Iterable[tuple[int, int, int, int]]) -> None:
    NameToken.objects.bulk_create(
        [
            NameToken(request_id=request, district_id=district, village_id=village, token=token)
            for request, district, village, token in rows
        ],
        batch_size=BATCH,
    )


@transaction.atomic
def name_index_write(request: ServiceRequest) -> None:
    """Replace the request's hashes with those of its current name (call after it is saved)."""
    NameToken.objects.filter(request_id=request.pk).delete()
    _insert(token_rows(request.pk, request.village_id, request.district_id, request.subject_name))


def name_index_rebuild(*, batch: int = BATCH) -> int:
    """Compute every request's hashes again (after SEARCH_INDEX_KEY changed), a batch of
    requests per transaction; returns how many requests."""
    done = 0
    after = 0
    while True:
        with transaction.atomic():
            rows = list(
                ServiceRequest.everything.filter(pk__gt=after)
                .order_by("pk")
                .values_list("pk", "village_id", "district_id", "subject_name")[:batch]
            )
            if not rows:
                return done
            after = rows[-1][0]
            NameToken.objects.filter(request_id__gte=rows[0][0], request_id__lte=after).delete()
            new: list[tuple[int, int, int, int]] = []
            for pk, village, district, name in rows:
                new += token_rows(pk, village, district, name or "")
            _insert(new)
            done += len(rows)


def _area(user: User) -> dict[str, int]:
    """The narrowest columns of the index that hold the user's area (the worklist's own
    filter, visible_requests, still applies: this only keeps the lookup small). The Dinas's
    area is the whole regency: no column."""
    if user.area_id is None:
        return {}
    if user.role == Role.VILLAGE_OFFICER:
        district = user.area.parent_id if user.area else None
        area = {"village_id": user.area_id}
        return {"district_id": district, **area} if district is not None else area
    if user.role == Role.DISTRICT_OPERATOR:
        return {"district_id": user.area_id}
    return {}


def _has(token: int, outer: str) -> Exists:
    """The request named by the outer query's column `outer` has this hash: one probe of the
    index (token, request)."""
    return Exists(NameToken.objects.filter(request_id=OuterRef(outer), token=token))


@dataclass(frozen=True)
class SearchCondition:
    """A search's condition on the requests, and the same rows as their count reads them
    quickest (for the probes below: starting from the rarest word's rows in the index, where
    walking the table testing each request took SQLite 45-90 ms for a Dinas's common word)."""

    condition: Q
    count_condition: Q

    @classmethod
    def same(cls, condition: Q) -> SearchCondition:
        return cls(condition, condition)


def name_search_q(user: User, text: str) -> Q:
    """Requests whose subject name has a word starting with each word of `text` (the
    condition of name_search)."""
    return name_search(user, text).condition


def name_search(user: User, text: str) -> SearchCondition:
    """Requests whose subject name has a word starting with each word of `text`.

    Nothing is found for text without a letter or digit. The search ends, whenever it can, as
    a list of at most FEW_MATCHES request ids given to the worklist's query, which then reads
    those requests by id and sorts them:

    - each word's matches in the user's area are read from the index, up to FEW_MATCHES + 1;
    - if a word has at most FEW_MATCHES, the list is those ids, kept only where the name also
      has every other word (a probe per id of the index (token, request));
    - if every word has more, the words are intersected inside the index (the first word's
      matches, kept where the name has the others), again up to FEW_MATCHES + 1;
    - only when even that is more than FEW_MATCHES (a common name, typed as one or two common
      words) does the condition stay in the worklist's query, as a probe per request: those
      requests are dense enough in the worklist's order that walking the order's index finds a
      page at once; their count (up to 1,001) starts from the rarest word's rows in the index
      and reads those requests by id (`count_condition`).

    (A plain subquery lets the planner walk the whole worklist index of the Dinas testing
    every request against a name few people have: 8.7 s at 1,000,000 requests on
    PostgreSQL, and 0.6-0.8 s for two common words; on SQLite it builds the list of every
    match of a common word, up to 60,000 ids, before walking: 0.3 s.)
    """
    tokens = name_query_tokens(text)[:MAX_QUERY_WORDS]
    if not tokens:
        return SearchCondition.same(Q(pk__in=[]))
    area = _area(user)
    matches: dict[int, list[int]] = {}
    for token in tokens:
        ids = list(
            NameToken.objects.filter(token=token, **area).values_list("request_id", flat=True)[
                : FEW_MATCHES + 1
            ]
        )
        if not ids:
            return SearchCondition.same(Q(pk__in=[]))
        matches[token] = ids
    fewest = min(tokens, key=lambda token: len(matches[token]))
    others = [token for token in tokens if token != fewest]
    if len(matches[fewest]) <= FEW_MATCHES:
        found = matches[fewest]
        for token in others:
            found = list(
                NameToken.objects.filter(token=token, request_id__any_of=found).values_list(
                    "request_id", flat=True
                )
            )
            if not found:
                break
        return SearchCondition.same(Q(pk__any_of=sorted(found)))
    if others:
        # Every word is common: their requests intersected in the index (both lists come
        # sorted by request from it, so SQLite merges them: 4 ms where a probe per request of
        # the first word took 26 ms for the Dinas's "Sri Hand").
        each = [
            NameToken.objects.filter(token=token, **area).values("request_id") for token in tokens
        ]
        common = each[0].intersection(*each[1:]).order_by("request_id")
        found = list(common.values_list("request_id", flat=True)[: FEW_MATCHES + 1])
        if len(found) <= FEW_MATCHES:
            return SearchCondition.same(Q(pk__any_of=sorted(found)))
        counts = {token: NameToken.objects.filter(token=token, **area).count() for token in tokens}
        tokens.sort(key=counts.__getitem__)
    condition = Q()
    for token in tokens:
        condition &= Q(_has(token, "pk"))
    # The count starts from the rarest word's requests (by id), the page walks the worklist.
    rarest = NameToken.objects.filter(token=tokens[0], **area).values("request_id")
    return SearchCondition(condition, condition & Q(pk__in=rarest))
