"""What a page shows of a complaint: the complainant's view (no officer's name, no one else's
data) and the officer's (contact data masked: answers go out through the outbox, so nobody
needs to read a whole phone number). Free text is shown with long numbers masked
(core/masking.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from paradewi.complaints.models import Category, Complaint, Status
from paradewi.complaints.selectors import Step, clock_states, timeline
from paradewi.core.masking import mask_long_numbers, mask_phone


@dataclass(frozen=True)
class ComplaintView:
    number: str
    category: str
    status: str
    status_label: str
    text: str
    about: str  # the request's number and service, or the service, or ""
    filed_at: datetime
    due_at: datetime | None
    clock: str
    steps: list[Step]
    may_reply: bool
    may_reopen: bool
    may_rate: bool
    rating: int | None
    contact: str


def _about(complaint: Complaint) -> str:
    if complaint.request is not None:
        name = complaint.request.definition["name"]
        return f"{complaint.request.number} ({name})"
    if complaint.service is not None:
        return complaint.service.name
    return ""


def mask_email(email: str) -> str:
    """ "siti.aminah@mail.id" -> "s*********@mail.id"."""
    local, _sep, domain = email.partition("@")
    if not domain:
        return "*" * len(email)
    return f"{local[:1]}{'*' * (len(local) - 1)}@{domain}"


def _contact(complaint: Complaint) -> str:
    parts = []
    if complaint.contact_phone:
        parts.append(mask_phone(complaint.contact_phone))
    if complaint.contact_email:
        parts.append(mask_email(complaint.contact_email))
    return ", ".join(parts)


def _view(complaint: Complaint, *, for_officer: bool) -> ComplaintView:
    answered = complaint.status in (Status.ANSWERED, Status.CLOSED)
    return ComplaintView(
        number=complaint.number,
        category=str(Category(complaint.category).label),
        status=complaint.status,
        status_label=complaint.get_status_display(),
        text=mask_long_numbers(complaint.text),
        about=_about(complaint),
        filed_at=complaint.filed_at,
        due_at=complaint.due_at if complaint.status == Status.OPEN else None,
        clock=clock_states([complaint])[complaint.pk],
        steps=timeline(complaint, for_officer=for_officer),
        may_reply=complaint.status != Status.CLOSED,
        may_reopen=answered and complaint.reopened_at is None,
        may_rate=answered and complaint.rating is None,
        rating=complaint.rating,
        contact=_contact(complaint) if for_officer else "",
    )


def public_view(complaint: Complaint) -> ComplaintView:
    """For the complainant (after the PIN or the link)."""
    return _view(complaint, for_officer=False)


def officer_view(complaint: Complaint) -> ComplaintView:
    return _view(complaint, for_officer=True)
