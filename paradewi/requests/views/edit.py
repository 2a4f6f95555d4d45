"""Creating and editing a request: choose a service, fill the data, upload, submit.

For village officers, and kecamatan operators serving residents at the kecamatan. Every view
checks the role first and fetches the request through get_request_for_user (404 outside the
user's area). Service errors: NotAllowedError -> 404, WorkflowError -> a message,
ValidationError -> a form error. Pages work without JavaScript; an upload sent by the page's
script (static/js/uploads.js, with `HX-Request`) gets back only its requirement row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.kept_form import kept_form_data
from paradewi.accounts.models import User
from paradewi.catalogue.models import Service
from paradewi.catalogue.selectors import offered_service_summaries
from paradewi.core.middleware import body_limit
from paradewi.requests import selectors, services, workflow
from paradewi.requests.access_log import Action as AccessAction
from paradewi.requests.access_log import access_record
from paradewi.requests.details import (
    detail_form_class,
    detail_initial,
    details_display,
    details_from_form,
    late_warning,
    member_rows,
    person_initial,
)
from paradewi.requests.errors import NotAllowedError, WorkflowError
from paradewi.requests.forms import (
    NIK_OPTIONAL,
    CreateForm,
    DetailForm,
    PersonForm,
    PrefillForm,
    UploadForm,
    data_forms_valid,
)
from paradewi.requests.models import ServiceRequest, Status, Transition, Upload
from paradewi.requests.requirements import Checklist, RequirementState, checklist
from paradewi.requests.selectors.duplicates import duplicates_of
from paradewi.requests.selectors.people import KnownPerson, people_of_kk
from paradewi.requests.workflow import DATA, EDITABLE_STATES, Action

# Messages about one requirement's upload carry this tag plus the code, to show at its row.
UPLOAD_TAG = "upload:"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _edit_url(service_request: ServiceRequest, anchor: str = "") -> str:
    url = reverse("request_edit", args=[service_request.pk])
    return f"{url}#{anchor}" if anchor else url


# --- choosing a service and creating the draft --------------------------------------------------


@role_required(*workflow.roles(Action.CREATE))
@require_GET
def service_choose(request: HttpRequest) -> HttpResponse:
    return render(
        request, "requests/service_choose.html", {"services": offered_service_summaries()}
    )


def _already_created(actor: User, key: str | None) -> ServiceRequest | None:
    """The request an earlier post of the same form created (the idempotency key)."""
    try:
        parsed = uuid.UUID(str(key))
    except ValueError:
        return None
    return selectors.visible_requests(actor).filter(idempotency_key=parsed).first()


@dataclass
class Prefill:
    """What the "fill from an earlier request" form found."""

    form: PrefillForm
    initial: dict[str, Any] = field(default_factory=dict)  # the person form's
    known: list[KnownPerson] = field(default_factory=list)  # the family's people to pick
    details: dict[str, Any] = field(default_factory=dict)  # the detail form's


def _prefill(request: HttpRequest, actor: User, service_code: str) -> Prefill:
    found = _prefill_person(request, actor, service_code)
    earlier_kk = found.initial.get("subject_kk")
    if service_code == "kk-baru" and found.form.is_bound and earlier_kk:
        # F-1.01 lists the family's other members: those of the person's KK known from
        # earlier requests are filled in (name, NIK, sex and date of birth from the NIK).
        nik = found.initial.get("subject_nik")
        village = found.form.village()
        family = [
            person for person in people_of_kk(actor, village.pk, earlier_kk) if person.nik != nik
        ]
        if family:
            found.details["other_members"] = member_rows(family)
            found.details["members_count"] = len(family) + 1
            messages.info(
                request,
                _(
                    "%(count)d other people of this KK are filled in as family members: tick "
                    "“Remove this row” for anyone not on the new card."
                )
                % {"count": len(family)},
            )
    return found


def _prefill_person(request: HttpRequest, actor: User, service_code: str) -> Prefill:
    """The "fill from an earlier request" form, the initial data it found (GET ?nik=, or ?kk=
    for a service whose person may have no NIK yet) and the family's people to pick from."""
    by_kk = service_code in NIK_OPTIONAL
    if ("kk" if by_kk else "nik") not in request.GET:
        return Prefill(PrefillForm(actor=actor, by_kk=by_kk))
    prefill = PrefillForm(request.GET, actor=actor, by_kk=by_kk)
    if not prefill.is_valid():
        return Prefill(prefill)
    village = prefill.village()
    initial: dict[str, Any] = {}
    if "village" in prefill.fields:
        initial["village"] = village.pk
    if by_kk:
        kk = prefill.cleaned_data["kk"]
        initial["subject_kk"] = kk
        known = people_of_kk(actor, village.pk, kk)
        if known:
            messages.info(
                request,
                _("%(count)d people of this family are known: pick them below.")
                % {"count": len(known)},
            )
        else:
            messages.info(request, _("No earlier request of this KK in this village."))
        return Prefill(prefill, initial, known)
    nik = prefill.cleaned_data["nik"]
    initial["subject_nik"] = nik
    earlier = selectors.latest_person_data(actor, village.pk, nik)
    if earlier is None:
        messages.info(request, _("No earlier request of this NIK in this village."))
        return Prefill(prefill, initial)
    initial.update(person_initial(earlier))
    messages.info(
        request,
        _("Filled in from the request of %(date)s. Check that the data is still right.")
        % {"date": earlier.created_at.date().isoformat()},
    )
    return Prefill(prefill, initial)


@role_required(*workflow.roles(Action.CREATE))
@require_http_methods(["GET", "POST"])
def request_create_view(request: HttpRequest, service_code: str) -> HttpResponse:
    actor = request_actor(request)
    service = get_object_or_404(Service, code=service_code, is_active=True)
    detail_class = detail_form_class(service.code)
    prefill: PrefillForm | None = None
    known: list[KnownPerson] = []
    if request.method == "POST":
        existing = _already_created(actor, request.POST.get("idempotency_key"))
        if existing is not None:
            return redirect(_edit_url(existing))
        form = CreateForm(request.POST, service_code=service.code, actor=actor)
        details_form = detail_class(request.POST)
        if data_forms_valid(form, details_form):
            try:
                created_request, created = services.request_create(
                    actor=actor,
                    service=service,
                    village=form.village(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    details=details_from_form(details_form),
                    **form.person_data(),
                )
            except NotAllowedError:
                raise Http404 from None
            except ValidationError as error:
                form.add_error(None, error)
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                if created:
                    messages.success(request, _("Draft saved. Now upload the requirements."))
                return redirect(_edit_url(created_request))
    else:
        found = _prefill(request, actor, service.code)
        prefill, known = found.form, found.known
        kept = kept_form_data(request)  # typed before the session ended
        form = CreateForm(kept, initial=found.initial, service_code=service.code, actor=actor)
        details_form = detail_class(kept, initial=found.details)
    return render(
        request,
        "requests/request_form.html",
        {
            "service": service,
            "form": form,
            "details_form": details_form,
            "prefill": prefill,
            "known_people": known,
        },
    )


# --- the edit page ------------------------------------------------------------------------------


@dataclass
class Row:
    """One requirement on the edit page, with its upload form."""

    state: RequirementState
    form: UploadForm
    editable: bool
    to_fix: str = ""
    errors: list[str] = field(default_factory=list)
    notice: str = ""
    # Shown first, in the "what to fix" box of a returned request (marked, or still missing).
    fix_first: bool = False


@dataclass
class Entry:
    """A line of the requirement list: one row, or a "one of" group of options."""

    row: Row | None = None
    options: list[list[Row]] = field(default_factory=list)


def _may_replace(state: RequirementState, items: dict[str, str]) -> bool:
    """While returned with marked items, only those (and still missing uploads) may change."""
    return workflow.may_change(state.code, items, uploaded=state.uploaded)


def _row(
    state: RequirementState, status: str, items: dict[str, str], errors: list[str] | None = None
) -> Row:
    return Row(
        state=state,
        form=UploadForm(prefix=state.code),
        editable=status in EDITABLE_STATES and _may_replace(state, items),
        to_fix=items.get(state.code, ""),
        errors=errors or [],
    )


def _entries(
    check: Checklist, status: str, items: dict[str, str], errors: dict[str, list[str]]
) -> list[Entry]:
    """The requirements that apply, alternatives grouped where their group first appears."""
    entries: list[Entry] = []
    groups: dict[str, Entry] = {}
    options: dict[tuple[str, str], list[Row]] = {}
    for state in check.items:
        if not state.applies:
            continue
        row = _row(state, status, items, errors.get(state.code))
        if not state.group:
            entries.append(Entry(row=row))
            continue
        if state.group not in groups:
            groups[state.group] = Entry()
            entries.append(groups[state.group])
        key = (state.group, state.option)
        if key not in options:
            options[key] = []
            groups[state.group].options.append(options[key])
        options[key].append(row)
    return entries


def _upload_errors(request: HttpRequest) -> tuple[list[Any], dict[str, list[str]]]:
    """Split the pending messages: general ones, and upload errors shown at their row."""
    general: list[Any] = []
    by_code: dict[str, list[str]] = {}
    for message in get_messages(request):
        tags = message.extra_tags or ""
        if tags.startswith(UPLOAD_TAG):
            by_code.setdefault(tags.removeprefix(UPLOAD_TAG), []).append(str(message))
        else:
            general.append(message)
    return general, by_code


def _return_list(check: Checklist, items: dict[str, str]) -> list[tuple[str, str]]:
    labels = {state.code: state.name for state in check.items}
    labels["data"] = _("The data in the form")
    return [(labels.get(code, code), text) for code, text in items.items()]


def _render_edit(
    request: HttpRequest,
    service_request: ServiceRequest,
    form: PersonForm,
    details_form: DetailForm,
    *,
    data_editable: bool,
    last_return: Transition | None,
    status: int = 200,
) -> HttpResponse:
    check = checklist(service_request)
    general, upload_errors = _upload_errors(request)
    items: dict[str, str] = last_return.details.get("items", {}) if last_return else {}
    actor = request_actor(request)
    entries = _entries(check, service_request.status, items, upload_errors)
    fix_rows: list[Row] = []
    if items:  # returned with marked items: what may change comes first, with its upload
        for entry in entries:
            for row in [entry.row] if entry.row else [r for o in entry.options for r in o]:
                if row.editable:
                    row.fix_first = True
                    fix_rows.append(row)
    context = {
        "service": service_request.service,
        "service_request": service_request,
        "form": form,
        "details_form": details_form,
        "data_editable": data_editable,
        "check": check,
        "entries": entries,
        "fix_rows": fix_rows,
        # Data that may not change is shown as text, not as greyed-out fields.
        "locked_data": not data_editable,
        "locked_details": [] if data_editable else details_display(service_request),
        "returned": last_return,
        "return_list": _return_list(check, items),
        "data_fix": items.get("data", ""),
        "late_warning": late_warning(service_request),
        "messages": general,
        # Phones shrink photos to the size the server keeps (uploads.js).
        "upload_max_side": settings.UPLOAD_IMAGE_MAX_SIDE,
        # and refuse, before sending, what the server would refuse for its size (uploads.js).
        "upload_max_bytes": settings.UPLOAD_MAX_BYTES,
        "duplicates": duplicates_of(actor, service_request),
        "duplicate_advice": _(
            "Check with the resident before submitting: if it is the same, cancel this draft."
        ),
    }
    return render(request, "requests/request_form.html", context, status=status)


def _disable(*forms: PersonForm | DetailForm) -> None:
    for form in forms:
        for form_field in form.fields.values():
            form_field.disabled = True


@role_required(*workflow.roles(Action.EDIT))
@require_http_methods(["GET", "POST"])
def request_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    service_request = selectors.get_request_for_user(actor, pk)
    try:
        workflow.check(actor, service_request, Action.EDIT)
    except NotAllowedError:
        raise Http404 from None
    except WorkflowError:
        messages.info(request, _("This request can no longer be changed."))
        return redirect("request_detail", pk=service_request.pk)
    code = service_request.service.code
    detail_class = detail_form_class(code)
    # The latest return, read once: what it marked to fix is all that may change.
    last_return = (
        workflow.last_return(service_request) if service_request.status == Status.RETURNED else None
    )
    items: dict[str, str] = last_return.details.get("items", {}) if last_return else {}
    data_editable = workflow.may_change(DATA, items, uploaded=True)
    if request.method == "POST":
        if not data_editable:
            messages.error(request, _("Only what was marked to fix can be changed."))
            return redirect(_edit_url(service_request))
        form = PersonForm(request.POST, service_code=code)
        details_form = detail_class(request.POST)
        if data_forms_valid(form, details_form):
            try:
                services.request_update(
                    actor=actor,
                    request=service_request,
                    details=details_from_form(details_form),
                    **form.person_data(),
                )
            except NotAllowedError:
                raise Http404 from None
            except ValidationError as error:
                form.add_error(None, error)
            except WorkflowError as error:
                messages.error(request, str(error))
                return redirect(_edit_url(service_request))
            else:
                messages.success(request, _("Saved."))
                return redirect(_edit_url(service_request))
    else:
        kept = kept_form_data(request) if data_editable else None
        form = PersonForm(kept, initial=person_initial(service_request), service_code=code)
        details_form = detail_class(kept, initial=detail_initial(code, service_request.details))
        if not data_editable:
            _disable(form, details_form)
        # The edit page shows the resident's full NIK and KK: logged like the request page.
        access_record(
            request=request,
            actor=actor,
            action=AccessAction.REQUEST_EDIT_OPENED,
            service_request=service_request,
        )
    return _render_edit(
        request,
        service_request,
        form,
        details_form,
        data_editable=data_editable,
        last_return=last_return,
    )


# --- uploads and submission ---------------------------------------------------------------------


@body_limit(lambda: settings.UPLOAD_MAX_BYTES)
@role_required(*workflow.roles(Action.EDIT))
@require_POST
def upload_view(request: HttpRequest, pk: int, requirement_code: str) -> HttpResponse:
    actor = request_actor(request)
    service_request = selectors.get_request_for_user(actor, pk)
    try:
        workflow.check(actor, service_request, Action.EDIT)
    except NotAllowedError:
        raise Http404 from None
    except WorkflowError:
        pass  # a state that is not editable: the service refuses the file with its message
    check = checklist(service_request)
    state = check.item(requirement_code)
    if state is None:
        raise Http404
    items = workflow.marked_to_fix(service_request)
    form = UploadForm(request.POST, request.FILES, prefix=requirement_code)
    upload: Upload | None = None
    if not _may_replace(state, items):
        form.add_error(None, _("Only the documents marked to fix can be replaced."))
    elif form.is_valid():
        try:
            upload = services.upload_add(
                actor=actor,
                request=service_request,
                requirement_code=requirement_code,
                file=form.cleaned_data["file"],
            )
        except NotAllowedError:
            raise Http404 from None
        except ValidationError as error:
            form.add_error("file", error)
        except WorkflowError as error:
            form.add_error(None, str(error))
    errors = [str(message) for message in form.errors.get("file", [])] + [
        str(message) for message in form.non_field_errors()
    ]
    if upload is not None:
        state.upload = upload
    if _is_htmx(request):
        row = _row(state, service_request.status, items, errors)
        if upload is not None:
            row.notice = _("Uploaded.")
        return render(
            request,
            "requests/_partials/upload_row.html",
            {
                "row": row,
                "service_request": service_request,
                # Also refresh the list of what is still missing (an out-of-band swap).
                "check": checklist(service_request),
                "oob": True,
            },
        )
    if upload is not None:
        messages.success(
            request,
            _("“%(name)s” uploaded.") % {"name": state.name},
        )
    else:
        messages.error(
            request,
            _("“%(name)s” was not uploaded: see below.") % {"name": state.name},
        )
        for text in errors:
            messages.error(request, text, extra_tags=UPLOAD_TAG + requirement_code)
    return HttpResponseRedirect(_edit_url(service_request, f"req-{requirement_code}"))


@role_required(*workflow.roles(Action.EDIT))
@require_GET
def upload_row_view(request: HttpRequest, pk: int, requirement_code: str) -> HttpResponse:
    """One requirement's row as it stands, with the list of what is still missing: the row of
    a photo being checked asks for it every few seconds until the worker is done."""
    service_request = selectors.get_request_for_user(request_actor(request), pk)
    check = checklist(service_request)
    state = check.item(requirement_code)
    if state is None or not state.applies:
        raise Http404
    items = workflow.marked_to_fix(service_request)
    response = render(
        request,
        "requests/_partials/upload_row.html",
        {
            "row": _row(state, service_request.status, items),
            "service_request": service_request,
            "check": check,
            "oob": True,
        },
    )
    add_never_cache_headers(response)
    return response


@role_required(*workflow.roles(Action.SUBMIT))
@require_POST
def request_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    service_request = selectors.get_request_for_user(actor, pk)
    if not request.POST.get("not_a_duplicate") and duplicates_of(actor, service_request):
        # A warning, not a rule: the officer who checked with the resident may go on.
        messages.error(
            request,
            _(
                "Not submitted. The same person has another open request (see above): "
                "check it, then tick “This is not the same request” and submit again."
            ),
        )
        return HttpResponseRedirect(_edit_url(service_request, "submit"))
    # A photo the worker has not checked yet is checked now (outside the submission's
    # transaction): the officer is not asked to come back for it.
    services.uploads_finish_checks(actor=actor, request=service_request)
    try:
        service_request = services.request_submit(actor=actor, request=service_request)
    except NotAllowedError:
        raise Http404 from None
    except WorkflowError as error:
        messages.error(request, _("Not submitted. %(reason)s") % {"reason": error})
        return HttpResponseRedirect(_edit_url(service_request, "submit"))
    messages.success(
        request,
        _("Submitted with registration number %(number)s.") % {"number": service_request.number},
    )
    return redirect("request_detail", pk=service_request.pk)
