"""The official forms of Permendagri 109/2019, filled from a request's data, as A4 PDFs.

Where the request already holds the data, the village prints the form from here, has it
signed and uploads the signed scan, instead of copying the data by hand onto a blank form.
FORMS maps each form code (F-1.01, ...) to its builder (one module per form:
`f101.py` ... `f204.py`, drawn with `sheet.py`); a requirement of a service whose
`form_code` has a builder gets a "pre-filled form" link.

The forms' own printed text (titles, labels, options, statements) is Indonesian, as the
regulation prescribes it: it is written here in Indonesian directly, not through gettext, and
prints the same whatever the officer's language. Layout follows the real forms: the form code
at the top right, the official title, the region with its Kemendagri code in digit boxes,
numbered fields (label, colon, value), numbered options chosen by writing their number in a
box (or ticked boxes where the real form has them), and the signature blocks. What the request
does not hold is left as a dotted line or empty boxes for handwriting; docs/documents.md lists,
form by form, what is filled from where.

Every text from the database goes through `sheet.plain()` before it reaches Paragraph markup.
"""

from __future__ import annotations

from paradewi.documents.official_forms.registry import (
    FORMS,
    OfficialForm,
    form_filename,
    form_from_slug,
    form_slug,
    forms_of,
    official_form_pdf,
)
from paradewi.documents.official_forms.sheet import FormData, Sheet, tanggal

__all__ = [
    "FORMS",
    "FormData",
    "OfficialForm",
    "Sheet",
    "form_filename",
    "form_from_slug",
    "form_slug",
    "forms_of",
    "official_form_pdf",
    "tanggal",
]
