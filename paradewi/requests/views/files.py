"""Downloads of scanned requirements and issued documents, only through the access check.

Files are never served from a public URL (DESIGN section 5). The content type is the one stored
when the file was checked (by content), never guessed from a name. Behind nginx, setting
PROTECTED_MEDIA_ACCEL_PREFIX (e.g. "/protected") hands the sending to the proxy with
X-Accel-Redirect: the view still decides who may read the file, nginx streams it from an
`internal` location.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from paradewi.accounts.access import HANDLING_ROLES, role_required
from paradewi.requests.files import JPEG, PDF, PNG
from paradewi.requests.models import OutputFile, Upload
from paradewi.requests.selectors import get_request_for_user
from paradewi.requests.views.worklist import actor_of

# Types a browser may show in place; anything else is downloaded.
INLINE_TYPES = frozenset({PDF, JPEG, PNG})


def _send(file: FieldFile, *, content_type: str, filename: str) -> HttpResponse:
    inline = content_type in INLINE_TYPES
    prefix = settings.PROTECTED_MEDIA_ACCEL_PREFIX
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(b"", content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(file.name or '')}"
        disposition = "inline" if inline else "attachment"
        response["Content-Disposition"] = (
            f"{disposition}; filename*=UTF-8''{quote(filename, safe='')}"
        )
    else:
        try:
            handle = default_storage.open(file.name or "", "rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=not inline, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    # Personal documents: no shared or browser cache keeps a copy.
    add_never_cache_headers(response)
    # A FileResponse streams; the views' decorators are typed for HttpResponse.
    return cast(HttpResponse, response)


@role_required(*HANDLING_ROLES)
@require_GET
def upload_download(request: HttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    """A scan of a requirement, current or replaced (the history keeps old ones readable)."""
    service_request = get_request_for_user(actor_of(request), pk)
    upload = Upload.objects.filter(request=service_request, pk=upload_pk).first()
    if upload is None:
        raise Http404
    return _send(upload.file, content_type=upload.content_type, filename=upload.original_name)


@role_required(*HANDLING_ROLES)
@require_GET
def output_download(request: HttpRequest, pk: int, output_pk: int) -> HttpResponse:
    """An issued document (the signed PDF the village prints)."""
    service_request = get_request_for_user(actor_of(request), pk)
    output = OutputFile.objects.filter(request=service_request, pk=output_pk).first()
    if output is None:
        raise Http404
    number = service_request.number or str(service_request.pk)
    return _send(output.file, content_type=PDF, filename=f"{number}-{output.output_code}.pdf")
