"""The dashboards (service speed, satisfaction), their XLSX exports and the PDF report.

Every view: role check (the administrator and anyone without an area get 404), the reader's
scope from `reports.scope` (404 for an area outside theirs), the period from the address,
then one selector call. Figures are aggregates: nothing here shows or exports a resident.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from paradewi.accounts.access import role_required
from paradewi.accounts.models import User
from paradewi.accounts.policy import RANKING_ROLES, REPORT_ROLES, WORKLOAD_READERS
from paradewi.complaints.models import Category as ComplaintCategory
from paradewi.reports import charts, exports, pdf
from paradewi.reports.cache import remembered
from paradewi.reports.forms import Filters
from paradewi.reports.periods import Period
from paradewi.reports.published import published_figures
from paradewi.reports.scope import Scope, scope_for
from paradewi.reports.selectors import (
    COMMENTS_IN_PDF,
    COMMENTS_SHOWN,
    MIN_REQUESTS,
    RANK_ORDERS,
    SAMPLE_BASIS,
    IkmReport,
    SpeedReport,
    complaints_report,
    corrections_report,
    ikm_report,
    ranking_report,
    returns_report,
    speed_report,
    u9_of,
)
from paradewi.reports.services import request_refresh
from paradewi.reports.templatetags.reports import decimals, worktime
from paradewi.requests import workflow
from paradewi.requests.selectors.workload import held_requests, workload, workload_clerks
from paradewi.requests.workflow import Action
from paradewi.surveys import ikm
from paradewi.surveys.questionnaire import PROFILE


def _reader(request: HttpRequest) -> tuple[Scope, Filters]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - role_required guarantees it
    scope = scope_for(user, request.GET.get("area", "").strip())
    return scope, Filters.build(request.GET, scope, timezone.localdate())


# The workbook of each dashboard, for the header's download link.
TAB_EXPORTS = {
    "speed": "reports_speed_xlsx",
    "ikm": "reports_ikm_xlsx",
    "returns": "reports_returns_xlsx",
    "ranking": "reports_ranking_xlsx",
}


def _page(scope: Scope, filters: Filters, tab: str) -> dict[str, Any]:
    """What the header of every dashboard needs; the figures are brought up to date first."""
    return {
        "scope": scope,
        "filters": filters,
        "tab": tab,
        "query": urlencode({"period": filters.period.key, "area": scope.region.code}),
        "refreshed_at": request_refresh(),
        "may_rank": scope.user.role in RANKING_ROLES,
        "may_see_workload": scope.user.role in WORKLOAD_READERS,
        "export_url": reverse(TAB_EXPORTS[tab]) if tab in TAB_EXPORTS else "",
    }


def _figures(
    kind: str, scope: Scope, context: dict[str, Any], compute: Callable[[Period], Any], *extra: Any
) -> Any:
    """One report's figures for the page's scope and period, kept a minute (reports.cache)."""
    period = context["filters"].period
    return remembered(kind, scope, period, context["refreshed_at"], lambda: compute(period), *extra)


def _month_labels(months: list[date]) -> list[str]:
    """Months as a chart's axis shows them: short names ("Jan", "Mei"), with the year
    ("Jan 25") when the trend spans more than twelve months."""
    shape = "M" if len(months) <= 12 else "M y"
    return [formats.date_format(month, shape) for month in months]


def _span(months: list[date]) -> dict[str, str]:
    return {
        "first": formats.date_format(months[0], "F Y"),
        "last": formats.date_format(months[-1], "F Y"),
    }


def speed_charts(report: SpeedReport) -> dict[str, Any]:
    months = [month for month, _activity in report.trend]
    stages = report.total.stages
    return {
        "trend_chart": charts.column_chart(
            ident="trend",
            title=_("Requests per month"),
            description=_("Requests submitted and completed per month, %(first)s to %(last)s.")
            % _span(months),
            labels=_month_labels(months),
            series=[
                charts.Series(_("Submitted"), [a.submitted for _m, a in report.trend]),
                charts.Series(_("Completed"), [a.completed for _m, a in report.trend]),
            ],
        ),
        "stage_chart": charts.bar_chart(
            ident="stages",
            title=_("Mean working time per stage"),
            description=_("Mean working hours a request spends in each stage, %(period)s.")
            % {"period": report.period.label},
            labels=[stage.label for stage in stages],
            values=[stage.mean / 60 if stage.mean is not None else None for stage in stages],
            shown=[
                worktime(stage.mean) if stage.mean is not None else _("no stay ended")
                for stage in stages
            ],
        ),
    }


def ikm_charts(report: IkmReport) -> dict[str, Any]:
    elements = report.total.elements
    return {
        "element_chart": charts.bar_chart(
            ident="elements",
            title=_("Mean score (NRR) per element"),
            description=_("The mean answer, from 1 to 4, of each of the nine elements, %(period)s.")
            % {"period": report.period.label},
            labels=[f"{e.element.code} {e.element.name}" for e in elements],
            values=[float(e.nrr) for e in elements],
            shown=[decimals(e.nrr) for e in elements],
            maximum=4,
        )
        if elements
        else None,
        "ikm_trend_chart": charts.column_chart(
            ident="ikm-trend",
            title=_("IKM per month"),
            description=_(
                "The IKM per month, %(first)s to %(last)s; months with fewer than five "
                "responses have no column."
            )
            % _span([month for month, _figures in report.trend]),
            labels=_month_labels([month for month, _figures in report.trend]),
            series=[
                charts.Series(
                    _("IKM"),
                    [
                        float(figures.index) if figures.index is not None else None
                        for _month, figures in report.trend
                    ],
                )
            ],
            maximum=100,
        ),
    }


@never_cache
@role_required(*REPORT_ROLES)
@require_GET
def speed(request: HttpRequest) -> HttpResponse:
    """How fast requests travel: counts, completion on time, time per stage, open now."""
    scope, filters = _reader(request)
    context = _page(scope, filters, "speed")
    report = _figures("speed", scope, context, lambda period: speed_report(scope, period))
    context.update(
        report=report,
        corrections=_figures(
            "corrections", scope, context, lambda period: corrections_report(scope, period)
        ),
        **speed_charts(report),
    )
    return render(request, "reports/speed.html", context)


@never_cache
@role_required(*REPORT_ROLES)
@require_GET
def satisfaction(request: HttpRequest) -> HttpResponse:
    """The IKM of the area and period, per element, with the profile and the sample."""
    scope, filters = _reader(request)
    context = _page(scope, filters, "ikm")
    report = _figures(
        "ikm",
        scope,
        context,
        lambda period: ikm_report(scope, period, comments_limit=COMMENTS_SHOWN),
    )
    complaints = _figures(
        "complaints", scope, context, lambda period: complaints_report(scope, period)
    )
    context.update(
        report=report,
        unit=ikm.ni(report.total.index) if report.total.index is not None else None,
        profile=[(label, report.profile[field]) for field, label, _choices in PROFILE]
        if report.profile
        else [],
        min_responses=ikm.MIN_RESPONSES,
        sample_basis=SAMPLE_BASIS,
        complaints=complaints.figures,
        complaint_groups=[
            (_("Month"), complaints.figures.by_month),
            (_("Category"), complaints.figures.by_category),
            (_("Area"), complaints.figures.by_district),
            (_("Service"), complaints.figures.by_service),
        ],
        month_title=_("Month"),
        u9=u9_of(report),
        **ikm_charts(report),
    )
    return render(request, "reports/ikm.html", context)


@never_cache
@role_required(*WORKLOAD_READERS)
@require_GET
def clerk_workload(request: HttpRequest) -> HttpResponse:
    """Each clerk's requests held now and work in the period; the Dinas head sees every clerk
    (and reassigns from here), a clerk only themself."""
    scope, filters = _reader(request)
    context = _page(scope, filters, "workload")
    clerks = workload_clerks(scope.user)
    loads = workload(clerks, filters.period.start, filters.period.end)
    held = held_requests(clerks)
    context.update(
        rows=[(load, held.get(load.clerk.pk, [])) for load in loads],
        can_reassign=scope.user.role in workflow.roles(Action.REASSIGN),
    )
    return render(request, "reports/workload.html", context)


@never_cache
@role_required(*REPORT_ROLES)
@require_GET
def returns(request: HttpRequest) -> HttpResponse:
    """What requests are returned for, per village: where officers need training."""
    scope, filters = _reader(request)
    context = _page(scope, filters, "returns")
    context.update(
        report=_figures("returns", scope, context, lambda period: returns_report(scope, period)),
        min_requests=MIN_REQUESTS,
        **_rows_shown(request, context["query"]),
    )
    return render(request, "reports/returns.html", context)


# Long lists (the villages of a regency) show this many rows first, on a phone too; the page
# links to all of them, and the export holds them all.
ROWS_SHOWN = 50


def _rows_shown(request: HttpRequest, query: str) -> dict[str, Any]:
    show_all = request.GET.get("all") == "1"
    return {"rows_shown": None if show_all else ROWS_SHOWN, "all_query": f"{query}&all=1"}


def _order(request: HttpRequest) -> str:
    order = request.GET.get("order", "")
    return order if order in RANK_ORDERS else RANK_ORDERS[0]


@never_cache
@role_required(*RANKING_ROLES)
@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    """The kecamatan and villages ranked by IKM, by completion on time and by volume."""
    scope, filters = _reader(request)
    context = _page(scope, filters, "ranking")
    order = _order(request)
    context.update(
        report=_figures(
            "ranking", scope, context, lambda period: ranking_report(scope, period, order), order
        ),
        min_responses=ikm.MIN_RESPONSES,
        min_requests=MIN_REQUESTS,
        **_rows_shown(request, f"{context['query']}&order={order}"),
        order_query={
            key: urlencode({"period": filters.period.key, "area": scope.region.code, "order": key})
            for key in RANK_ORDERS
        },
    )
    return render(request, "reports/ranking.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(
    request: HttpRequest, prefix: str, build: Callable[[Scope, Period], bytes]
) -> HttpResponse:
    """A dashboard's XLSX: the reader's scope and period, figures brought up to date first."""
    scope, filters = _reader(request)
    request_refresh()
    workbook = build(scope, filters.period)
    return _download(workbook, XLSX, exports.filename(prefix, scope, filters.period, "xlsx"))


@never_cache
@role_required(*REPORT_ROLES)
@require_GET
def speed_xlsx(request: HttpRequest) -> HttpResponse:
    return _workbook(
        request,
        "kecepatan",
        lambda scope, period: exports.speed_workbook(
            scope, speed_report(scope, period), corrections_report(scope, period)
        ),
    )


@never_cache
@role_required(*REPORT_ROLES)
@require_GET
def ikm_xlsx(request: HttpRequest) -> HttpResponse:
    # Every comment of the period: the page shows the latest few.
    return _workbook(
        request,
        "ikm",
        lambda scope, period: exports.ikm_workbook(
            scope,
            ikm_report(scope, period, comments_limit=None),
            complaints_report(scope, period),
        ),
    )


@never_cache
@role_required(*REPORT_ROLES)
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The report of a period (normally a month) as PDF: speed and satisfaction together."""
    scope, filters = _reader(request)
    refreshed = request_refresh()
    content = pdf.report_pdf(
        scope,
        speed_report(scope, filters.period),
        ikm_report(scope, filters.period, comments_limit=COMMENTS_IN_PDF),
        complaints_report(scope, filters.period),
        corrections=corrections_report(scope, filters.period),
        refreshed_at=refreshed,
    )
    return _download(
        content, "application/pdf", exports.filename("laporan", scope, filters.period, "pdf")
    )


@never_cache
@role_required(*REPORT_ROLES)
@require_GET
def returns_xlsx(request: HttpRequest) -> HttpResponse:
    return _workbook(
        request,
        "pengembalian",
        lambda scope, period: exports.returns_workbook(scope, returns_report(scope, period)),
    )


@never_cache
@role_required(*RANKING_ROLES)
@require_GET
def ranking_xlsx(request: HttpRequest) -> HttpResponse:
    order = _order(request)
    return _workbook(
        request,
        "peringkat",
        lambda scope, period: exports.ranking_workbook(scope, ranking_report(scope, period, order)),
    )


@require_GET
def public_figures(request: HttpRequest) -> HttpResponse:
    """Public, no login: the published results (`reports.published`): aggregates only, small
    groups withheld, no JavaScript."""
    figures = published_figures()
    labels = dict(ComplaintCategory.choices)
    complaint_categories = (
        [(labels.get(code, code), count) for code, count in figures.complaints.categories]
        if figures.complaints
        else []
    )
    return render(
        request,
        "reports/figures.html",
        {"figures": figures, "complaint_categories": complaint_categories},
    )
