"""Files the simulated people upload, at the sizes real ones have.

A photo is made from smooth colour fields (a small random image scaled up: the shapes and
light of a document lying on a table) with fine grain over it (sensor noise and paper
texture), so it compresses as a photo does rather than as a flat colour: a phone-shrunk
photo of 2,000 px on its long side comes to 200-500 KB at the JPEG quality a phone's
browser uses, an unshrunk 8-12 MP photo (a phone without JavaScript sends the camera's file)
to 2-4.5 MB. A scan is a PDF of 2-4 such pages (each page one embedded JPEG, as scanner apps
write them).

Each upload gets bytes of its own (`unique`): a comment segment in the JPEG, or a comment
line at the end of the PDF, so nothing is served from a cache keyed on the file's hash.
"""

from __future__ import annotations

import io
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

# (width, height) of the photos: a phone's shrink to 2,000 px, and three camera sizes.
SHRUNK = (2000, 1500)
CAMERA = [(3264, 2448), (4000, 3000), (4032, 3024)]  # 8.0, 12.0 and 12.2 MP
# Grain and JPEG quality of the shrunk photos: from a smooth, dim shot to a sharp, grainy one.
SHRUNK_GRAIN_QUALITY = [(2, 66), (8, 74), (14, 80), (20, 82)]


@dataclass(frozen=True)
class Media:
    name: str
    content_type: str
    data: bytes
    kind: str  # "photo", "camera" or "scan"
    pages: int = 1


def _photo_image(size: tuple[int, int], rng: random.Random, grain: float) -> object:
    from PIL import Image, ImageChops, ImageFilter

    width, height = size
    small = Image.frombytes(
        "RGB", (16, 12), bytes(rng.randrange(80, 256) for _ in range(16 * 12 * 3))
    )
    base = small.resize(size, Image.Resampling.BICUBIC)
    # Mid-size detail (text lines, folds, edges) and grain (sensor noise, paper).
    detail = Image.effect_noise((width // 6, height // 6), 60).resize(
        size, Image.Resampling.BILINEAR
    )
    fine = Image.effect_noise(size, grain).filter(ImageFilter.GaussianBlur(0.6))
    texture = ImageChops.add(detail, fine, scale=2.0, offset=-64).convert("RGB")
    return ImageChops.overlay(base, texture)


def photo(size: tuple[int, int], *, quality: int, grain: float, seed: int) -> bytes:
    """A JPEG photo of `size` pixels."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    image = _photo_image(size, rng, grain)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)  # type: ignore[attr-defined]
    return buffer.getvalue()


def scan_pdf(pages: int, *, seed: int) -> bytes:
    """A PDF of `pages` A4 pages, each one photographed page (a JPEG of 1,240 x 1,754)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        jpeg = photo((1240, 1754), quality=75, grain=40, seed=seed * 100 + page)
        pdf.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def library(seed: int = 1) -> dict[str, list[Media]]:
    """A few files of each kind, made once per load run (a 12 MP photo takes about a second)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    shrunk = [
        Media(f"foto-{n}.jpg", "image/jpeg", photo(SHRUNK, quality=q, grain=g, seed=n), "photo")
        for n, (g, q) in enumerate(SHRUNK_GRAIN_QUALITY)
    ]
    camera = [
        Media(
            f"IMG_{n}.jpg",
            "image/jpeg",
            photo(CAMERA[n % len(CAMERA)], quality=88, grain=30, seed=100 + n),
            "camera",
        )
        for n in range(3)
    ]
    scans = []
    for n in range(3):
        pages = rng.randint(2, 4)
        scans.append(
            Media(f"scan-{n}.pdf", "application/pdf", scan_pdf(pages, seed=200 + n), "scan", pages)
        )
    return {"photo": shrunk, "camera": camera, "scan": scans}


# Bump when the files above change: `cached_library` then makes them anew.
VERSION = 1


def cached_library(directory: Path, seed: int = 1) -> dict[str, list[Media]]:
    """`library(seed)`, kept in `directory` between runs (made there the first time)."""
    index = directory / f"media-v{VERSION}-{seed}.json"
    if index.exists():
        entries = json.loads(index.read_text())
        return {
            kind: [
                Media(
                    e["name"],
                    e["content_type"],
                    (directory / e["file"]).read_bytes(),
                    kind,
                    e["pages"],
                )
                for e in items
            ]
            for kind, items in entries.items()
        }
    made = library(seed)
    directory.mkdir(parents=True, exist_ok=True)
    entries = {}
    for kind, items in made.items():
        entries[kind] = []
        for media in items:
            file = f"media-v{VERSION}-{seed}-{media.name}"
            (directory / file).write_bytes(media.data)
            entries[kind].append(
                {
                    "name": media.name,
                    "content_type": media.content_type,
                    "file": file,
                    "pages": media.pages,
                }
            )
    index.write_text(json.dumps(entries))
    return made


def unique(media: Media) -> bytes:
    """The file with a few random bytes of its own (the content is unchanged)."""
    tag = os.urandom(12).hex().encode()
    if media.content_type == "image/jpeg":
        # A COM segment right after SOI: any decoder skips it.
        segment = b"\xff\xfe" + (len(tag) + 2).to_bytes(2, "big") + tag
        return media.data[:2] + segment + media.data[2:]
    return media.data + b"%" + tag + b"\n"
