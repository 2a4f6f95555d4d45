"""Workflow actions: each view admits the roles the workflow table names for its action
(`workflow.roles`), fetches the request through the access helper, validates a form where the
action needs input, calls one service and redirects to the detail page.

A refused transition (WorkflowError, StaleRequestError) goes back with its message; an action the
user may not take at all on this request (NotAllowedError) is a 404, like a request outside their
area. Simple actions are POST-only; a GET (a stale link, a login redirect) leads to the detail page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.kept_form import kept_form_data
from paradewi.requests import services, workflow
from paradewi.requests.errors import NotAllowedError, StaleRequestError, WorkflowError
from paradewi.requests.forms_actions import (
    CancelForm,
    HandOverForm,
    ReassignForm,
    RejectForm,
    ReturnForm,
)
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.selectors import get_request_for_user
from paradewi.requests.selectors.detail import split_uploads
from paradewi.requests.workflow import Action


def _to_detail(service_request: ServiceRequest) -> HttpResponse:
    return redirect("request_detail", pk=service_request.pk)


def _simple(
    request: HttpRequest,
    pk: int,
    run: Callable[..., ServiceRequest],
    success: str,
) -> HttpResponse:
    """A POST-only action without input: one service call, then back to the detail page."""
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    if request.method != "POST":
        return _to_detail(service_request)
    try:
        run(actor=actor, request=service_request)
    except NotAllowedError:
        raise Http404 from None
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return _to_detail(service_request)


def _with_form(
    request: HttpRequest,
    pk: int,
    *,
    action: Action,
    template: str,
    make_form: Callable[..., forms.Form],
    run: Callable[[Any, ServiceRequest], ServiceRequest],
    success: str,
    context: Callable[[ServiceRequest, Any], dict[str, Any]] | None = None,
) -> HttpResponse:
    """An action with input: GET shows the form, POST validates it and calls the service.

    When the action is not possible in the request's current state the form is not shown:
    the detail page says why. A refusal at POST time re-renders the form with the message, so
    a long reason typed is not lost; a stale request goes back to its (reloaded) detail page.
    """
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    if request.method == "POST":
        form = make_form(service_request, request.POST, request.FILES)
        if form.is_valid():
            try:
                run(form, service_request)
            except NotAllowedError:
                raise Http404 from None
            except StaleRequestError as error:
                messages.error(request, str(error))
                return _to_detail(service_request)
            except WorkflowError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, success)
                return _to_detail(service_request)
    else:
        if not workflow.may(actor, service_request, action):
            messages.error(request, _("This cannot be done on the request in its present state."))
            return _to_detail(service_request)
        form = make_form(service_request, kept_form_data(request), None)
    extra = context(service_request, form) if context else {}
    return render(request, template, {"req": service_request, "form": form, **extra})


# --- village and kecamatan ----------------------------------------------------------------------


@role_required(*workflow.roles(Action.CANCEL))
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    return _with_form(
        request,
        pk,
        action=Action.CANCEL,
        template="requests/cancel.html",
        make_form=lambda req, data, files: CancelForm(data),
        run=lambda form, req: services.request_cancel(
            actor=actor, request=req, reason=form.cleaned_data["reason"]
        ),
        success=_("The request was cancelled."),
    )


@role_required(*workflow.roles(Action.VERIFY))
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple(
        request,
        pk,
        services.request_verify,
        _("The request was verified and goes to the Dinas queue."),
    )


@role_required(*workflow.roles(Action.HAND_OVER))
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Who received which part: the form, then a confirmation that repeats it, then the record
    (a POST with "confirm"). "Change" on the confirmation shows the form again, filled in."""
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    parts = tuple(str(part) for part in workflow.parts_for(actor, service_request))

    def make_form(req: ServiceRequest, data: Any, files: Any) -> HandOverForm:
        return HandOverForm(data, service_request=req, parts=parts)

    if request.method == "POST" and "confirm" not in request.POST:
        try:
            workflow.check(actor, service_request, Action.HAND_OVER)
        except NotAllowedError:
            raise Http404 from None
        except WorkflowError as error:
            messages.error(request, str(error))
            return _to_detail(service_request)
        form = make_form(service_request, request.POST, None)
        confirming = form.is_valid() and "change" not in request.POST
        ends = (
            confirming
            and workflow.target(actor, service_request, Action.HAND_OVER, part=form.part())
            == Status.HANDED_OVER
        )
        return render(
            request,
            "requests/hand_over.html",
            {"req": service_request, "form": form, "confirming": confirming, "ends": ends},
        )
    return _with_form(
        request,
        pk,
        action=Action.HAND_OVER,
        template="requests/hand_over.html",
        make_form=make_form,
        run=lambda form, req: services.request_hand_over(
            actor=actor, request=req, part=form.part(), recipient=form.recipient()
        ),
        success=_("The hand-over was recorded."),
    )


def _return_context(service_request: ServiceRequest, form: Any) -> dict[str, Any]:
    current, _earlier = split_uploads(service_request)
    uploads = {upload.requirement_code: upload for upload in current}
    return {
        "requirement_rows": [
            (field, uploads.get(field.name.removeprefix(ReturnForm.ITEM_PREFIX)))
            for field in form.requirement_fields()
        ]
    }


@role_required(*workflow.roles(Action.RETURN))
def return_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    return _with_form(
        request,
        pk,
        action=Action.RETURN,
        template="requests/return.html",
        make_form=lambda req, data, files: ReturnForm(data, service_request=req),
        run=lambda form, req: services.request_return(
            actor=actor, request=req, reason=form.cleaned_data["reason"], items=form.items()
        ),
        success=_("The request was returned to the village with what to fix."),
        context=_return_context,
    )


# --- Dinas --------------------------------------------------------------------------------------


@role_required(*workflow.roles(Action.CLAIM))
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple(request, pk, services.request_claim, _("You now hold this request."))


@role_required(*workflow.roles(Action.RELEASE))
def release(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple(
        request, pk, services.request_release, _("The request is back in the Dinas queue.")
    )


@role_required(*workflow.roles(Action.REASSIGN))
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    return _with_form(
        request,
        pk,
        action=Action.REASSIGN,
        template="requests/reassign.html",
        make_form=lambda req, data, files: ReassignForm(data, actor=actor, service_request=req),
        run=lambda form, req: services.request_reassign(
            actor=actor, request=req, clerk=form.cleaned_data["clerk"]
        ),
        success=_("The request was reassigned."),
    )


@role_required(*workflow.roles(Action.REJECT))
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    return _with_form(
        request,
        pk,
        action=Action.REJECT,
        template="requests/reject.html",
        make_form=lambda req, data, files: RejectForm(data),
        run=lambda form, req: services.request_reject(
            actor=actor, request=req, reason=form.cleaned_data["reason"]
        ),
        success=_("The request was rejected."),
    )
