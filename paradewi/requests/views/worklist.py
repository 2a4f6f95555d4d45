"""The worklists (per role, with tabs, filters, search and pages) and a request's detail page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.models import Role
from paradewi.accounts.policy import DINAS_ROLES, HANDLING_ROLES
from paradewi.requests import workflow
from paradewi.requests.access_log import Action, access_record, may_read_access_log
from paradewi.requests.details import details_display
from paradewi.requests.forms_actions import WorklistFilterForm
from paradewi.requests.models import Status
from paradewi.requests.requirements import checklist
from paradewi.requests.selectors import detail, get_request_for_user, worklist
from paradewi.requests.selectors.clock import Clock
from paradewi.requests.selectors.duplicates import duplicates_of
from paradewi.requests.selectors.related import related_requests
from paradewi.requests.workflow import Action as WorkflowAction


@role_required(*HANDLING_ROLES)
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = WorklistFilterForm(request.GET, tabs=worklist.tabs_for(actor))
    tab = form.current_tab
    requests = worklist.worklist_with_count(
        actor,
        tab=tab,
        status=form.value("status"),
        service=form.value("service"),
        query=form.value("q"),
    )
    page, rows = worklist.paginate(requests, request.GET.get("page"))
    context = {
        "form": form,
        "tab": tab,
        "page": page,
        "rows": rows,
        "show_village": actor.role != Role.VILLAGE_OFFICER,
        "show_holder": actor.role in DINAS_ROLES,
    }
    # htmx swaps only the rows when the filters change; the full page works without it.
    template = "requests/list.html"
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        template = "requests/_partials/request_rows.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@role_required(*HANDLING_ROLES)
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    current, earlier = detail.split_uploads(service_request)
    check = checklist(service_request, uploads=current)
    entries = detail.timeline(service_request)
    corrections = detail.correction_links(actor, service_request, entries)
    last_return = detail.last_return_of(entries)
    to_fix: dict[str, str] = {}
    if service_request.status == Status.RETURNED and last_return is not None:
        to_fix = last_return.details.get("items") or {}
    names = detail.requirement_names(service_request)
    output_names = {o["code"]: o["name"] for o in service_request.definition["outputs"]}
    outputs = [
        (output, output_names.get(output.output_code, output.output_code))
        for output in service_request.outputs.order_by("output_code", "uploaded_at", "pk")
    ]
    # The page shows the resident's data and thumbnails of the scans: one log row for all.
    access_record(
        request=request, actor=actor, action=Action.REQUEST_OPENED, service_request=service_request
    )
    return render(
        request,
        "requests/detail.html",
        {
            "req": service_request,
            "due": Clock([service_request.due_at]).due(service_request),
            "checklist": [
                (item, earlier.get(item.code, []), to_fix.get(item.code, ""))
                for item in check.items
            ],
            "missing": check.missing,
            "last_return": last_return if service_request.status == Status.RETURNED else None,
            "data_to_fix": to_fix.get("data", ""),
            "return_names": names,
            "outputs": outputs,
            # Finished: what the resident receives (print first) leads the page.
            "finished": service_request.status in (*workflow.FINISHED_STATES, Status.HANDED_OVER),
            "received": detail.received(entries),
            "timeline": entries,
            "corrections": corrections,
            "actions": workflow.allowed(actor, service_request),
            "Action": WorkflowAction,
            "details": details_display(service_request),
            "show_access_log": may_read_access_log(actor),
            "related": related_requests(actor, service_request),
            "duplicates": duplicates_of(actor, service_request),
        },
    )
