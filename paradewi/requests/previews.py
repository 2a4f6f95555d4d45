"""Previews of uploaded scans: every page of a photo or PDF as a small JPEG, in two sizes.

The kecamatan operator and the Dinas clerk look through a request's files on its detail page
(thumbnails) and in the viewer (full size) without downloading each original.

- A preview is rendered the first time someone allowed to see it asks for it (the
  access-checked view calls `preview_name`), then kept through the storage API under
  `previews/<request id>/<upload id>/<page>-<size>.jpg`. It is never linked to publicly.
- Photos are already clean, upright JPEGs at most 2000 px (files.py), so their preview is a
  resize. PDF pages are drawn by PDFium (pypdfium2) at the scale that makes the page's long
  side exactly the preview size, whatever its MediaBox says: at most 1600 x 1600 pixels per
  page. PDFium is not thread-safe, so one lock per process serialises its calls (which also
  bounds the work of one process to one page at a time).
- `delete_previews(upload)` removes them all; the retention task calls it with the file.
"""

from __future__ import annotations

import io
import logging
import math
import threading
import warnings
from dataclasses import dataclass

import pypdfium2
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from paradewi.requests.files import PDF
from paradewi.requests.models import Upload

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Size:
    long_side: int
    quality: int


# "thumb": the detail page's thumbnails (shown 160 px tall, sharp on a 2x screen), 10-30 KB.
# "full": the viewer, readable on a laptop screen; 100-300 KB.
SIZES = {"thumb": Size(long_side=320, quality=70), "full": Size(long_side=1600, quality=80)}

# How long the viewer remembers each page's preview dimensions (for width/height attributes).
DIMENSIONS_TIMEOUT = 60 * 60 * 24 * 7

_PDFIUM = threading.Lock()


class PreviewUnavailable(Exception):
    """No such page or size, the file is gone, or it cannot be drawn: the view answers 404."""


def preview_name(upload: Upload, page: int, size: str) -> str:
    """The storage name of one preview (whether or not it exists yet)."""
    return f"previews/{upload.request_id}/{upload.pk}/{page}-{size}.jpg"


def _validate(upload: Upload, page: int, size: str) -> Size:
    if size not in SIZES or not upload.readable or not upload.file:
        raise PreviewUnavailable
    if not 1 <= page <= upload.pages:
        raise PreviewUnavailable
    return SIZES[size]


def _source(upload: Upload) -> bytes:
    try:
        with default_storage.open(upload.file.name or "", "rb") as handle:
            data: bytes = handle.read()
    except OSError:
        raise PreviewUnavailable from None
    return data


def fit(width: float, height: float, long_side: int) -> tuple[float, tuple[int, int]]:
    """The scale that brings width x height to `long_side` on its longer side, and the size
    in whole pixels that scale gives (rounded up, as PDFium's renderer does). Never below one
    pixel; never above `long_side`, however large or small the page claims to be."""
    if not (width > 0 and height > 0 and math.isfinite(width) and math.isfinite(height)):
        raise PreviewUnavailable
    # A hair under the exact ratio, so rounding up lands on long_side, not one past it.
    scale = (long_side - 1e-6) / max(width, height)
    return scale, (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))


def _image_fit(width: int, height: int, long_side: int) -> tuple[int, int]:
    """A photo shrinks to `long_side` but never grows."""
    if max(width, height) <= long_side:
        return width, height
    return fit(width, height, long_side)[1]


def _encode(image: Image.Image, quality: int) -> bytes:
    image.info = {}
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _render_image(data: bytes, target: Size) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
            if image.width * image.height > settings.UPLOAD_MAX_PIXELS:
                raise PreviewUnavailable
            size = _image_fit(image.width, image.height, target.long_side)
            image.draft("RGB", size)
            image.load()
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                paper = Image.new("RGBA", image.size, "white")
                flat = Image.alpha_composite(paper, image.convert("RGBA"))
            else:
                flat = image.convert("RGB")
    if flat.size != size:
        flat = flat.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return _encode(flat, target.quality)


def _render_pdf_page(data: bytes, page: int, target: Size) -> bytes:
    with _PDFIUM:
        document = pypdfium2.PdfDocument(data)
        try:
            if page > len(document):
                raise PreviewUnavailable
            pdf_page = document[page - 1]
            try:
                width, height = pdf_page.get_size()
                scale, _size = fit(float(width), float(height), target.long_side)
                bitmap = pdf_page.render(scale=scale, draw_annots=True)
                try:
                    return _encode(bitmap.to_pil(), target.quality)
                finally:
                    bitmap.close()
            finally:
                pdf_page.close()
        finally:
            document.close()


def render(upload: Upload, page: int, size: str) -> bytes:
    """Draw one page of an upload as a JPEG (no cache). Raises PreviewUnavailable."""
    target = _validate(upload, page, size)
    data = _source(upload)
    try:
        if upload.content_type == PDF:
            return _render_pdf_page(data, page, target)
        return _render_image(data, target)
    except PreviewUnavailable:
        raise
    except Exception:  # PDFium and Pillow raise many types for files they cannot draw
        logger.warning("No preview of upload %s page %s", upload.pk, page, exc_info=True)
        raise PreviewUnavailable from None


def ensure_preview(upload: Upload, page: int, size: str) -> str:
    """The storage name of the preview, rendering and storing it first if it is missing.

    Two people opening the same page at once may both render it; the storage then keeps the
    first under the expected name and the second copy (stored under another name) is deleted.
    """
    _validate(upload, page, size)
    name = preview_name(upload, page, size)
    if default_storage.exists(name):
        return name
    saved = default_storage.save(name, ContentFile(render(upload, page, size)))
    if saved != name:
        default_storage.delete(saved)
    return name


def page_dimensions(upload: Upload, size: str = "full") -> list[tuple[int, int]]:
    """(width, height) in pixels of each page's preview, for the <img> attributes.

    Read from the file once (the header of a photo, the page sizes of a PDF, nothing drawn),
    then remembered in the cache under the upload and its hash.
    """
    target = _validate(upload, 1, size)
    key = f"previews:dimensions:{upload.pk}:{upload.sha256[:16]}:{size}"
    cached: list[tuple[int, int]] | None = cache.get(key)
    if cached is not None:
        return cached
    data = _source(upload)
    try:
        if upload.content_type == PDF:
            with _PDFIUM:
                document = pypdfium2.PdfDocument(data)
                try:
                    count = min(len(document), upload.pages)
                    sizes = [document.get_page_size(index) for index in range(count)]
                    dimensions = [
                        fit(float(width), float(height), target.long_side)[1]
                        for width, height in sizes
                    ]
                finally:
                    document.close()
        else:
            with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
                dimensions = [_image_fit(image.width, image.height, target.long_side)]
    except PreviewUnavailable:
        raise
    except Exception:
        logger.warning("No page sizes of upload %s", upload.pk, exc_info=True)
        raise PreviewUnavailable from None
    cache.set(key, dimensions, DIMENSIONS_TIMEOUT)
    return dimensions


def delete_previews(upload: Upload) -> None:
    """Delete every preview of the upload from storage (missing ones are fine).

    Names are known (pages x sizes), so this works on any storage backend without listing
    folders. Call it when the upload's file is deleted.
    """
    for page in range(1, max(upload.pages, 1) + 1):
        for size in SIZES:
            default_storage.delete(preview_name(upload, page, size))
