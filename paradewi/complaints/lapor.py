"""A complaint laid out for SP4N-LAPOR! (Perpres 76/2013), to enter it there by hand.

The server makes no call to LAPOR!: a regency's complaint officer holds a LAPOR! admin account
(docs/complaints.md, "SP4N-LAPOR!") and copies these fields into LAPOR!'s form, then records
LAPOR!'s tracking number here (`services.complaint_record_lapor`). The fields follow LAPOR!'s
report form: classification, title, text, date, location, agency, and whether the reporter
stays anonymous. The text goes with long numbers masked and without the complainant's contact:
LAPOR! asks the reporter for their own account or files it anonymously.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from paradewi.complaints.models import Category, Complaint
from paradewi.core.masking import mask_long_numbers
from paradewi.requests.receipts import dinas_name


def export_text(complaint: Complaint) -> str:
    category = str(Category(complaint.category).label)
    population = _("Population administration")
    if complaint.request is not None:
        subject = f"{category}: {complaint.request.definition['name']}"
    elif complaint.service is not None:
        subject = f"{category}: {complaint.service.name}"
    else:
        subject = category
    location = complaint.village or complaint.district
    fields = [
        (_("Classification"), _("Complaint")),
        (_("Title"), subject),
        (_("Date of the event"), f"{timezone.localtime(complaint.filed_at):%Y-%m-%d}"),
        (_("Location"), location.display_name if location else "-"),
        (_("Agency"), dinas_name()),
        (_("Category"), f"{population} / {category}"),
        (_("Anonymous"), _("no") if complaint.contact_name else _("yes")),
        (_("Own reference"), complaint.number),
    ]
    lines = [_("SP4N-LAPOR! report (prepared by paradewi, to enter in LAPOR!)"), ""]
    lines += [f"{label}: {value}" for label, value in fields]
    lines += ["", _("Text") + ":", mask_long_numbers(complaint.text)]
    if complaint.lapor_number:
        lines += ["", f"{_('LAPOR! tracking number')}: {complaint.lapor_number}"]
    return "\r\n".join(lines) + "\r\n"
