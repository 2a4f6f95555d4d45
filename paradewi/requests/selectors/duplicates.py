"""Possible duplicates: another open request of the same person for the same or a conflicting
service, anywhere in the regency.

A resident has one NIK for life and each event is registered once (UU 23/2006 jo. UU 24/2013,
Pasal 13 ayat (1) on the single NIK; Pasal 27 ff. on recording a birth once); a second request
for the same child's birth certificate, made by another officer or another village, is work
done twice and a risk of two records. The same person is:

- the same NIK (its keyed search hash, `subject_nik_index`), or
- the same KK number (its hash) with the same full name (case and spaces aside) and date of
  birth: a newborn has no NIK yet.

Conflicting services (chosen here; no regulation lists them): the KK services among themselves
(each issues the family's next card), the birth certificate and the KIA (a birth request already
issues the child's KIA), pindah and kedatangan, a KTP-el reprint and a biodata change (a change
reprints the card), and a death certificate with any service of the same person.

"Open" is work still in the making: a draft, a request on its way (submitted, verified, in
process) or returned to its village. Once the Dinas has issued the documents (done, ready for
pick-up) the event is recorded, and a later request shows up as what it is when processed.

What the user is told about a match outside their area is only that it exists and its stage:
no number, village, name or link (`Hint.visible`). The queues flag a row with one EXISTS in
the list's own query (`annotate_duplicates`), never a query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import CharField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.db.models.functions import NullIf

from paradewi.accounts.models import User
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.selectors.access import visible_requests

DEATH = "akta-kematian"
_GROUPS = (
    frozenset({"kk-baru", "kk-perubahan", "kk-hilang-rusak"}),
    frozenset({"akta-kelahiran", "kia"}),
    frozenset({"pindah", "kedatangan"}),
    frozenset({"ktp-el-cetak-ulang", "perubahan-biodata"}),
)
# How many matches a page lists (more is the same message).
HINT_LIMIT = 5
IN_THE_MAKING = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.VERIFIED,
    Status.IN_PROCESS,
    Status.RETURNED,
)


def conflicting_codes(code: str) -> frozenset[str] | None:
    """The services that conflict with `code` (itself included); None for "every service"."""
    if code == DEATH:
        return None
    codes = {code, DEATH}
    for group in _GROUPS:
        if code in group:
            codes |= group
    return frozenset(codes)


def _service_q(code: str) -> Q:
    codes = conflicting_codes(code)
    return Q() if codes is None else Q(service__code__in=sorted(codes))


def _same_person_q(*, nik_index: Any, kk_index: Any, name_index: Any, birth_date: Any) -> Q:
    """Values or OuterRefs; an empty NIK or KK hash never matches (see the callers). Names
    compare by their keyed hash, of the name in upper case with single spaces and no
    punctuation (core.crypto.normalise_name)."""
    return (Q(subject_nik_index=nik_index) & ~Q(subject_nik_index="")) | (
        Q(subject_kk_index=kk_index, subject_birth_date=birth_date, subject_name_index=name_index)
        & ~Q(subject_kk_index="")
    )


def _open_others() -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(status__in=IN_THE_MAKING)


@dataclass(frozen=True)
class Hint:
    """One possible duplicate as the user may see it: its stage, whether it is the same
    service, and (only when the user may see that request) its number and page."""

    status_label: str
    same_service: bool
    visible: bool
    pk: int | None = None
    number: str = ""
    service_name: str = ""


def duplicates_of(actor: User, request: ServiceRequest) -> list[Hint]:
    """The other open requests of the same person for the same or a conflicting service
    (none for a request no longer open itself: the open one shows the match)."""
    if request.status not in IN_THE_MAKING:
        return []
    if not request.subject_nik_index and not (
        request.subject_kk_index and request.subject_name and request.subject_birth_date
    ):
        return []
    same = _same_person_q(
        nik_index=request.subject_nik_index,
        kk_index=request.subject_kk_index,
        name_index=request.subject_name_index,
        birth_date=request.subject_birth_date,
    )
    matches = list(
        _open_others()
        .filter(same, _service_q(request.service.code))
        .exclude(pk=request.pk)
        .annotate(seen=Exists(visible_requests(actor).filter(pk=OuterRef("pk"))))
        .select_related("service")
        .only("pk", "number", "status", "service__code", "service__name")
        .order_by("-created_at")[:HINT_LIMIT]
    )
    hints = []
    for match in matches:
        seen = bool(match.seen)
        hints.append(
            Hint(
                status_label=str(match.get_status_display()),
                same_service=match.service.code == request.service.code,
                visible=seen,
                pk=match.pk if seen else None,
                number=(match.number or "") if seen else "",
                service_name=match.service.name if seen else "",
            )
        )
    return hints


def _services_of_outer() -> Q:
    """The same or a conflicting service of the outer row, as a condition on the inner row
    (its `outer_code` alias is the outer row's service code)."""
    condition = (
        Q(service__code=OuterRef("service__code")) | Q(service__code=DEATH) | Q(outer_code=DEATH)
    )
    for group in _GROUPS:
        codes = sorted(group)
        condition |= Q(service__code__in=codes, outer_code__in=codes)
    return condition


@cache
def _duplicates_of_outer() -> QuerySet[ServiceRequest]:
    """The open requests that duplicate the outer row, as a subquery. Built once per process:
    its conditions took 2-3 ms of query building on every worklist, and they do not change
    (`Exists` copies the query it is given, so the one kept here is only read)."""
    return (
        _open_others()
        .alias(outer_code=ExpressionWrapper(OuterRef("service__code"), output_field=CharField()))
        .filter(
            _same_person_q(
                # An empty hash (a newborn without NIK) as NULL: it equals nothing, so the
                # database does not gather every other request without NIK (or KK) first.
                nik_index=NullIf(OuterRef("subject_nik_index"), Value("")),
                kk_index=NullIf(OuterRef("subject_kk_index"), Value("")),
                name_index=OuterRef("subject_name_index"),
                birth_date=OuterRef("subject_birth_date"),
            ),
            _services_of_outer(),
        )
        .exclude(pk=OuterRef("pk"))
    )


def annotate_duplicates(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """Each row with `possible_duplicate`: one EXISTS inside the list's own query."""
    return requests.annotate(possible_duplicate=Exists(_duplicates_of_outer()))
