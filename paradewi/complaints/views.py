"""Complaint pages: the resident's (no login) and the officers' queue and handling.

The residents' pages are never cached and say noindex; they show the complaint through
`public.py` (masked text, no officer's name), never the model. Officers' views start with the
access helper (`access.get_complaint_for_user`: 404 outside the area) and call one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from paradewi.accounts.access import area_q, request_actor, role_required
from paradewi.accounts.network import client_ip
from paradewi.accounts.policy import COMPLAINT_FILERS, COMPLAINT_MANAGERS, COMPLAINT_READERS
from paradewi.complaints import lapor, public, services
from paradewi.complaints.access import (
    answers_it,
    assignable_officers,
    get_complaint_for_user,
    manages_it,
    visible_complaints,
)
from paradewi.complaints.forms import (
    AnswerForm,
    AssignForm,
    FollowForm,
    LaporForm,
    OfficeComplaintForm,
    OptionalTextForm,
    PublicComplaintForm,
    RatingForm,
    TextForm,
)
from paradewi.complaints.models import Channel, Complaint, Status
from paradewi.complaints.selectors import TABS, clock_states, queue
from paradewi.complaints.tracking import (
    TooManyAttemptsError,
    check_filing_allowed,
    complaint_for_token,
    find_by_number_and_pin,
    make_token,
    record_filing,
)
from paradewi.regions.models import Region
from paradewi.requests import tracking as request_tracking
from paradewi.requests.models import ServiceRequest
from paradewi.requests.models import Status as RequestStatus

JUST_FILED = "complaint_just_filed"


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _districts() -> Any:
    return Region.objects.filter(level=Region.Level.DISTRICT, is_active=True).order_by("name")


def _apply_errors(form: Any, error: ValidationError) -> None:
    """A service's errors on the form: per field where it names one, else on the text (the
    only field a step without a field name checks)."""
    if not hasattr(error, "error_dict"):
        form.add_error("text" if "text" in form.fields else None, error.messages)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _filed(request: HttpRequest, complaint: Complaint) -> HttpResponse:
    """After filing: the follow page, which shows the PIN once (this browser just filed it)."""
    request.session[JUST_FILED] = complaint.pk
    return redirect("complaint_follow", token=make_token(complaint))


# --- residents ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """/complaints/: file a complaint, or follow one with its number and PIN, on one page."""
    which = request.POST.get("form") if request.method == "POST" else None
    file_form = PublicComplaintForm(
        request.POST if which == "file" else None, districts=_districts(), prefix="c"
    )
    follow_form = FollowForm(request.POST if which == "follow" else None, prefix="f")
    status = 200
    ip = client_ip(request)
    if which == "follow" and follow_form.is_valid():
        try:
            found = find_by_number_and_pin(
                number=follow_form.cleaned_data["number"],
                pin=follow_form.cleaned_data["pin"],
                client_ip=ip,
            )
        except TooManyAttemptsError as error:
            follow_form.add_error(None, str(error))
            status = 429
        else:
            if found is not None:
                return redirect("complaint_follow", token=make_token(found))
            follow_form.add_error(None, _("Number or PIN is wrong. Check them and try again."))
    elif which == "file" and file_form.is_valid():
        data = file_form.cleaned_data
        about: ServiceRequest | None = None
        try:
            check_filing_allowed(ip)
            if data["request_number"]:
                about = request_tracking.find_by_number_and_pin(
                    number=data["request_number"], pin=data["request_pin"], client_ip=ip
                )
                if about is None:
                    file_form.add_error(
                        "request_number",
                        _("Registration number or PIN is wrong. Check them on the receipt."),
                    )
        except (TooManyAttemptsError, request_tracking.TooManyAttemptsError) as error:
            file_form.add_error(None, str(error))
            status = 429
        if file_form.is_valid():
            try:
                complaint = services.complaint_file(
                    category=data["category"],
                    text=data["text"],
                    request=about,
                    service=data["service"],
                    district=data["district"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"],
                )
            except ValidationError as error:
                _apply_errors(file_form, error)
            else:
                record_filing(ip)
                return _filed(request, complaint)
    context = {"form": file_form, "follow_form": follow_form}
    return _noindex(render(request, "complaints/index.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def about_request(request: HttpRequest, token: str) -> HttpResponse:
    """A complaint about the request the tracking link opens (from its status page)."""
    about = request_tracking.request_for_token(token)
    if about is None:
        raise Http404
    form = PublicComplaintForm(request.POST or None, districts=Region.objects.none(), prefix="c")
    for name in ("request_number", "request_pin", "district", "service"):
        del form.fields[name]
    status = 200
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        try:
            check_filing_allowed(ip)
            complaint = services.complaint_file(
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
                request=about,
                contact_name=form.cleaned_data["contact_name"],
                contact_phone=form.cleaned_data["contact_phone"],
                contact_email=form.cleaned_data["contact_email"],
            )
        except TooManyAttemptsError as error:
            form.add_error(None, str(error))
            status = 429
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            record_filing(ip)
            return _filed(request, complaint)
    context = {"form": form, "about": request_tracking.public_status(about)}
    return _noindex(render(request, "complaints/about_request.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, token: str) -> HttpResponse:
    """The complainant's page: status, answers, and reply / reopen / rate."""
    complaint = complaint_for_token(token)
    if complaint is None:
        raise Http404
    forms_: dict[str, Any] = {
        "reply": TextForm(prefix="reply"),
        "reopen": TextForm(prefix="reopen"),
        "rate": RatingForm(prefix="rate"),
    }
    status = 200
    do = request.POST.get("do") if request.method == "POST" else None
    if do in forms_:
        form = forms_[do] = type(forms_[do])(request.POST, prefix=do)
        if form.is_valid():
            try:
                if do == "reply":
                    services.complaint_reply(complaint=complaint, text=form.cleaned_data["text"])
                elif do == "reopen":
                    services.complaint_reopen(complaint=complaint, text=form.cleaned_data["text"])
                else:
                    services.complaint_rate(complaint=complaint, rating=form.cleaned_data["rating"])
            except ValidationError as error:
                _apply_errors(form, error)
                status = 400
            except services.ComplaintError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("Thank you. Your message has been recorded."))
                return redirect("complaint_follow", token=token)
        else:
            status = 400
    just_filed = request.session.get(JUST_FILED) == complaint.pk
    if just_filed and request.method == "GET":
        del request.session[JUST_FILED]
    context = {
        "c": public.public_view(complaint),
        "pin": complaint.pin if just_filed else "",
        "forms": forms_,
        "follow_url": request.build_absolute_uri(reverse("complaint_follow", args=[token])),
    }
    return _noindex(render(request, "complaints/follow.html", context, status=status))


# --- officers -----------------------------------------------------------------------------------


@never_cache
@role_required(*COMPLAINT_READERS)
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    tab = request.GET.get("tab", "open")
    if tab not in TABS:
        tab = "open"
    complaints = list(queue(visible_complaints(actor), tab)[:200])
    states = clock_states(complaints)
    rows = [(complaint, states[complaint.pk]) for complaint in complaints]
    context = {
        "rows": rows,
        "tab": tab,
        "tabs": TABS,
        "may_file": actor.role in COMPLAINT_FILERS,
    }
    return render(request, "complaints/queue.html", context)


@never_cache
@role_required(*COMPLAINT_FILERS)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """An officer files a complaint for a resident at the office (a manager also one that came
    from SP4N-LAPOR!)."""
    actor = request_actor(request)
    is_manager = actor.role in COMPLAINT_MANAGERS
    form = OfficeComplaintForm(request.POST or None, lapor=is_manager)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        about = None
        number = request_tracking.normalise_number(data["request_number"] or "")
        if data["request_number"]:
            about = (
                ServiceRequest.objects.filter(area_q(actor, "village__code"), number=number)
                .exclude(status=RequestStatus.DRAFT)
                .first()
            )
            if about is None:
                form.add_error("request_number", _("No request with this number in your area."))
        if form.is_valid():
            lapor_number = data.get("lapor_number", "")
            try:
                complaint = services.complaint_file(
                    category=data["category"],
                    text=data["text"],
                    request=about,
                    service=data["service"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"],
                    filed_by=actor,
                    channel=Channel.LAPOR if lapor_number else Channel.OFFICE,
                    lapor_number=lapor_number,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            except services.NotAllowedError:
                raise Http404 from None
            else:
                messages.success(
                    request,
                    _(
                        "Complaint %(number)s filed. Give the resident the number and the PIN "
                        "%(pin)s: with them they follow it at /complaints/."
                    )
                    % {"number": complaint.number, "pin": complaint.pin},
                )
                return redirect("complaint_detail", pk=complaint.pk)
    return render(request, "complaints/new.html", {"form": form})


def _officers_for(complaint: Complaint) -> Any:
    from paradewi.accounts.models import User
    from paradewi.complaints.access import may_see

    candidates = (
        User.objects.filter(is_active=True, role__in=sorted(COMPLAINT_READERS))
        .select_related("area")
        .order_by("role", "full_name")
    )
    allowed = [user.pk for user in candidates if may_see(user, complaint, as_assignee=True)]
    return User.objects.filter(pk__in=allowed).order_by("role", "full_name")


def _detail_context(request: HttpRequest, complaint: Complaint, **forms_: Any) -> dict[str, Any]:
    actor = request_actor(request)
    manager = manages_it(actor)
    context: dict[str, Any] = {
        "c": complaint,
        "view": public.officer_view(complaint),
        "may_answer": answers_it(actor, complaint) and complaint.status == Status.OPEN,
        "may_manage": manager,
    }
    if manager:
        context["assign_form"] = forms_.get("assign") or AssignForm(
            officers=assignable_officers(complaint),
            initial={"assignee": complaint.assignee_id},
        )
        context["close_form"] = forms_.get("close") or OptionalTextForm(prefix="close")
        context["lapor_form"] = forms_.get("lapor") or LaporForm(
            prefix="lapor",
            initial={
                "direction": complaint.lapor_direction,
                "lapor_number": complaint.lapor_number,
            },
        )
    context["answer_form"] = forms_.get("answer") or AnswerForm(prefix="answer")
    return context


@never_cache
@role_required(*COMPLAINT_READERS)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


def _step(
    request: HttpRequest, complaint: Complaint, name: str, form: Any, call: Any
) -> HttpResponse:
    """Run one handling step from its form; errors show on the page, the input kept."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except services.NotAllowedError:
            raise Http404 from None
        except ValidationError as error:
            _apply_errors(form, error)
        except services.ComplaintError as error:
            form.add_error(None, str(error))
        else:
            return redirect("complaint_detail", pk=complaint.pk)
    context = _detail_context(request, complaint, **{name: form})
    return render(request, "complaints/detail.html", context, status=400)


@role_required(*COMPLAINT_MANAGERS)
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    actor = request_actor(request)
    form = AssignForm(request.POST, officers=assignable_officers(complaint))
    return _step(
        request,
        complaint,
        "assign",
        form,
        lambda data: services.complaint_assign(
            actor=actor, complaint=complaint, assignee=data["assignee"]
        ),
    )


@role_required(*COMPLAINT_READERS)
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    actor = request_actor(request)
    if not answers_it(actor, complaint):
        raise Http404
    form = AnswerForm(request.POST, prefix="answer")
    return _step(
        request,
        complaint,
        "answer",
        form,
        lambda data: services.complaint_answer(actor=actor, complaint=complaint, text=data["text"]),
    )


@role_required(*COMPLAINT_MANAGERS)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    actor = request_actor(request)
    form = OptionalTextForm(request.POST, prefix="close")
    return _step(
        request,
        complaint,
        "close",
        form,
        lambda data: services.complaint_close(actor=actor, complaint=complaint, text=data["text"]),
    )


@role_required(*COMPLAINT_MANAGERS)
@require_POST
def lapor_record(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    actor = request_actor(request)
    form = LaporForm(request.POST, prefix="lapor")
    return _step(
        request,
        complaint,
        "lapor",
        form,
        lambda data: services.complaint_record_lapor(
            actor=actor,
            complaint=complaint,
            direction=data["direction"],
            lapor_number=data["lapor_number"],
        ),
    )


@never_cache
@role_required(*COMPLAINT_MANAGERS)
@require_GET
def lapor_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The complaint as a text file laid out like LAPOR!'s form, to copy into it."""
    complaint = get_complaint_for_user(request.user, pk)
    response = HttpResponse(lapor.export_text(complaint), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lapor-{complaint.number}.txt"'
    return response
