"""The other requests of the same person or family, for a request's page.

A clerk who opens an akta kelahiran should see at once that a KK change of the same family is
pending: the requests with the same subject NIK, or the same KK number, that the user may see
(the village its own, the kecamatan its villages', the Dinas the regency's). Matched on the
keyed search hashes of the encrypted numbers, so no number is decrypted to find them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from paradewi.accounts.models import User
from paradewi.requests.models import ServiceRequest
from paradewi.requests.selectors.access import visible_requests

LIMIT = 10


@dataclass(frozen=True)
class Related:
    request: ServiceRequest
    same_person: bool  # the same NIK; otherwise the same KK (a member of the family)


def related_requests(user: User, request: ServiceRequest) -> list[Related]:
    """Up to LIMIT other requests of the same NIK or KK inside the user's area, newest first
    (one query; none when the request has neither number)."""
    match = Q()
    if request.subject_nik_index:
        match |= Q(subject_nik_index=request.subject_nik_index)
    if request.subject_kk_index:
        match |= Q(subject_kk_index=request.subject_kk_index)
    if not match:
        return []
    others = (
        visible_requests(user)
        .filter(match)
        .exclude(pk=request.pk)
        .select_related("service")
        .only(
            "pk",
            "number",
            "status",
            "created_at",
            "subject_nik_index",
            "service__name",
            "service__code",
        )
        .order_by("-created_at", "-pk")[:LIMIT]
    )
    return [
        Related(
            request=other,
            same_person=bool(request.subject_nik_index)
            and other.subject_nik_index == request.subject_nik_index,
        )
        for other in others
    ]
