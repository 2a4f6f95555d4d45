"""Who sees which complaint: the one place the complaint views and services ask
(docs/complaints.md, "Who sees what").

- Those who manage complaints (`policy.COMPLAINT_MANAGERS`, the Dinas head) see every
  complaint in their area, which is the regency.
- The other officers who handle requests (`policy.COMPLAINT_READERS`) see, in their own area,
  the complaints about a request (they handle that request), except those that judge an
  officer (`SENSITIVE_CATEGORIES`); and every complaint given to them or filed by them.
- Nobody sees anything outside their area: a 404, as for a request (accounts/access.py).
- The leadership viewer and the administrator see no complaint: it holds personal data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from paradewi.accounts.access import active_user
from paradewi.accounts.policy import COMPLAINT_MANAGERS, COMPLAINT_READERS
from paradewi.complaints.models import SENSITIVE_CATEGORIES, Complaint
from paradewi.regions.codes import code_within_q
from paradewi.regions.models import Region

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from paradewi.accounts.models import User


def _area_q(area: Region) -> Q:
    """Complaints whose area (the village, else the kecamatan, else the whole regency) lies
    in `area`."""
    inside = code_within_q("village__code", area.code) | (
        Q(village__isnull=True) & code_within_q("district__code", area.code)
    )
    if area.level in (Region.Level.REGENCY, Region.Level.PROVINCE):
        inside |= Q(village__isnull=True, district__isnull=True)
    return inside


def visible_complaints(user: User | AnonymousUser) -> QuerySet[Complaint]:
    actor = active_user(user)
    if (
        actor is None
        or actor.area is None
        or actor.role not in COMPLAINT_READERS | COMPLAINT_MANAGERS
    ):
        return Complaint.objects.none()
    inside = Complaint.objects.filter(_area_q(actor.area))
    if actor.role in COMPLAINT_MANAGERS:
        return inside
    return inside.filter(
        (Q(request__isnull=False) & ~Q(category__in=sorted(SENSITIVE_CATEGORIES)))
        | Q(assignee=actor)
        | Q(filed_by=actor)
    )


def get_complaint_for_user(user: User | AnonymousUser, pk: int) -> Complaint:
    """One complaint the user may see, or Http404 (missing and not-yours alike)."""
    found = (
        visible_complaints(user)
        .select_related(
            "request__service_version",
            "service",
            "village",
            "district",
            "assignee",
            "filed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def may_see(user: User, complaint: Complaint, *, as_assignee: bool = False) -> bool:
    """Whether `user` sees `complaint`; with `as_assignee`, whether they would once it is
    given to them (the area test only)."""
    actor = active_user(user)
    if actor is None or actor.area is None:
        return False
    if as_assignee:
        if actor.role not in COMPLAINT_READERS | COMPLAINT_MANAGERS:
            return False
        return Complaint.objects.filter(_area_q(actor.area), pk=complaint.pk).exists()
    return visible_complaints(actor).filter(pk=complaint.pk).exists()


def answers_it(actor: User, complaint: Complaint) -> bool:
    """For a complaint the actor already sees (fetched through `get_complaint_for_user`):
    whether they answer it (a manager, or the officer it was given to). No query."""
    return actor.role in COMPLAINT_MANAGERS or complaint.assignee_id == actor.pk


def manages_it(actor: User) -> bool:
    """For a complaint the actor already sees: whether they assign, close and record LAPOR!."""
    return actor.role in COMPLAINT_MANAGERS


def assignable_officers(complaint: Complaint) -> QuerySet[User]:
    """The active officers a complaint may be given to: those who read complaints and whose
    area holds the complaint's area (the area's own code or one it continues)."""
    from paradewi.accounts.models import User

    region = complaint.village or complaint.district
    code = region.code if region is not None else ""
    parts = code.split(".") if code else []
    containing = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    officers = User.objects.filter(
        is_active=True, role__in=sorted(COMPLAINT_READERS | COMPLAINT_MANAGERS)
    )
    if region is None:
        # A complaint about the whole regency: only accounts of the regency (or above).
        return officers.filter(
            area__level__in=[Region.Level.REGENCY, Region.Level.PROVINCE]
        ).order_by("role", "full_name")
    return officers.filter(area__code__in=containing).order_by("role", "full_name")


def may_answer(user: User, complaint: Complaint) -> bool:
    actor = active_user(user)
    if actor is None:
        return False
    if actor.role in COMPLAINT_MANAGERS:
        return may_see(actor, complaint)
    return complaint.assignee_id == actor.pk and may_see(actor, complaint)


def may_manage(user: User, complaint: Complaint) -> bool:
    actor = active_user(user)
    return actor is not None and actor.role in COMPLAINT_MANAGERS and may_see(actor, complaint)
