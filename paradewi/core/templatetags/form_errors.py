"""`{% error_summary form other_form ... %}`: after a refused submit, one box at the top of the
form that names every field in error and links to it; the page's script moves the focus there
(static/js/error_summary.js), so an error below the fold is not missed on a phone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class ErrorLink:
    """One line of the summary: the field's id to link to ("" for a form-wide error)."""

    target: str
    label: str
    message: str


def error_links(*all_forms: Any) -> list[ErrorLink]:
    """The errors of the bound forms, in the order of their fields (form-wide ones first)."""
    links: list[ErrorLink] = []
    for form in all_forms:
        if not isinstance(form, forms.BaseForm) or not form.is_bound or not form.errors:
            continue
        links.extend(ErrorLink("", "", str(message)) for message in form.non_field_errors())
        for bound in form:
            for message in bound.errors:
                target = bound.id_for_label or bound.auto_id or ""
                links.append(ErrorLink(target, str(bound.label or bound.name), str(message)))
    return links


@register.inclusion_tag("core/error_summary.html")
def error_summary(*all_forms: Any) -> dict[str, Any]:
    return {"links": error_links(*all_forms)}
