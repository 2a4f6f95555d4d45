"""Help where officers need it (docs/training.md): what each requirement of a service asks,
with a picture of a good and of a bad scan, the most frequent return reasons of the service,
and a short "how it works" page per role. The pictures are drawn by `draw_examples` (Pillow)
and kept in static/training/help/: nothing is fetched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from paradewi.catalogue.models import Service
from paradewi.training.selectors import frequent_return_reasons

# What goes wrong with a scan, and the picture that shows it (static/training/help/<name>.png).
BAD_KINDS: dict[str, Promise] = {
    "blurred": _("Blurred: the letters cannot be read. Hold the phone still, in good light."),
    "cropped": _("Cut off: part of the page is missing. The whole page, all four corners."),
    "dark": _("Too dark, with a shadow over the text. Use daylight, no flash glare."),
    "tilted": _("Tilted and far away: the page is small. Fill the picture with the page."),
}
GOOD = _(
    "Good: the whole page, straight, sharp, evenly lit; every letter, number, stamp and "
    "signature readable."
)


@dataclass(frozen=True)
class RequirementHelp:
    code: str
    name: str
    hint: str
    bad: str  # the kind of bad scan shown beside the good one
    bad_text: Promise


def requirement_help(definition: dict[str, Any]) -> list[RequirementHelp]:
    kinds = list(BAD_KINDS)
    return [
        RequirementHelp(
            code=spec["code"],
            name=spec["name"],
            hint=spec.get("hint", ""),
            bad=kinds[index % len(kinds)],
            bad_text=BAD_KINDS[kinds[index % len(kinds)]],
        )
        for index, spec in enumerate(definition["requirements"])
    ]


def frequent_returns(service: Service, definition: dict[str, Any]) -> list[tuple[str, int]]:
    """(requirement name, returns in the last year), the most frequent first."""
    names = {spec["code"]: spec["name"] for spec in definition["requirements"]}
    names["data"] = str(_("The typed data"))
    return [(names.get(code, code), count) for code, count in frequent_return_reasons(service.pk)]


@dataclass(frozen=True)
class RolePage:
    title: Promise
    steps: tuple[Promise, ...]


ROLE_PAGES: dict[str, RolePage] = {
    "village": RolePage(
        _("How it works for the village officer"),
        (
            _(
                "Choose the service, type the resident's data and upload one scan per "
                "requirement; the official forms are filled by the system."
            ),
            _("Submit: the resident gets a receipt with the number and PIN to follow it."),
            _("The kecamatan checks it (for most services), then the Dinas processes it."),
            _("If it comes back, only what is marked can be changed: fix it and submit again."),
            _(
                "When it is done, print the signed document on plain A4 paper and record the "
                "hand-over; cards are picked up where the Dinas says."
            ),
            _("Practise all of it with training mode (Latihan): nothing you do there is real."),
        ),
    ),
    "kecamatan": RolePage(
        _("How it works for the kecamatan operator"),
        (
            _("Your queue holds your villages' submitted requests, the most overdue first."),
            _(
                "Open each scan: verify when complete and readable, or return it with a reason "
                "per document."
            ),
            _("You may also submit requests for residents at the kecamatan office."),
            _("In training mode you work on your colleagues' practice requests only."),
        ),
    ),
    "dinas": RolePage(
        _("How it works at the Dinas"),
        (
            _("Take a verified request from the queue: only one clerk holds it."),
            _(
                "Process it in SIAK, then upload the signed PDF, or return or reject it with a "
                "reason."
            ),
            _("The head reassigns, follows the figures and the training progress of the villages."),
            _("Training mode shows practice requests only; they never enter a figure."),
        ),
    ),
}


def draw_examples(folder: Path) -> None:
    """Draw the good and bad scan pictures into `folder` (run once; the files are kept)."""
    from PIL import Image, ImageDraw, ImageFilter

    def page() -> Image.Image:
        image = Image.new("RGB", (300, 400), (250, 250, 245))
        draw = ImageDraw.Draw(image)
        draw.rectangle((20, 20, 280, 60), outline=(30, 30, 30), width=2)
        draw.text((40, 32), "SURAT KETERANGAN", fill=(20, 20, 20))
        for row in range(14):
            y = 80 + row * 20
            draw.line((30, y, 270 - (row % 3) * 30, y), fill=(60, 60, 60), width=3)
        draw.ellipse((190, 320, 260, 380), outline=(30, 60, 160), width=3)
        draw.line((60, 360, 150, 345), fill=(20, 20, 20), width=2)
        return image

    folder.mkdir(parents=True, exist_ok=True)
    good = page()
    good.save(folder / "good.png", optimize=True)
    good.filter(ImageFilter.GaussianBlur(4)).save(folder / "blurred.png", optimize=True)
    cropped = Image.new("RGB", (300, 400), (90, 80, 70))
    cropped.paste(good.crop((0, 0, 300, 250)).rotate(0), (60, 150))
    cropped.save(folder / "cropped.png", optimize=True)
    dim = good.point(lambda value: int(value * 0.55))
    mask = Image.new("L", (300, 400), 0)
    ImageDraw.Draw(mask).polygon([(0, 0), (220, 0), (0, 330)], fill=150)
    dark = Image.composite(Image.new("RGB", (300, 400), (10, 10, 10)), dim, mask)
    dark.save(folder / "dark.png", optimize=True)
    tilted = Image.new("RGB", (300, 400), (120, 100, 80))
    small = good.resize((150, 200)).rotate(18, expand=True, fillcolor=(120, 100, 80))
    tilted.paste(small, (60, 90))
    tilted.save(folder / "tilted.png", optimize=True)
