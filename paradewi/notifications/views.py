"""Pages of notifications: the officer's list and counter, announcements (the Dinas head
writes them and sees who read them; everyone marks their own read), and the resident's page
to stop WhatsApp/SMS. Views are thin: access helper or role check, form, one service call."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from paradewi.accounts.access import active_user, role_required
from paradewi.accounts.models import User
from paradewi.accounts.policy import ANNOUNCEMENT_AUTHORS
from paradewi.core.masking import mask_phone
from paradewi.notifications import selectors, services
from paradewi.notifications.forms import AnnouncementForm
from paradewi.notifications.models import OptOut


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - role_required guarantees it
    return user


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- the officer's notifications ----------------------------------------------------------------


@never_cache
@require_GET
@role_required()
def notification_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page, items = selectors.notification_page(user, request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "items": items,
            "unread": selectors.unread_count(user),
            "wants_email": selectors.wants_email(user),
        },
    )


# htmx stops polling on this status (and swaps nothing).
STOP_POLLING = 286


@never_cache
@require_GET
def counter(request: HttpRequest) -> HttpResponse:
    """The menu's counter alone, for htmx to refresh it in place. After logging out or when the
    session has expired, polling stops instead of swapping a login page into the menu."""
    user = active_user(request.user)
    if user is None:
        return HttpResponse(status=STOP_POLLING)
    return render(
        request,
        "notifications/_partials/counter.html",
        {"unread": selectors.unread_count(user), "poll": settings.NOTIFICATIONS_POLL_SECONDS},
    )


@require_POST
@role_required()
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about."""
    notification = services.notification_open(user=_user(request), notification_id=pk)
    return redirect(selectors.target_url(notification))


@require_POST
@role_required()
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=_user(request))
    return redirect("notification_list")


@require_POST
@role_required()
def preferences(request: HttpRequest) -> HttpResponse:
    services.preference_set(user=_user(request), email=request.POST.get("email") == "on")
    messages.success(request, _("Your choice is saved."))
    return redirect("notification_list")


# --- announcements ------------------------------------------------------------------------------


@require_POST
@role_required()
def announcement_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an announcement read; with htmx the card just disappears."""
    services.announcement_mark_read(user=_user(request), announcement_id=pk)
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    return redirect(_back(request, "home"))


@require_GET
@role_required(*ANNOUNCEMENT_AUTHORS)
def announcement_list(request: HttpRequest) -> HttpResponse:
    announcements = selectors.announcements_with_counts()[:100]
    return render(request, "notifications/announcement_list.html", {"announcements": announcements})


@require_http_methods(["GET", "POST"])
@role_required(*ANNOUNCEMENT_AUTHORS)
def announcement_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    assert user.area is not None  # noqa: S101 - role_required guarantees an area
    form = AnnouncementForm(request.POST or None, regency=user.area)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_publish(author=user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The announcement is published."))
            return redirect("announcement_detail", pk=announcement.pk)
    return render(request, "notifications/announcement_form.html", {"form": form})


@require_GET
@role_required(*ANNOUNCEMENT_AUTHORS)
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = selectors.announcements_with_counts().filter(pk=pk).first()
    if announcement is None:
        raise Http404
    return render(
        request,
        "notifications/announcement_detail.html",
        {"announcement": announcement, "receipts": selectors.announcement_readers(announcement)},
    )


# --- residents: stop WhatsApp/SMS ---------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """The link at the end of every WhatsApp/SMS. A GET only asks (link previews fetch it);
    the button posts. The page shows the number masked, nothing else of the resident."""
    message = services.message_for_stop_link(token)
    if request.method == "POST":
        if request.POST.get("action") == "resume":
            services.opt_in(phone=message.recipient)
        else:
            services.opt_out(phone=message.recipient, source=OptOut.Source.RESIDENT)
        return redirect("notification_stop", token=token)
    response = render(
        request,
        "notifications/stop.html",
        {
            "phone": mask_phone(message.recipient),
            "stopped": selectors.is_opted_out(message.recipient),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
