"""Demo survey responses, and the finished requests they rate, so the dashboards have figures.

The requests of `demo.requests` show each state of the workflow today; the dashboards need a
history: requests handed over in the past months, with realistic times at each stage, and
the residents' answers. These are made through the workflow services (so they are real
requests with files and history), then their history is moved back in time: each step is
placed a few working hours after the previous one. Answers lean to "good" with a spread;
about three in four residents answer. Everything is invented and repeatable (a fixed seed).
"""

from __future__ import annotations

import io
import itertools
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from reportlab.pdfgen import canvas

from paradewi.accounts.models import User
from paradewi.catalogue.models import Service
from paradewi.demo.documents import issued_pdf
from paradewi.demo.requests import DEMO_NAMESPACE, nik
from paradewi.documents import services as documents_services
from paradewi.documents.models import OutputFile
from paradewi.reports.services import refresh_activity
from paradewi.requests import services
from paradewi.requests.history import note_due_time
from paradewi.requests.models import Receiver, ServiceRequest, Transition, Upload
from paradewi.requests.requirements import checklist
from paradewi.requests.workflow import Action
from paradewi.surveys.models import Channel, SurveyResponse, SurveyTicket
from paradewi.surveys.questionnaire import ELEMENT_FIELDS, AgeBand, Education, Occupation, Sex
from paradewi.surveys.services import tickets
from paradewi.worktime.services import (
    add_working_minutes,
    target_minutes,
    working_minutes_between,
)

SEED = 20260
MONTHS_BACK = 5
NAMES = (
    "Sri Lestari", "Budi Santoso", "Siti Nurhaliza", "Agus Salim", "Dewi Sartika", "Eko Purnomo",
    "Wahyuni", "Suparman", "Nur Aini", "Heru Cahyono", "Endang Susilowati", "Bambang Wijaya",
    "Rukmini", "Slamet Widodo", "Yuliana", "Sugeng Riyadi", "Tri Wahyudi", "Lilik Suryani",
)  # fmt: skip


@dataclass(frozen=True)
class HistoryPlan:
    key: str
    officer: str
    service: str
    details: dict[str, Any]
    pickup_place: str = ""
    returned: str = ""  # the kecamatan's reason, for a request returned once


# (officer, how many, services to pick from): Gumeng's kecamatan (Gondang) has no demo
# operator, so its village only makes the requests that skip the kecamatan.
VILLAGES = (
    ("demo-desa", 16, ("kk-perubahan", "kk-hilang-rusak", "ktp-el-cetak-ulang", "akta-kematian")),
    ("demo-desa2", 14, ("kk-perubahan", "kk-hilang-rusak", "ktp-el-cetak-ulang")),
    ("demo-desa3", 10, ("kk-hilang-rusak",)),
)

DETAILS: dict[str, dict[str, Any]] = {
    "kk-perubahan": {"element_change": False, "change": "Tambah anggota keluarga (kelahiran)"},
    "kk-hilang-rusak": {"reason": "lost"},
    "ktp-el-cetak-ulang": {"reason": "damaged"},
    "akta-kematian": {
        "death_place": "Rumah",
        "cause": "Sakit tua",
        "certified_by": "village_head",
    },
}


def _rng(seed: int | str) -> random.Random:
    """Repeatable invented data (not security: nothing here is secret)."""
    return random.Random(seed)  # noqa: S311


def _small_pdf(title: str) -> SimpleUploadedFile:
    """A one-page specimen scan (a PDF is quicker to check than a photo)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, f"CONTOH / SPECIMEN: {title[:60]}")
    pdf.showPage()
    pdf.save()
    return SimpleUploadedFile("scan.pdf", buffer.getvalue(), content_type="application/pdf")


def _working_day(day: date) -> datetime:
    return datetime.combine(day, time(8), tzinfo=timezone.get_current_timezone())


def _person(rng: random.Random, index: int, district: str) -> dict[str, Any]:
    name = NAMES[index % len(NAMES)]
    female = index % 2 == 0
    birth = date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
    resident_nik = nik(birth, female=female, serial=500 + index, district=district)
    return {
        "subject_nik": resident_nik,
        "subject_kk": f"{district}0101{20 + index % 9:02d}{500 + index:04d}",
        "subject_name": name,
        "subject_sex": "P" if female else "L",
        "subject_birth_place": "Mojokerto",
        "subject_birth_date": birth,
        "reporter_nik": resident_nik,
        "reporter_name": name,
        "reporter_phone": f"0813{40000000 + index:08d}",
        "reporter_relationship": "self",
    }


def _timeline(rng: random.Random, start: datetime, actions: list[str]) -> list[datetime]:
    """A moment for each action: each a few working hours after the one before."""
    gaps: dict[str, tuple[int, int]] = {
        Action.CREATE: (0, 30),
        Action.SUBMIT: (10, 90),
        Action.VERIFY: (15, 200),
        Action.RETURN: (30, 240),
        Action.CLAIM: (15, 220),
        Action.COMPLETE: (30, 240),
        Action.HAND_OVER: (120, 1500),
    }
    moments, moment, previous = [], start, ""
    for action in actions:
        low, high = gaps.get(action, (10, 120))
        if previous == Action.RETURN:  # the village fixes what was asked: a day or two
            low, high = 240, 960
        moment = add_working_minutes(moment, rng.randint(low, high))
        moments.append(moment)
        previous = action
    return moments


def _rewrite_history(request: ServiceRequest, rng: random.Random, start: datetime) -> None:
    """Place the request's history at working moments from `start` on."""
    transitions = list(request.transitions.order_by("created_at", "pk"))
    moments = _timeline(rng, start, [t.action for t in transitions])
    for transition, moment in zip(transitions, moments, strict=True):
        Transition.objects.filter(pk=transition.pk).update(created_at=moment)
    steps = [(t.action, moment) for t, moment in zip(transitions, moments, strict=True)]
    submitted = next(moment for action, moment in steps if action == Action.SUBMIT)
    completed = next(moment for action, moment in steps if action == Action.COMPLETE)
    target = request.definition["target"]
    due = add_working_minutes(submitted, target_minutes(target["amount"], target["unit"]))
    # As the workflow does: time back at the village is added to the due time.
    for (action, moment), (_next, resubmitted) in itertools.pairwise(steps):
        if action == Action.RETURN:
            due = add_working_minutes(due, working_minutes_between(moment, resubmitted))
    ServiceRequest.objects.filter(pk=request.pk).update(
        created_at=moments[0],
        submitted_at=submitted,
        due_at=due,
        finished_at=completed,
        status_changed_at=moments[-1],
        updated_at=moments[-1],
    )
    Upload.objects.filter(request=request).update(uploaded_at=moments[0])
    OutputFile.objects.filter(request=request).update(uploaded_at=completed)
    note_due_time(request.pk, due)


def _answers(rng: random.Random, mood: int) -> dict[str, int]:
    """Nine answers around the resident's mood (2..4); the cost element is mostly "free"."""
    scores = {}
    for field in ELEMENT_FIELDS:
        score = mood + rng.choice((-1, 0, 0, 0, 1))
        if field == "u4":
            score = 4 if rng.random() < 0.85 else 3
        if field == "u3":
            score -= rng.random() < 0.3
        scores[field] = max(1, min(4, score))
    return scores


# Education as in a rural regency: mostly up to senior high school.
EDUCATION_MIX = (
    Education.PRIMARY,
    Education.JUNIOR,
    Education.SENIOR,
    Education.SENIOR,
    Education.DIPLOMA,
    Education.BACHELOR,
)


# What residents write in the optional comment, by mood (invented).
COMMENTS = {
    2: (
        "Antre terlalu lama, petugas hanya satu.",
        "Mohon kabar jika berkas kurang, jangan menunggu saya datang.",
    ),
    3: (
        "Cukup baik, tetapi ruang tunggu panas.",
        "Prosesnya jelas, semoga bisa lebih cepat lagi.",
    ),
    4: (
        "Pelayanan cepat dan ramah, terima kasih.",
        "Tidak perlu ke kecamatan lagi, sangat membantu.",
    ),
}


def _respond(rng: random.Random, request: ServiceRequest, month: date) -> None:
    """The resident's answers, recorded as the survey records them (ticket and anonymous
    response), in the month of the hand-over; about one in three leaves a comment."""
    SurveyTicket.objects.create(ticket=tickets(request)[0])
    mood = rng.choice((3, 3, 3, 4, 4, 2))
    comment = rng.choice(COMMENTS[mood]) if rng.random() < 0.35 else ""
    SurveyResponse.objects.create(
        month=month,
        service_id=request.service_id,
        village_id=request.village_id,
        district_id=request.district_id,
        channel=Channel.KIOSK if rng.random() < 0.6 else Channel.LINK,
        sex=rng.choice(Sex.values),
        age_band=rng.choice(AgeBand.values),
        education=rng.choice(EDUCATION_MIX),
        occupation=rng.choice(Occupation.values),
        comment=comment,
        **_answers(rng, mood),
    )


def _make(
    plan: HistoryPlan, users: dict[str, User], services_by_code: dict[str, Service], index: int
) -> ServiceRequest:
    officer = users[plan.officer]
    assert officer.area is not None  # noqa: S101 - demo accounts have areas
    assert officer.area.parent is not None  # noqa: S101
    district_digits = officer.area.parent.code.replace(".", "")
    request, _new = services.request_create(
        actor=officer,
        service=services_by_code[plan.service],
        village=officer.area,
        idempotency_key=uuid.uuid5(DEMO_NAMESPACE, plan.key),
        details=plan.details,
        **_person(_rng(index), index, district_digits),
    )
    chosen: dict[str, str] = {}
    for item in checklist(request).items:
        if not item.applies:
            continue
        if item.group and chosen.setdefault(item.group, item.option) != item.option:
            continue
        services.upload_add(
            actor=officer,
            request=request,
            requirement_code=item.code,
            file=_small_pdf(item.name),
        )
    request = services.request_submit(actor=officer, request=request)
    if plan.returned:
        request = services.request_return(
            actor=users["demo-kecamatan"], request=request, reason=plan.returned
        )
        request = services.request_submit(actor=officer, request=request)
    if request.status == "submitted":
        request = services.request_verify(actor=users["demo-kecamatan"], request=request)
    clerk = users["demo-dinas"]
    request = services.request_claim(actor=clerk, request=request)
    outputs = [
        services.OutputUpload(o["code"], issued_pdf(o["name"], request.number or ""))
        for o in request.definition["outputs"]
        if not o["is_card"]
    ]
    request = documents_services.request_complete(
        actor=clerk, request=request, outputs=outputs, pickup_place=plan.pickup_place
    )
    return services.request_hand_over(actor=officer, request=request, recipient=_receiver(request))


def _plans(rng: random.Random) -> list[HistoryPlan]:
    today = timezone.localdate()
    plans = []
    for officer, count, codes in VILLAGES:
        for number in range(count):
            code = codes[rng.randrange(len(codes))]
            details = dict(DETAILS[code])
            if code == "akta-kematian":
                details["death_date"] = str(today - timedelta(days=20 + 5 * number))
            pickup = "Kantor Desa" if code == "ktp-el-cetak-ulang" else ""
            # Now and then the kecamatan returns a request (never in Gondang: no operator).
            returned = ""
            if officer != "demo-desa3" and code != "kk-hilang-rusak" and number % 5 == 2:
                returned = "Scan formulir kurang jelas, mohon unggah ulang."
            plans.append(
                HistoryPlan(f"s-{officer}-{number}", officer, code, details, pickup, returned)
            )
    return plans


@transaction.atomic
def demo_surveys_load(users: dict[str, User]) -> int:
    """Create the demo history and survey responses that do not exist yet; returns how many
    requests were created. Brings the report figures up to date afterwards."""
    rng = _rng(SEED)
    services_by_code = {service.code: service for service in Service.objects.all()}
    plans = _plans(rng)
    existing = set(
        ServiceRequest.objects.filter(
            idempotency_key__in=[uuid.uuid5(DEMO_NAMESPACE, plan.key) for plan in plans]
        ).values_list("idempotency_key", flat=True)
    )
    today = timezone.localdate()
    first_day = (today.replace(day=1) - timedelta(days=31 * (MONTHS_BACK - 1))).replace(day=1)
    # Histories start at least two weeks ago, so every one has ended by today.
    span = (today - timedelta(days=14) - first_day).days
    created = 0
    for index, plan in enumerate(plans):
        # Draw every plan's randomness, created or not, so a re-run places nothing new.
        plan_rng = _rng(f"{SEED}-{plan.key}")
        start = _working_day(first_day + timedelta(days=plan_rng.randrange(max(span, 1))))
        if uuid.uuid5(DEMO_NAMESPACE, plan.key) in existing:
            continue
        request = _make(plan, users, services_by_code, index)
        _rewrite_history(request, plan_rng, start)
        request.refresh_from_db()
        if plan_rng.random() < 0.75:
            handed_over = timezone.localtime(request.status_changed_at).date()
            _respond(plan_rng, request, handed_over.replace(day=1))
        created += 1
    if created:
        refresh_activity(rebuild=True)
    return created


def _receiver(request: ServiceRequest) -> services.Recipient:
    """The reporter collects what was asked for, as usually at a village office."""
    who = Receiver.REPORTER if request.reporter_name else Receiver.SUBJECT
    return services.Recipient(receiver=who)
