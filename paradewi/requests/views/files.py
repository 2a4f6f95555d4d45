"""Downloads of scanned requirements, issued documents and a request's archive, only through
the access check.

Files are never served from a public URL (docs/design.md, "Documents"). The content type is
the one stored when the file was checked (by content), never guessed from a name. Files are
read through the field's storage (local disk or S3), which decrypts them segment by segment
(paradewi/core/storage.py), and streamed. The files are encrypted at rest, so a proxy cannot
send them itself (no X-Accel-Redirect): Django always does.

An upload whose file retention deleted answers 410 Gone with a page saying so.
"""

from __future__ import annotations

from typing import cast

from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.policy import ARCHIVE_ROLES, HANDLING_ROLES
from paradewi.core.practice_pdf import stamp_practice
from paradewi.requests.access_log import Action, access_record
from paradewi.requests.archive import build_archive
from paradewi.requests.files import JPEG, PDF, PNG
from paradewi.requests.forms_actions import ExportReasonForm
from paradewi.requests.models import Upload
from paradewi.requests.selectors import get_request_for_user

# Types a browser may show in place; anything else is downloaded.
INLINE_TYPES = frozenset({PDF, JPEG, PNG})


def _send(file: FieldFile, *, content_type: str, filename: str) -> HttpResponse:
    return send_stored(file.storage, file.name or "", content_type=content_type, filename=filename)


def send_stored(
    storage: Storage, name: str, *, content_type: str, filename: str | None = None
) -> HttpResponse:
    """A stored file through the access-checked views; without `filename` it is shown inline."""
    inline = content_type in INLINE_TYPES
    try:
        handle = storage.open(name, "rb")
    except OSError:
        raise Http404 from None
    response: HttpResponseBase = FileResponse(
        handle, as_attachment=not inline, filename=filename or "", content_type=content_type
    )
    if filename is None:
        response["Content-Disposition"] = "inline"
    return _private(response)


def _private(response: HttpResponseBase) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    # Personal documents: no shared or browser cache keeps a copy.
    add_never_cache_headers(response)
    # A FileResponse streams; the views' decorators are typed for HttpResponse.
    return cast(HttpResponse, response)


@role_required(*HANDLING_ROLES)
@require_GET
def upload_download(request: HttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    """A scan of a requirement, current or replaced (the history keeps old ones readable)."""
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    upload = Upload.objects.filter(request=service_request, pk=upload_pk).first()
    if upload is None or (upload.purged_at is None and not upload.readable):
        # Being checked (still as sent, metadata and all) or damaged: nothing to give.
        raise Http404
    if upload.purged_at is not None:
        page = render(
            request,
            "requests/file_purged.html",
            {"req": service_request, "upload": upload},
            status=410,
        )
        return _private(page)
    access_record(
        request=request,
        actor=actor,
        action=Action.UPLOAD_DOWNLOADED,
        service_request=service_request,
        object_id=upload.pk,
    )
    return _send(upload.file, content_type=upload.content_type, filename=upload.original_name)


@role_required(*HANDLING_ROLES)
@require_GET
def output_download(request: HttpRequest, pk: int, output_pk: int) -> HttpResponse:
    """An issued document (the signed PDF the village prints)."""
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    output = service_request.outputs.filter(pk=output_pk).first()
    if output is None:
        raise Http404
    access_record(
        request=request,
        actor=actor,
        action=Action.OUTPUT_DOWNLOADED,
        service_request=service_request,
        object_id=output.pk,
    )
    number = service_request.number or str(service_request.pk)
    filename = f"{number}-{output.output_code}.pdf"
    if service_request.is_practice:
        # A practice result: "LATIHAN - TIDAK SAH" across every page, whoever uploaded it.
        with output.file.open("rb") as handle:
            page = HttpResponse(stamp_practice(handle.read()), content_type=PDF)
        page["Content-Disposition"] = f'inline; filename="{filename}"'
        return _private(page)
    return _send(output.file, content_type=PDF, filename=filename)


@role_required(*ARCHIVE_ROLES)
@require_http_methods(["GET", "POST"])
def request_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one request in a ZIP, for the Dinas archive (requests/archive.py).

    The Dinas and the kecamatan operator of the request's kecamatan. Not the village officer:
    the village reads each file on the detail page and prints what it needs; a one-click
    export of a resident's documents onto a village computer is a copy nobody needs there.

    An export of personal data: GET asks for the reason, POST with a valid reason writes it
    into the access log and sends the ZIP; an invalid reason shows the form again.
    """
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    if service_request.is_practice:
        raise Http404  # practice is no record: nothing to archive
    form = ExportReasonForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        page = render(request, "requests/archive.html", {"req": service_request, "form": form})
        return _private(page)
    access_record(
        request=request,
        actor=actor,
        action=Action.ARCHIVE_EXPORTED,
        service_request=service_request,
        reason=form.cleaned_data["reason"],
    )
    archive = build_archive(service_request, made_by=actor)
    response = FileResponse(
        archive.file,
        as_attachment=True,
        filename=archive.filename,
        content_type="application/zip",
    )
    return _private(response)
