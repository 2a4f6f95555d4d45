"""Which requests a user may see; every read of requests starts here.

The rule is in docs/design.md, "People and roles".

Visibility: village officers see their village's requests; kecamatan operators the requests of
their kecamatan's villages, except drafts other people are still writing; the Dinas clerk and head
every request that left its village (not drafts). The leadership viewer and the administrator
see no request: they handle none, and requests hold residents' personal data. Anything else is
a 404 through get_request_for_user().

Training mode ("Latihan", docs/training.md): an actor in training sees practice requests only,
and an actor outside it real ones only (`ServiceRequest.objects` holds no practice request).
In training a village officer sees only the practice requests it made itself (each officer
practises on their own account), and the kecamatan and the Dinas only the practice requests
their colleagues in training play (not those a scenario plays).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from paradewi.accounts.access import active_user
from paradewi.accounts.models import Role, User
from paradewi.accounts.policy import DINAS_ROLES
from paradewi.core.crypto import blind_index
from paradewi.core.fields import NIK
from paradewi.requests.models import ServiceRequest, Status


def visible_requests(user: object) -> QuerySet[ServiceRequest]:
    actor = active_user(user)  # type: ignore[arg-type]
    requests = ServiceRequest.objects.all()
    if actor is None or actor.area_id is None:
        return requests.none()
    if actor.in_training:
        requests = ServiceRequest.practice.all()
        if actor.role == Role.VILLAGE_OFFICER:
            return requests.filter(village_id=actor.area_id, created_by=actor)
        requests = requests.filter(Q(played_by_scenario=False) | Q(created_by=actor))
    if actor.role == Role.VILLAGE_OFFICER:
        return requests.filter(village_id=actor.area_id)
    if actor.role == Role.DISTRICT_OPERATOR:
        return requests.filter(district_id=actor.area_id).filter(
            ~Q(status=Status.DRAFT) | Q(created_by=actor)
        )
    if actor.role in DINAS_ROLES:
        # Requests are only ever created for villages of the deployed regency (the area of
        # every Dinas account), so no area filter is needed: drafts stay with their village.
        return requests.exclude(status=Status.DRAFT)
    return requests.none()


def get_request_for_user(
    user: User | object, pk: int, *, for_update: bool = False
) -> ServiceRequest:
    """The request if the user may see it; Http404 otherwise (missing and not-yours alike)."""
    requests = visible_requests(user).select_related(
        "service", "service_version", "village", "district", "holder", "created_by"
    )
    if for_update:
        requests = requests.select_for_update(of=("self",))
    found = requests.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def latest_person_data(user: User, village_id: int, nik: str) -> ServiceRequest | None:
    """The newest earlier request of the same NIK in the same village (to pre-fill a form)."""
    return (
        visible_requests(user)
        .filter(village_id=village_id, subject_nik_index=blind_index(nik, purpose=NIK))
        .order_by("-created_at")
        .first()
    )
