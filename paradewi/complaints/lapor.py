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


def export_text(complaint: Complaint) -> str:
    category = str(Category(complaint.category).label)
    if complaint.request is not None:
        subject = f"{category}: {complaint.request.definition['name']}"
    elif complaint.service is not None:
        subject = f"{category}: {complaint.service.name}"
    else:
        subject = category
    location = complaint.village or complaint.district
    lines = [
        _("SP4N-LAPOR! report (prepared by paradewi, to enter in LAPOR!)"),
        "",
        f"{_('Classification')}: {_('Complaint')}",
        f"{_('Title')}: {subject}",
        f"{_('Date of the event')}: {timezone.localtime(complaint.filed_at):%Y-%m-%d}",
        f"{_('Location')}: {location.display_name if location else '-'}",
        f"{_('Agency')}: {_('Dinas Kependudukan dan Pencatatan Sipil')}",
        f"{_('Category')}: {_('Population administration')} / {category}",
        f"{_('Anonymous')}: {_('yes') if not complaint.contact_name else _('no')}",
        f"{_('Own reference')}: {complaint.number}",
        "",
        f"{_('Text')}:",
        mask_long_numbers(complaint.text),
    ]
    if complaint.lapor_number:
        lines += ["", f"{_('LAPOR! tracking number')}: {complaint.lapor_number}"]
    return "\r\n".join(lines) + "\r\n"
