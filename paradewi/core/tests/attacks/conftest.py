"""The objects every attack is aimed at: a request of desa A (Kecamatan Jatirejo) carried
through the whole workflow, with values that identify it unmistakably, plus a draft, a
notification, an announcement and a survey answer around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from paradewi.accounts.models import Role
from paradewi.complaints import services as complaint_services
from paradewi.complaints.models import Complaint
from paradewi.documents import services as documents_services
from paradewi.documents.models import OutputFile
from paradewi.notifications import services as notifications
from paradewi.notifications.models import Announcement, Notification
from paradewi.regions.models import Region
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Status, Transition, Upload
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_WOMAN,
    make_draft,
    pdf_file,
    upload_all,
)
from paradewi.testing import Personas

SUBJECT_NAME = "Raden Wiryo Sentono"
REPORTER_NAME = "Sumarni Wulandari"
REPORTER_PHONE = "+6285799912345"
UPLOAD_NAME = "akta-wiryo-rahasia.pdf"
DOCUMENT_NUMBER = "474.1/7731/416.23/2026"
COMPLAINT_WORDS = "Petugas meminta uang tambahan"


@dataclass
class World:
    """What the attacks are aimed at; `finished` is handed over, `draft` is being written."""

    p: Personas
    finished: ServiceRequest
    draft: ServiceRequest
    upload: Upload
    output: OutputFile
    notification: Notification
    announcement: Announcement
    complaint: Complaint

    def secrets(self) -> list[str]:
        """Values that identify the resident or the request; no refusal may contain any."""
        return [
            SUBJECT_NAME,
            REPORTER_NAME,
            self.finished.subject_nik,
            KK_NUMBER,
            self.finished.number,
            REPORTER_PHONE,
            REPORTER_PHONE.removeprefix("+62"),
            UPLOAD_NAME,
            UPLOAD_NAME.removesuffix(".pdf"),
            DOCUMENT_NUMBER,
            self.output.verification_code,
            self.complaint.number,
            COMPLAINT_WORDS,
        ]


def finished_request(p: Personas) -> tuple[ServiceRequest, Upload, OutputFile]:
    request = make_draft(
        p.desa_a,
        subject_name=SUBJECT_NAME,
        subject_nik=NIK_WOMAN,
        subject_sex="P",
        subject_birth_date=date(1992, 8, 17),
        reporter_nik=NIK_WOMAN,
        reporter_name=REPORTER_NAME,
        reporter_phone=REPORTER_PHONE,
    )
    upload_all(p.desa_a, request)
    first = Upload.objects.filter(request=request).order_by("pk").first()
    assert first is not None
    upload = services.upload_add(
        actor=p.desa_a,
        request=request,
        requirement_code=first.requirement_code,
        file=pdf_file(UPLOAD_NAME, text="rahasia"),
    )
    request = services.request_submit(actor=p.desa_a, request=request)
    if request.status == Status.SUBMITTED:
        request = services.request_verify(actor=p.kecamatan_a, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    request = documents_services.request_complete(
        actor=p.clerk,
        request=request,
        outputs=[OutputUpload("kk", pdf_file("kk.pdf"), document_number=DOCUMENT_NUMBER)],
    )
    request = services.request_hand_over(actor=p.desa_a, request=request)
    output = OutputFile.objects.get(request=request)
    return request, upload, output


@pytest.fixture
def world(personas: Personas) -> World:
    p = personas
    finished, upload, output = finished_request(p)
    draft = make_draft(p.desa_a, subject_name=SUBJECT_NAME, reporter_phone=REPORTER_PHONE)
    upload_all(p.desa_a, draft)
    for transition in Transition.objects.filter(request=finished).order_by("pk"):
        notifications.transition_notify(transition.pk)
    notification = Notification.objects.filter(user=p.desa_a).order_by("-pk").first()
    assert notification is not None, "the workflow notifies the village officer"
    announcement = notifications.announcement_publish(
        author=p.head,
        title="Libur pelayanan",
        body="Kantor tutup hari Jumat.",
        roles=[Role.VILLAGE_OFFICER, Role.DISTRICT_OPERATOR],
        area=Region.objects.get(code="35.16.01"),
    )
    complaint = complaint_services.complaint_file(
        category="slow",
        text=f"{COMPLAINT_WORDS} untuk {SUBJECT_NAME}.",
        request=finished,
        contact_phone=REPORTER_PHONE,
        contact_name=REPORTER_NAME,
    )
    return World(p, finished, draft, upload, output, notification, announcement, complaint)
