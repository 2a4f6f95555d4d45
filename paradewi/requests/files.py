"""Checking files people send: uploads (scans of requirements) and issued output PDFs.

Types are decided by content, never by name or by the browser's claim: JPEG, PNG and PDF
only. Limits come from settings.

- Images are decoded in full (a truncated or damaged photo is refused, decompression bombs
  too) and re-encoded as a clean JPEG: orientation applied, metadata gone, long side bounded
  (`_reencode_image` says why PNG becomes JPEG too). A requirement's photo is received first
  (`receive_upload`: type, size, and the pixel count from the header, while the officer waits)
  and re-encoded by the worker (`finish_image`, requests/tasks.py): the decoding and encoding
  were most of an upload's time on the request path.
- PDFs are read with pypdf and kept byte for byte (an issued document's electronic signature
  covers its bytes), but refused when encrypted, too long, or carrying active content:
  JavaScript, launch actions, actions that send data or reach other files and addresses
  (/SubmitForm, /ImportData, /GoToR, ...), any action run by itself on opening or viewing
  (/OpenAction, /AA) other than going to a page, embedded files or XFA forms
  (`_pdf_findings`). Their image
  XObjects are held to the same pixel limit as photos, so no preview decodes a bomb.
"""

from __future__ import annotations

import hashlib
import io
import math
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"

EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}

# A PDF whose object graph is larger than this is not walked to the end: refused as unreadable.
# Real scans and issued documents have hundreds to a few thousand objects.
PDF_MAX_OBJECTS = 200_000


@dataclass(frozen=True)
class ReceivedFile:
    """A requirement's file as it was sent, checked as far as it can be without decoding it:
    a PDF wholly (it is stored as sent), a photo by its type, size and header (`finish_image`
    decodes and re-encodes it later). `name` already has the stored type's extension."""

    name: str
    content_type: str
    data: bytes
    sha256: str
    pages: int = 1

    @property
    def is_image(self) -> bool:
        return self.content_type != PDF


@dataclass(frozen=True)
class CheckedFile:
    """What is stored: the name, type, size and hash describe `content`, not what was sent."""

    name: str
    content_type: str
    size: int
    sha256: str
    content: ContentFile[bytes]
    pages: int = 1


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


def name_for(name: str, content_type: str) -> str:
    """`name` with the extension of the stored type ("KK.png" stored as JPEG: "KK.jpg").

    A short alphanumeric suffix is taken for an extension and replaced; anything else (no
    suffix, "Surat.Keterangan") keeps its text and gets the extension added.
    """
    extension = EXTENSIONS[content_type]
    accepted = {extension, ".jpeg"} if content_type == JPEG else {extension}
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and ("." + suffix.lower()) in accepted:
        return name
    if dot and stem and suffix.isalnum() and len(suffix) <= 5:
        name = stem
    return name[: 150 - len(extension)] + extension


# --- messages -----------------------------------------------------------------------------------


def _too_big(size: int, limit: int, *, issued: bool) -> ValidationError:
    sizes = {"size": filesizeformat(size), "limit": filesizeformat(limit)}
    if issued:
        text = _("The file is %(size)s; at most %(limit)s is allowed.") % sizes
    else:
        text = (
            _(
                "The file is %(size)s; at most %(limit)s is allowed. Take the photo again at a "
                "lower resolution, or scan fewer pages into one PDF."
            )
            % sizes
        )
    return ValidationError(text, code="too_big")


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "The image has too many pixels to be processed. Take the photo again with a lower "
            "camera resolution, or scan at 300 dpi."
        ),
        code="too_many_pixels",
    )


def _image_corrupt() -> ValidationError:
    return ValidationError(
        _("The image is damaged and cannot be opened. Take the photo again."), code="corrupt"
    )


def _image_truncated() -> ValidationError:
    return ValidationError(
        _(
            "The photo arrived incomplete (the file is cut off). Send it again; if this "
            "happens again, take the photo again."
        ),
        code="truncated",
    )


def _pdf_corrupt() -> ValidationError:
    return ValidationError(
        _("The PDF is damaged and cannot be read. Scan it again."), code="corrupt"
    )


# Why a PDF is refused for what it carries, and the one sentence that says so.
PDF_FINDINGS = ("javascript", "launch", "action", "embedded_file", "xfa")


def _pdf_refusal(finding: str, *, issued: bool) -> ValidationError:
    problems = {
        "javascript": _("The PDF contains JavaScript (a program), which is not accepted."),
        "launch": _("The PDF tries to open other programs or files, which is not accepted."),
        "action": _(
            "The PDF runs actions (sending data, opening a web address or another file), "
            "which is not accepted."
        ),
        "embedded_file": _("The PDF has other files attached inside it, which is not accepted."),
        "xfa": _("The PDF is an XFA form, which cannot be checked or shown."),
    }
    remedy = (
        _("Download the signed document again from the system that issued it and send that file.")
        if issued
        else _("Scan the paper document again and send the new scan.")
    )
    return ValidationError(f"{problems[finding]} {remedy}", code=f"pdf_{finding}")


# --- reading ------------------------------------------------------------------------------------


def _read(file: UploadedFile, limit: int, *, issued: bool) -> bytes:
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty. Choose the file again."), code="empty")
    if size > limit:
        raise _too_big(size, limit, issued=issued)
    file.seek(0)
    data: bytes = file.read()
    if not data:
        raise ValidationError(_("The file is empty. Choose the file again."), code="empty")
    if len(data) > limit:
        raise _too_big(len(data), limit, issued=issued)
    return data


# --- images -------------------------------------------------------------------------------------


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels: transparency laid on white paper, 16-bit and float scaled down to 8 bits."""
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if has_alpha:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, "white")
        return Image.alpha_composite(paper, rgba).convert("RGB")
    # An RGB image is used as it is: convert() would copy it.
    return image if image.mode == "RGB" else image.convert("RGB")


@contextmanager
def _opened_image(data: bytes, content_type: str) -> Iterator[Image.Image]:
    """The photo opened by its header, nothing decoded yet, refused above UPLOAD_MAX_PIXELS;
    Pillow's decompression-bomb warning is an error for as long as it is open."""
    formats = ["JPEG"] if content_type == JPEG else ["PNG"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=formats) as opened:
            width, height = opened.size
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise _too_many_pixels()
            yield opened


# A JPEG may be decoded at a reduced scale that leaves its long side this share of
# UPLOAD_IMAGE_MAX_SIDE (1,600 of 2,000 px: about 140 dots per inch across a family card or an A4
# page, sharp enough to read every field). Decoding an 8 MP camera photo whole and resizing it
# took 148 ms of CPU on the bench machine, at half scale 35 ms; a write may take 150 ms in all.
DRAFT_SHARE = 0.8


def _reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode the photo in full and write it again as a plain JPEG.

    What comes out: orientation applied (EXIF Orientation turned into pixels), RGB,
    transparency on white, long side at most UPLOAD_IMAGE_MAX_SIDE, JPEG at
    UPLOAD_JPEG_QUALITY, and no EXIF (camera, GPS), ICC, XMP or comment. The same input gives
    the same bytes (the encoder has no clock or randomness), so a retried upload has the same
    SHA-256 and is recognised as the same file.

    PNG becomes JPEG too. PNGs here are phone screenshots and scanner-app exports of paper
    documents; at 2000 px a lossless PNG of a photographed page is 2-6 MB, a JPEG at quality
    82 is 200-500 KB and the text stays sharp. One stored image type also keeps previews,
    downloads and the archive simple, and re-encoding is the only way to drop PNG's text,
    eXIf and iCCP chunks anyway.

    Raises ValidationError: too many pixels (checked from the header, before decoding),
    truncated, or damaged. Pillow's LOAD_TRUNCATED_IMAGES stays False, and `load()` decodes
    every byte, so a cut-off file fails here instead of being stored with a grey bottom.
    """
    max_side = settings.UPLOAD_IMAGE_MAX_SIDE
    try:
        with _opened_image(data, content_type) as opened:
            width, height = opened.size
            if max(width, height) > max_side:
                # JPEG decodes straight to 1/2, 1/4 or 1/8 when that still leaves at
                # least DRAFT_SHARE of the target size: a quarter of the memory and of the
                # decoding for a 12 MP photo, and an 8 MP one (3,264 px) is stored at
                # 1,632 px instead of decoded whole and resized.
                ratio = max_side * DRAFT_SHARE / max(width, height)
                opened.draft("RGB", (math.ceil(width * ratio), math.ceil(height * ratio)))
            opened.load()
            # In place: without it Pillow copies the whole image even when the photo is
            # upright (a 12 MP copy is 10 ms of CPU on the bench machine).
            ImageOps.exif_transpose(opened, in_place=True)
            image: Image.Image = opened
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except OSError as error:
        if "truncated" in str(error):
            raise _image_truncated() from None
        raise _image_corrupt() from None
    except Exception:  # Pillow raises many types for broken files
        raise _image_corrupt() from None
    image = _flatten(image)
    if max(image.size) > max_side:
        ratio = max_side / max(image.size)
        size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
        # What is left after a reduced decoding is a small step (at least DRAFT_SHARE: a
        # 12.2 MP photo decoded at 2,016 px goes to 2,000), where the antialiased bilinear
        # filter is as sharp as Lanczos at about half the CPU (29 against 51 ms there).
        reduced = max(image.size) < max(width, height)
        resample = Image.Resampling.BILINEAR if reduced else Image.Resampling.LANCZOS
        image = image.resize(size, resample, reducing_gap=None if reduced else 3.0)
    # Pillow carries a JPEG comment over from the source's info; nothing of it may remain.
    image.info = {}
    buffer = io.BytesIO()
    # Optimised Huffman tables, not progressive: progressive scans made the encoding 2.5 times
    # slower (about 40 ms of a 2,000 px photo's upload on the bench machine) for 3-5 %
    # smaller files, and the stored photo is read through its previews, rarely downloaded.
    image.save(buffer, "JPEG", quality=settings.UPLOAD_JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


# --- PDFs ---------------------------------------------------------------------------------------

# Keys whose presence is the finding, wherever the dictionary is (document names tree,
# OpenAction, page and annotation /AA, form fields ...). pypdf decodes #xx escapes in names, so
# "/J#53" is "/JS" here.
_FORBIDDEN_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/EmbeddedFiles": "embedded_file",
    "/XFA": "xfa",
}
# Names that are the finding as the value of /S (action type), /Type or /Subtype.
_FORBIDDEN_TYPES = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/EmbeddedFile": "embedded_file",
    "/FileAttachment": "embedded_file",
    "/GoToE": "embedded_file",
    "/RichMedia": "embedded_file",
    # Actions that send data or reach outside the document, wherever they sit (a scan or an
    # issued document never needs them).
    "/SubmitForm": "action",
    "/ImportData": "action",
    "/GoToR": "action",
    "/Rendition": "action",
    "/RichMediaExecute": "action",
    "/Sound": "action",
    "/Movie": "action",
}
# An action run by itself (the document's /OpenAction, an /AA "additional actions" entry of a
# page, annotation or field) may only go to a page of the same document: a /URI there opens a
# web address without a click. /OpenAction may also be a plain destination (an array).
_SAFE_AUTOMATIC_ACTIONS = {"/GoTo"}
_TYPE_KEYS = ("/S", "/Type", "/Subtype")


def _walk(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every dictionary (and stream dictionary) reachable from the trailer, each once.

    Indirect references are followed once each (so /Parent loops end); stream contents are
    not decoded. Raises ValueError past PDF_MAX_OBJECTS.
    """
    stack: list[PdfObject | None] = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    count = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        count += 1
        if count > PDF_MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            yield item
            # dict.values: the raw values, indirect references unresolved (resolved above).
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))


def _automatic_action_finding(value: PdfObject | None) -> str | None:
    """ "action" when `value` (an /OpenAction, or an entry of an /AA dictionary) runs anything
    but a go-to-page, following the /Next chain; None otherwise."""
    stack: list[PdfObject | None] = [value]
    seen = 0
    while stack and seen < PDF_MAX_OBJECTS:
        item = stack.pop()
        seen += 1
        if isinstance(item, IndirectObject):
            item = item.get_object()
        if isinstance(item, ArrayObject):
            # A destination ([page /Fit]) or a list of /Next actions: look inside for actions.
            stack.extend(
                x for x in list.__iter__(item) if isinstance(x, IndirectObject | DictionaryObject)
            )
        elif isinstance(item, DictionaryObject):
            kind = dict.get(item, "/S")
            if kind is None and dict.get(item, "/Type") == "/Page":
                continue  # a destination's page, not an action
            if isinstance(kind, str) and kind in _FORBIDDEN_TYPES:
                return _FORBIDDEN_TYPES[kind]
            if kind not in _SAFE_AUTOMATIC_ACTIONS:
                return "action"
            stack.append(dict.get(item, "/Next"))
    return None


def _pdf_findings(reader: PdfReader) -> tuple[str | None, int]:
    """The first active content found (or None), and the largest image's pixel count."""
    largest = 0
    for dictionary in _walk(reader):
        for key in dict.keys(dictionary):
            if key in _FORBIDDEN_KEYS:
                return _FORBIDDEN_KEYS[key], largest
        automatic = [dict.get(dictionary, "/OpenAction")]
        additional = dict.get(dictionary, "/AA")
        if isinstance(additional, IndirectObject):
            additional = additional.get_object()
        if isinstance(additional, DictionaryObject):
            automatic.extend(dict.values(additional))
        for value in automatic:
            finding = _automatic_action_finding(value)
            if finding is not None:
                return finding, largest
        for key in _TYPE_KEYS:
            value = dict.get(dictionary, key)
            if isinstance(value, str) and value in _FORBIDDEN_TYPES:
                return _FORBIDDEN_TYPES[value], largest
        if dict.get(dictionary, "/Subtype") == "/Image":
            width, height = dictionary.get("/Width"), dictionary.get("/Height")
            if isinstance(width, int) and isinstance(height, int):
                largest = max(largest, abs(width) * abs(height))
    return None, largest


def _check_pdf(data: bytes, max_pages: int, *, issued: bool) -> int:
    """The page count of a PDF that may be stored as it is; ValidationError otherwise."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # Any /Encrypt, also with an empty user password (opens without asking, but every
        # string and stream is encrypted, and "permissions" hide what the file allows).
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "The PDF is protected (encrypted), even if it opens without a password. "
                    "Send a copy without protection."
                ),
                code="encrypted",
            )
        pages = len(reader.pages)
        finding, largest_image = _pdf_findings(reader)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise _pdf_corrupt() from None
    if finding is not None:
        raise _pdf_refusal(finding, issued=issued)
    if pages == 0:
        raise ValidationError(_("The PDF has no pages. Scan the document again."), code="no_pages")
    if pages > max_pages:
        raise ValidationError(
            _("The PDF has %(pages)d pages; at most %(limit)d are allowed.")
            % {"pages": pages, "limit": max_pages}
            + " "
            + _("Send only the pages that are needed."),
            code="too_many_pages",
        )
    if largest_image > settings.UPLOAD_MAX_PIXELS:
        raise _too_many_pixels()
    return pages


# --- entry points -------------------------------------------------------------------------------


def _check_image_header(data: bytes, content_type: str) -> None:
    """What a photo's header says, without decoding its pixels (a fraction of a millisecond):
    an image of the type its first bytes claim, within UPLOAD_MAX_PIXELS. A photo that passes
    can still turn out cut off or damaged when it is decoded in full (`finish_image`)."""
    try:
        with _opened_image(data, content_type):
            pass
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:  # Pillow raises many types for broken files
        raise _image_corrupt() from None


def _checked(name: str, data: bytes, content_type: str, pages: int) -> CheckedFile:
    return CheckedFile(
        name=name_for(clean_name(name), content_type),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=ContentFile(data),
        pages=pages,
    )


def receive_upload(file: UploadedFile) -> ReceivedFile:
    """A scan of a requirement as sent: a PDF checked wholly, a photo by its header.

    Raises ValidationError (with a code) for what can be told now: wrong type, empty, too big,
    too many pixels or pages, a photo whose header is unreadable, a damaged or encrypted PDF,
    or one with active content.
    """
    data = _read(file, settings.UPLOAD_MAX_BYTES, issued=False)
    content_type = sniff(data[:16])
    if content_type is None:
        raise ValidationError(
            _(
                "Only photos (JPEG, PNG) and PDF files are accepted. Choose a photo or a PDF "
                "scan of the document."
            ),
            code="wrong_type",
        )
    pages = 1
    if content_type == PDF:
        pages = _check_pdf(data, settings.UPLOAD_MAX_PDF_PAGES, issued=False)
    else:
        _check_image_header(data, content_type)
    return ReceivedFile(
        name=name_for(clean_name(file.name or ""), PDF if content_type == PDF else JPEG),
        content_type=content_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=pages,
    )


def finish_image(name: str, data: bytes, content_type: str) -> CheckedFile:
    """A received photo decoded in full and stored as a clean JPEG (`_reencode_image`).

    Raises ValidationError when it turns out cut off, damaged or too large: its code is one of
    IMAGE_REFUSALS, which `refusal_message` turns into the sentence for the officer."""
    return _checked(name, _reencode_image(data, content_type), JPEG, 1)


# Why the full decoding of a photo refused it, and the sentence that says so.
IMAGE_REFUSALS = {
    "corrupt": _image_corrupt,
    "truncated": _image_truncated,
    "too_many_pixels": _too_many_pixels,
}


def refusal_message(code: str) -> str:
    """The officer's sentence for a refusal code stored with a damaged upload."""
    error = IMAGE_REFUSALS.get(code, _image_corrupt)()
    return str(error.messages[0])


def check_upload(file: UploadedFile) -> CheckedFile:
    """A scan of a requirement, ready to store at once: a clean JPEG, or the PDF as it was sent
    (the Dinas's evidence of a correction; a requirement's photo goes through the worker).

    Raises ValidationError (with a code) for anything else: wrong type, empty, too big, too
    many pixels or pages, damaged, encrypted, or a PDF with active content.
    """
    received = receive_upload(file)
    if not received.is_image:
        return _checked(received.name, received.data, PDF, received.pages)
    return finish_image(received.name, received.data, received.content_type)


def check_output_pdf(file: UploadedFile) -> CheckedFile:
    """An issued document: a readable PDF without active content, stored byte for byte.

    Electronic signatures (signature fields, /Perms, DSS) are fine and untouched: the bytes are
    never rewritten, so the signature still validates and the SHA-256 matches the printout.
    """
    data = _read(file, settings.OUTPUT_MAX_BYTES, issued=True)
    if sniff(data[:16]) != PDF:
        raise ValidationError(_("Finished documents must be PDF files."), code="wrong_type")
    pages = _check_pdf(data, settings.OUTPUT_MAX_PDF_PAGES, issued=True)
    return _checked(file.name or "", data, PDF, pages)
