"""Building requests in any state for tests (and nothing else)."""

from __future__ import annotations

import io
import uuid
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen import canvas

from paradewi.accounts.models import User
from paradewi.catalogue.models import Service
from paradewi.catalogue.services import catalogue_load
from paradewi.regions.models import Region
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Upload, UploadState
from paradewi.requests.requirements import checklist

# A valid NIK of a man born 1990-05-12, first registered in Kabupaten Mojokerto (35.16.01).
NIK_MAN = "3516011205900001"
# A woman born 1992-08-17 (day + 40 = 57).
NIK_WOMAN = "3516015708920002"
KK_NUMBER = "3516010101200003"
# Two witnesses of F-2.01 (a man born 1975-05-05, a woman born 1980-08-19), with their KK.
WITNESSES = {
    "witness1_nik": "3516010505750003",
    "witness1_name": "Suparman",
    "witness1_kk": "3516010101150057",
    "witness2_nik": "3516015908800004",
    "witness2_name": "Siti Khotijah",
    "witness2_kk": "3516010101160058",
}
# The wife on a new family card: a row of F-1.01's other members (sex and date of birth are
# read from her NIK).
WIFE_ROW = {
    "name": "Sri Wahyuni",
    "nik": NIK_WOMAN,
    "birth_place": "Mojokerto",
    "relationship": "3",
    "religion": "1",
    "marital_status": "2",
    "education": "5",
    "occupation": "2",
    "blood_type": "13",
    "mother_name": "Kasiyem",
    "father_name": "Darmo",
}


def rows_posted(key: str, rows: list[dict[str, Any]]) -> dict[str, str]:
    """A table's rows as the page posts them (a Django formset with prefix `key`)."""
    posted = {f"{key}-TOTAL_FORMS": str(len(rows)), f"{key}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        posted.update({f"{key}-{index}-{name}": str(value) for name, value in row.items()})
    return posted


def movers_posted(*rows: tuple[str, str, str]) -> dict[str, str]:
    """Those who move (F-1.03) as posted: (NIK, name, SHDK number) each."""
    return rows_posted(
        "movers", [{"nik": nik, "name": name, "relationship": shdk} for nik, name, shdk in rows]
    )


def jpeg_bytes(size: tuple[int, int] = (40, 30), color: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes(pages: int = 1, text: str = "paradewi") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in range(pages):
        pdf.drawString(72, 720, f"{text} {number + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def jpeg_file(name: str = "scan.jpg", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def pdf_file(name: str = "document.pdf", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(**kwargs), content_type="application/pdf")


def load_catalogue() -> None:
    catalogue_load()


def person_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "subject_nik": NIK_MAN,
        "subject_kk": KK_NUMBER,
        "subject_name": "Slamet Riyadi",
        "subject_sex": "L",
        "subject_birth_place": "Mojokerto",
        "subject_birth_date": date(1990, 5, 12),
        "reporter_nik": NIK_MAN,
        "reporter_name": "Slamet Riyadi",
        "reporter_phone": "+6281234567890",
        "reporter_relationship": "self",
    }
    data.update(overrides)
    return data


def make_draft(
    actor: User,
    service_code: str = "kk-perubahan",
    *,
    village: Region | None = None,
    details: dict[str, Any] | None = None,
    **person: Any,
) -> ServiceRequest:
    """A draft with its data filled (default: KK perubahan data, which the kecamatan checks)."""
    if not Service.objects.exists():
        load_catalogue()
    if details is None:
        details = {"reason": "lost"} if service_code in ("kk-hilang-rusak",) else {}
    request, _created = services.request_create(
        actor=actor,
        service=Service.objects.get(code=service_code),
        village=village or actor.area,
        idempotency_key=uuid.uuid4(),
        details=details,
        **person_data(**person),
    )
    return request


def add_upload(**kwargs: Any) -> Upload:
    """`services.upload_add`, then the worker's check of a photo (`services.upload_check`,
    which the commit starts in the running system): the upload as it is seconds later."""
    upload = services.upload_add(**kwargs)
    services.upload_check(upload.pk)
    upload.refresh_from_db()
    return upload


def run_upload_checks() -> int:
    """The worker's checks of every photo still being checked (after uploads through a page,
    whose commit the test's transaction holds back). Returns how many ran."""
    pending = list(Upload.objects.filter(state=UploadState.CHECKING).values_list("pk", flat=True))
    for pk in pending:
        services.upload_check(pk)
    return len(pending)


def upload_all(actor: User, request: ServiceRequest) -> None:
    """Upload a file for every requirement that applies (the first option of each group)."""
    seen_groups: dict[str, str] = {}
    for item in checklist(request).items:
        if not item.applies:
            continue
        if item.group:
            option = seen_groups.setdefault(item.group, item.option)
            if option != item.option:
                continue
        services.upload_add(
            actor=actor,
            request=request,
            requirement_code=item.code,
            file=pdf_file(f"{item.code}.pdf", text=item.code),
        )


def make_submitted(
    actor: User, service_code: str = "kk-perubahan", **kwargs: Any
) -> ServiceRequest:
    request = make_draft(actor, service_code, **kwargs)
    upload_all(actor, request)
    return services.request_submit(actor=actor, request=request)
