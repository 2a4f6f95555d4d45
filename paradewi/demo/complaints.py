"""Demo complaints, made through the complaint services so each has its number, PIN, history
and messages: one waiting (given to a clerk), one past its target received from SP4N-LAPOR!,
one answered and rated, one reopened, and a few older ones so the figures have months.
Loaded once: nothing is added when complaints exist already."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F

from paradewi.accounts.models import User
from paradewi.complaints import services
from paradewi.complaints.models import Channel, Complaint, ComplaintEvent
from paradewi.requests.models import ServiceRequest, Status


def _backdate(complaint: Complaint, days: int) -> None:
    """Move the complaint's whole life `days` days back (the demo looks lived-in)."""
    shift = timedelta(days=days)
    Complaint.objects.filter(pk=complaint.pk).update(
        filed_at=F("filed_at") - shift,
        status_changed_at=F("status_changed_at") - shift,
        first_due_at=F("first_due_at") - shift,
        due_at=F("due_at") - shift,
    )
    for field in ("first_answered_at", "closed_at", "reopened_at"):
        Complaint.objects.filter(pk=complaint.pk, **{f"{field}__isnull": False}).update(
            **{field: F(field) - shift}
        )
    ComplaintEvent.objects.filter(complaint=complaint).update(created_at=F("created_at") - shift)


def demo_complaints_load(users: dict[str, User]) -> int:
    if Complaint.objects.exists():
        return 0
    head, clerk = users["demo-kadis"], users["demo-dinas"]
    requests = list(
        ServiceRequest.objects.filter(village=users["demo-desa"].area)
        .exclude(status=Status.DRAFT)
        .order_by("pk")
    )
    waiting_request = next(
        (r for r in requests if r.status in (Status.SUBMITTED, Status.VERIFIED, Status.IN_PROCESS)),
        None,
    )
    finished = next((r for r in requests if r.status == Status.HANDED_OVER), None)
    made = []

    waiting = services.complaint_file(
        category="slow",
        text="Sudah lebih dari seminggu permohonan saya belum selesai. Mohon kabarnya.",
        request=waiting_request,
        contact_name="Sri Lestari",
        contact_phone="081234500011",
    )
    services.complaint_assign(actor=head, complaint=waiting, assignee=clerk)
    _backdate(waiting, 4)
    made.append(waiting)

    lapor = services.complaint_file(
        category="fees",
        text="Saya diminta membayar Rp50.000 untuk mempercepat pembuatan KTP-el di kantor desa.",
        filed_by=head,
        channel=Channel.LAPOR,
        lapor_number="4412873",
    )
    _backdate(lapor, 9)
    made.append(lapor)

    answered = services.complaint_file(
        category="requirements",
        text="Di papan pengumuman kecamatan syarat akta kelahiran berbeda dengan di situs.",
        filed_by=users["demo-kecamatan"],
        channel=Channel.OFFICE,
        contact_email="warga.jatirejo@example.invalid",
    )
    services.complaint_answer(
        actor=head,
        complaint=answered,
        text="Terima kasih. Papan di kecamatan sudah diganti sesuai standar pelayanan terbaru.",
    )
    services.complaint_rate(complaint=answered, rating=4)
    services.complaint_close(actor=head, complaint=answered)
    _backdate(answered, 6)
    made.append(answered)

    if finished is not None:
        reopened = services.complaint_file(
            category="data_wrong",
            text="Nama ibu di kartu keluarga saya salah ketik.",
            request=finished,
            contact_phone="081234500012",
        )
        services.complaint_answer(
            actor=head,
            complaint=reopened,
            text="Mohon bawa KK lama ke kantor desa, perbaikan tanpa biaya dan selesai hari itu.",
        )
        services.complaint_reopen(
            complaint=reopened, text="Sudah ke kantor desa, tetapi petugas bilang harus ke Dinas."
        )
        _backdate(reopened, 2)
        made.append(reopened)

    # Older complaints, answered and closed, for the monthly figures.
    for months_back, category in ((1, "slow"), (1, "other"), (2, "slow"), (3, "requirements")):
        old = services.complaint_file(
            category=category,
            text="Antrean di kantor kecamatan sangat panjang pada hari Senin.",
            filed_by=users["demo-kecamatan"],
            channel=Channel.OFFICE,
        )
        services.complaint_answer(
            actor=head,
            complaint=old,
            text="Mulai bulan ini loket tambahan dibuka pada hari Senin.",
        )
        services.complaint_close(actor=head, complaint=old)
        _backdate(old, 30 * months_back + 3)
        made.append(old)
    return len(made)
