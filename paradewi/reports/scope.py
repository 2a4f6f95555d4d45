"""Who sees which figures: every dashboard, export and report reads through a Scope.

The area rule itself lives in `accounts.access` (docs/design.md, "People and roles"): the
Dinas head, the leadership viewer and the Dinas clerk see the whole regency, a kecamatan
operator its villages, a village officer its own village; the administrator handles no
business and sees no figures. A reader may narrow the view to an area inside their own (a
kecamatan, a village); anything outside it is a 404, as everywhere. Figures are aggregates
only: no name, NIK or request number reaches a dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from paradewi.accounts.access import get_region_for_user, may_see_region
from paradewi.accounts.models import User
from paradewi.accounts.policy import COMMENT_ROLES, TABULATION_ROLES
from paradewi.complaints.models import Complaint
from paradewi.regions.models import Region
from paradewi.regions.selectors import regions_within
from paradewi.reports.models import (
    DailyActivity,
    DailyDuration,
    DailyReturn,
    MonthlyActivity,
    MonthlyDuration,
    MonthlyReturn,
    MonthlySatisfaction,
)
from paradewi.requests.models import CorrectionCause, ServiceRequest
from paradewi.surveys.models import SurveyResponse

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    user: User
    region: Region  # the user's area or an area inside it

    @property
    def breakdown(self) -> str | None:
        """The field that splits the area one level down: kecamatan of a regency, villages
        of a kecamatan; None for a village."""
        if self.region.level == Region.Level.REGENCY:
            return "district"
        if self.region.level == Region.Level.DISTRICT:
            return "village"
        return None

    @cached_property
    def children(self) -> list[Region]:
        """The active areas one level down (kecamatan of a regency, villages of a
        kecamatan), in code order; read once per scope."""
        if self.breakdown is None:
            return []
        return list(Region.objects.filter(parent=self.region, is_active=True).order_by("code"))

    @property
    def may_tabulate(self) -> bool:
        return self.user.role in TABULATION_ROLES

    @property
    def may_read_comments(self) -> bool:
        return self.user.role in COMMENT_ROLES

    def __post_init__(self) -> None:
        # The area rule (accounts.access): the region is the user's area or inside it.
        if not may_see_region(self.user, self.region):
            raise Http404

    def districts(self) -> QuerySet[Region, Any]:
        """The kecamatan of a regency or province region (a subquery, not a query)."""
        return regions_within(self.region).filter(level=Region.Level.DISTRICT).values("pk")

    def _limit(self, queryset: QuerySet[M]) -> QuerySet[M]:
        # Inside the region, which is inside the user's area (checked above), by the row's
        # own village or kecamatan column: the (month, district) indexes serve it. A filter
        # on region codes through a join made SQLite read every month of every village.
        if self.region.level == Region.Level.VILLAGE:
            return queryset.filter(village=self.region)
        if self.region.level == Region.Level.DISTRICT:
            return queryset.filter(district=self.region)
        return queryset.filter(district__in=self.districts())

    def activity(self) -> QuerySet[MonthlyActivity]:
        return self._limit(MonthlyActivity.objects.all())

    def durations(self) -> QuerySet[MonthlyDuration]:
        return self._limit(MonthlyDuration.objects.all())

    def returns(self) -> QuerySet[MonthlyReturn]:
        return self._limit(MonthlyReturn.objects.all())

    def daily_activity(self) -> QuerySet[DailyActivity]:
        return self._limit(DailyActivity.objects.all())

    def daily_durations(self) -> QuerySet[DailyDuration]:
        return self._limit(DailyDuration.objects.all())

    def daily_returns(self) -> QuerySet[DailyReturn]:
        return self._limit(DailyReturn.objects.all())

    def satisfaction(self) -> QuerySet[MonthlySatisfaction]:
        return self._limit(MonthlySatisfaction.objects.all())

    def responses(self) -> QuerySet[SurveyResponse]:
        """Single survey responses, for the tabulation only (dashboards read the sums)."""
        return self._limit(SurveyResponse.objects.all())

    def complaints(self) -> QuerySet[Complaint]:
        """Complaints, for figures only (counts and times, never listed here). A complaint
        about the regency as a whole (no kecamatan) counts only in the regency's figures."""
        if self.region.level in (Region.Level.VILLAGE, Region.Level.DISTRICT):
            return self._limit(Complaint.objects.all())
        return Complaint.objects.filter(Q(district__in=self.districts()) | Q(district__isnull=True))

    def requests(self) -> QuerySet[ServiceRequest]:
        """Requests, for counts only (never listed: the viewer sees no request). A correction
        of the Dinas's clerical error is not one of its village's requests."""
        return self._limit(
            ServiceRequest.objects.exclude(correction_cause=CorrectionCause.CLERICAL)
        )


def scope_for(user: User, area_code: str = "") -> Scope:
    """The reader's scope: their own area, or the area `area_code` inside it (404 outside)."""
    if area_code:
        region = get_region_for_user(user, area_code)
    else:
        assert user.area is not None  # noqa: S101 - role_required lets only users with an area in
        region = user.area
    return Scope(user, region)
