"""Looking at uploaded scans in the browser: page previews and the viewer.

Same rule as the downloads (views/files.py): only roles that handle requests, only requests in
the user's area (404 otherwise), and a file the retention task deleted is gone (404). Previews
are personal data like the originals: nosniff, and no shared or browser cache keeps a copy.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.policy import HANDLING_ROLES
from paradewi.requests import previews
from paradewi.requests.access_log import Action, access_record
from paradewi.requests.files import JPEG
from paradewi.requests.models import ServiceRequest, Upload, UploadState
from paradewi.requests.selectors import get_request_for_user, visible_requests
from paradewi.requests.views.files import send_stored


def _readable_uploads(service_request: ServiceRequest | int) -> Q:
    """The uploads of a request (or of a request's id) that the worker has checked and
    retention has not deleted (`Upload.readable`): a photo being checked is still as it was
    sent, its metadata and all."""
    return Q(request=service_request, purged_at__isnull=True, state=UploadState.READY)


@role_required(*HANDLING_ROLES)
@require_GET
def upload_preview(
    request: HttpRequest, pk: int, upload_pk: int, page: int, size: str
) -> HttpResponse:
    """Page `page` (from 1) of an upload as a JPEG; `size` is "thumb" or "full".

    Not logged one by one: the request page (thumbnails) and the viewer (full pages) that
    show these images are logged, once per opening."""
    # The rule of get_request_for_user (visible_requests) as a condition of the upload's own
    # query: a preview needs no column of the request, whose loading decrypts the resident's
    # data and joined six tables (a third of a stored thumbnail's CPU), and a browser asks
    # for several previews on every request page.
    visible = visible_requests(request_actor(request)).filter(pk=pk).values("pk")
    upload = (
        Upload.objects.filter(_readable_uploads(pk), request__in=visible, pk=upload_pk)
        .defer("original_name")
        .first()
    )
    if upload is None:
        raise Http404
    try:
        name = previews.ensure_preview(upload, page, size)
    except previews.PreviewUnavailable:
        raise Http404 from None
    return send_stored(default_storage, name, content_type=JPEG)


@dataclass(frozen=True)
class Page:
    number: int
    width: int
    height: int


def _neighbours(
    service_request: ServiceRequest, upload: Upload, current: list[Upload]
) -> tuple[Upload | None, Upload | None]:
    """The current files of the requirements before and after this one, in catalogue order."""
    order = {spec["code"]: i for i, spec in enumerate(service_request.definition["requirements"])}
    here = order.get(upload.requirement_code, -1)
    ranked = sorted(
        (order.get(other.requirement_code, len(order)), other.pk, other)
        for other in current
        if other.pk != upload.pk
    )
    before = [other for rank, _pk, other in ranked if rank < here]
    after = [other for rank, _pk, other in ranked if rank > here]
    return (before[-1] if before else None), (after[0] if after else None)


@role_required(*HANDLING_ROLES)
@require_GET
def upload_viewer(request: HttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    """Every page of one upload at full size, one below the other, loaded as they scroll in."""
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    # This upload (current or replaced) and the current ones for the links, in one query.
    found = list(
        Upload.objects.filter(_readable_uploads(service_request)).filter(
            Q(pk=upload_pk) | Q(replaced_at__isnull=True)
        )
    )
    upload = next((item for item in found if item.pk == upload_pk), None)
    if upload is None:
        raise Http404
    try:
        dimensions = previews.page_dimensions(upload)
    except previews.PreviewUnavailable:
        dimensions = []
    pages = [
        Page(number=i, width=width, height=height)
        for i, (width, height) in enumerate(dimensions, start=1)
    ]
    current = [item for item in found if item.replaced_at is None]
    previous, following = _neighbours(service_request, upload, current)
    names = {spec["code"]: spec["name"] for spec in service_request.definition["requirements"]}
    access_record(
        request=request,
        actor=actor,
        action=Action.UPLOAD_VIEWED,
        service_request=service_request,
        object_id=upload.pk,
    )
    return render(
        request,
        "requests/viewer.html",
        {
            "req": service_request,
            "upload": upload,
            "requirement": names.get(upload.requirement_code, upload.requirement_code),
            "pages": pages,
            "previous": previous,
            "previous_name": previous and names.get(previous.requirement_code, ""),
            "next": following,
            "next_name": following and names.get(following.requirement_code, ""),
        },
    )
