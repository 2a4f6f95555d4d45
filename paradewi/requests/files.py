"""Checking files people send: uploads (scans of requirements) and issued output PDFs.

Types are decided by content, never by name or by the browser's claim: JPEG, PNG and PDF
only. Images are opened and verified with Pillow (decompression bombs refused), PDFs read with
pypdf (corrupt, encrypted or too long ones refused). Limits come from settings.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str
    content: ContentFile[bytes]


def sniff(head: bytes) -> str | None:
    """The content type from the first bytes, or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def clean_name(name: str) -> str:
    """A display name safe anywhere: no folders, no control characters, bounded length."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable())
    return base.strip().lstrip(".")[:150] or "file"


def _read(file: UploadedFile, limit: int) -> bytes:
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s is allowed.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    file.seek(0)
    data: bytes = file.read()
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def _check_image(data: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > settings.UPLOAD_MAX_PIXELS:
                    raise ValidationError(_("The image is too large."), code="too_many_pixels")
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image is too large."), code="too_many_pixels") from None
    except Exception:  # Pillow raises many types for broken files
        raise ValidationError(
            _("The image is damaged and cannot be opened. Take the photo again."), code="corrupt"
        ) from None


def _check_pdf(data: bytes, max_pages: int) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is password-protected. Send it without a password."), code="encrypted"
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise ValidationError(
            _("The PDF is damaged and cannot be read. Scan it again."), code="corrupt"
        ) from None
    if pages == 0:
        raise ValidationError(_("The PDF has no pages."), code="corrupt")
    if pages > max_pages:
        raise ValidationError(
            _("The PDF has %(pages)d pages; at most %(limit)d are allowed.")
            % {"pages": pages, "limit": max_pages},
            code="too_many_pages",
        )


def _checked(file: UploadedFile, data: bytes, content_type: str) -> CheckedFile:
    return CheckedFile(
        name=clean_name(file.name or ""),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=ContentFile(data),
    )


def check_upload(file: UploadedFile) -> CheckedFile:
    """A scan of a requirement: JPEG, PNG or PDF, within the limits, readable."""
    data = _read(file, settings.UPLOAD_MAX_BYTES)
    content_type = sniff(data[:16])
    if content_type is None:
        raise ValidationError(
            _("Only photos (JPEG, PNG) and PDF files are accepted."), code="wrong_type"
        )
    if content_type == PDF:
        _check_pdf(data, settings.UPLOAD_MAX_PDF_PAGES)
    else:
        _check_image(data)
    return _checked(file, data, content_type)


def check_output_pdf(file: UploadedFile) -> CheckedFile:
    """An issued document: a readable PDF."""
    data = _read(file, settings.OUTPUT_MAX_BYTES)
    if sniff(data[:16]) != PDF:
        raise ValidationError(_("Finished documents must be PDF files."), code="wrong_type")
    _check_pdf(data, settings.OUTPUT_MAX_PDF_PAGES)
    return _checked(file, data, PDF)
