"""The verification panel of an issued document on the request detail page (requests app)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import segno
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from paradewi.accounts.access import active_user
from paradewi.accounts.policy import DINAS_ROLES
from paradewi.documents.models import OutputFile
from paradewi.documents.verification import (
    display_code,
    is_corrected,
    is_superseded,
    verification_path,
    verification_url,
)
from paradewi.requests.models import ServiceRequest

register = template.Library()


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (vector, about 2 KB, no image request)."""
    return _drawn_qr(url, _("QR code of the verification page"))


# Drawing a QR code takes about 10 ms of CPU, a third of a finished request's page; the same
# document's code is drawn again on every view of the page, so the last drawings are kept
# (about 2 KB each; a verification URL holds no personal data).
@lru_cache(maxsize=512)
def _drawn_qr(url: str, title: str) -> str:
    svg: str = segno.make_qr(url, error="m").svg_inline(
        scale=3, border=2, svgclass="qr", title=title
    )
    return svg


@register.inclusion_tag("documents/verify_panel.html", takes_context=True)
def output_verification(
    context: template.Context, req: ServiceRequest, output: OutputFile
) -> dict[str, Any]:
    """Code, status, QR code and slip links of one output; "Revoke" for the Dinas. No query."""
    actor = active_user(context["user"])
    url = verification_url(output.verification_code)
    return {
        "req": req,
        "output": output,
        "code": display_code(output.verification_code),
        "path": verification_path(output.verification_code),
        # segno writes the whole element itself from the URL (no user text in it).
        "qr": mark_safe(qr_svg(url)),  # noqa: S308
        "superseded": is_superseded(output),
        "corrected": is_corrected(output),
        "may_revoke": actor is not None and actor.role in DINAS_ROLES and output.revoked_at is None,
    }
