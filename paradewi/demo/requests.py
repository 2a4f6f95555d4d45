"""Demo requests in every state of the workflow, so each demo account sees a realistic worklist.

Residents, NIKs and documents are invented (NIKs follow the real format of Kabupaten
Mojokerto so validation accepts them). Requests are spread over the past two weeks; some are
overdue on purpose.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from paradewi.accounts.models import User
from paradewi.catalogue.models import Service
from paradewi.demo.documents import issued_pdf, scan_jpeg
from paradewi.documents import services as documents_services
from paradewi.requests import services
from paradewi.requests.models import Receiver, ServiceRequest, Transition, Upload
from paradewi.requests.requirements import checklist
from paradewi.requests.workflow import Action, Status
from paradewi.worktime.services import add_working_minutes, target_minutes

# Marks the demo's requests (their idempotency keys) so a re-run creates nothing twice.
DEMO_NAMESPACE = uuid.UUID("6d1b0c2e-5a0f-4c55-9d0e-2f0b5b8a1e01")


def nik(birth: date, *, female: bool, serial: int, district: str = "351601") -> str:
    day = birth.day + (40 if female else 0)
    return f"{district}{day:02d}{birth:%m%y}{serial:04d}"


@dataclass
class Resident:
    name: str
    birth: date
    female: bool
    serial: int
    district: str = "351601"
    birth_place: str = "Mojokerto"

    @property
    def nik(self) -> str:
        return nik(self.birth, female=self.female, serial=self.serial, district=self.district)

    def person(self, phone: str) -> dict[str, Any]:
        kk = f"{self.district}0101{15 + self.serial % 9:02d}{self.serial:04d}"
        return {
            "subject_nik": self.nik,
            "subject_kk": kk,
            "subject_name": self.name,
            "subject_sex": "P" if self.female else "L",
            "subject_birth_place": self.birth_place,
            "subject_birth_date": self.birth,
            "reporter_nik": self.nik,
            "reporter_name": self.name,
            "reporter_phone": phone,
            "reporter_relationship": "self",
        }


@dataclass
class Plan:
    """One demo request: who makes it, for whom, and how far it travels."""

    key: str
    officer: str
    service: str
    resident: Resident
    steps: list[Action]
    days_ago: int
    details: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    items: dict[str, str] = field(default_factory=dict)
    pickup_place: str = ""


def _plans() -> list[Plan]:
    r = Resident
    today = timezone.localdate()
    return [
        # Desa Tawangrejo (demo-desa): one request in every state.
        Plan(
            "t-draft",
            "demo-desa",
            "akta-kelahiran",
            r("Bayi Ny. Sulastri", today - timedelta(days=9), True, 1),
            [],
            0,
            {"child_name": "Putri Ayu Lestari", "birth_order": 2},
        ),
        Plan(
            "t-submitted-late",
            "demo-desa",
            "kk-perubahan",
            r("Sutrisno", date(1979, 3, 2), False, 11),
            [Action.SUBMIT],
            6,
            {"element_change": False, "change": "Tambah anggota keluarga (kelahiran)"},
        ),
        Plan(
            "t-submitted",
            "demo-desa",
            "akta-kematian",
            r("Mbah Karsiyem", date(1941, 7, 20), True, 12),
            [Action.SUBMIT],
            0,
            {
                "death_date": str(today - timedelta(days=3)),
                "death_place": "Rumah",
                "cause": "Sakit tua",
                "certified_by": "village_head",
            },
        ),
        Plan(
            "t-returned",
            "demo-desa",
            "kia",
            r("Dimas Arya Saputra", date(2017, 1, 9), False, 13),
            [Action.SUBMIT, Action.RETURN],
            2,
            reason="Foto anak belum ada dan scan KK terpotong.",
            items={
                "pas-foto": "Foto 2x3 latar merah belum diunggah.",
                "kk": "Scan KK terpotong di bagian bawah.",
            },
        ),
        Plan(
            "t-verified",
            "demo-desa",
            "pindah",
            r("Wahyu Hidayat", date(1988, 11, 30), False, 14),
            [Action.SUBMIT, Action.VERIFY],
            1,
            {"destination": "Kota Surabaya", "reason": "Pekerjaan"},
        ),
        Plan(
            "t-in-process",
            "demo-desa",
            "akta-kelahiran",
            r("Bayi Ny. Wulan", today - timedelta(days=20), True, 15),
            [Action.SUBMIT, Action.VERIFY, Action.CLAIM],
            1,
            {"child_name": "Rizky Pratama", "birth_order": 1},
        ),
        Plan(
            "t-done",
            "demo-desa",
            "kk-hilang-rusak",
            r("Siti Aminah", date(1985, 6, 14), True, 16),
            [Action.SUBMIT, Action.CLAIM, Action.COMPLETE],
            3,
            {"reason": "lost"},
        ),
        Plan(
            "t-pickup",
            "demo-desa",
            "ktp-el-cetak-ulang",
            r("Joko Susilo", date(1990, 2, 25), False, 17),
            [Action.SUBMIT, Action.VERIFY, Action.CLAIM, Action.COMPLETE],
            4,
            {"reason": "damaged"},
            pickup_place="Kantor Desa Tawangrejo",
        ),
        Plan(
            "t-handed-over",
            "demo-desa",
            "akta-kematian",
            r("Mbah Sumarno", date(1938, 4, 1), False, 18),
            [Action.SUBMIT, Action.VERIFY, Action.CLAIM, Action.COMPLETE, Action.HAND_OVER],
            12,
            {
                "death_date": str(today - timedelta(days=20)),
                "death_place": "RSUD",
                "cause": "Sakit",
                "certified_by": "doctor",
            },
        ),
        Plan(
            "t-rejected",
            "demo-desa",
            "perubahan-biodata",
            r("Ahmad Rofiq", date(1995, 9, 5), False, 19),
            [Action.SUBMIT, Action.VERIFY, Action.CLAIM, Action.REJECT],
            8,
            reason="Data sudah sesuai di SIAK; tidak ada perubahan yang perlu dicatat.",
        ),
        Plan(
            "t-cancelled",
            "demo-desa",
            "kk-baru",
            r("Rina Marlina", date(1998, 12, 12), True, 20),
            [Action.CANCEL],
            10,
            {"reason": "marriage"},
            reason="Salah memilih layanan.",
        ),
        # Desa Rejosari (demo-desa2), same kecamatan.
        Plan(
            "r-submitted",
            "demo-desa2",
            "kedatangan",
            r("Bambang Irawan", date(1983, 8, 8), False, 31, district="357801"),
            [Action.SUBMIT],
            1,
            {"skpwni_number": "3578/SKPWNI/2026/0412", "origin": "Kota Surabaya"},
        ),
        Plan(
            "r-verified-late",
            "demo-desa2",
            "kk-baru",
            r("Eko Prasetyo", date(1996, 5, 17), False, 32),
            [Action.SUBMIT, Action.VERIFY],
            5,
            {"reason": "marriage", "moved_in": False},
        ),
        Plan(
            "r-in-process",
            "demo-desa2",
            "akta-perkawinan",
            r("Yohanes Kristianto", date(1994, 10, 3), False, 33),
            [Action.SUBMIT, Action.VERIFY, Action.CLAIM],
            2,
            {
                "groom_birth_date": "1994-10-03",
                "bride_birth_date": "1997-02-14",
                "married_before": False,
            },
        ),
        Plan(
            "r-returned-dinas",
            "demo-desa2",
            "akta-kelahiran",
            r("Bayi Ny. Endah", today - timedelta(days=30), True, 34),
            [Action.SUBMIT, Action.VERIFY, Action.CLAIM, Action.RETURN],
            2,
            {"child_name": "Nadia Safitri"},
            reason="NIK ayah pada F-2.01 tidak sesuai dengan KK.",
        ),
        # Desa Gumeng, Kecamatan Gondang (demo-desa3): not visible to demo-kecamatan.
        Plan(
            "g-submitted",
            "demo-desa3",
            "kk-perubahan",
            r("Sri Wahyuni", date(1975, 1, 30), True, 41, district="351602"),
            [Action.SUBMIT],
            1,
            {"element_change": True},
        ),
        Plan(
            "g-done",
            "demo-desa3",
            "kk-hilang-rusak",
            r("Tukiman", date(1960, 3, 3), False, 42, district="351602"),
            [Action.SUBMIT, Action.CLAIM, Action.COMPLETE],
            3,
            {"reason": "damaged"},
        ),
    ]


def _upload_everything(officer: User, request: ServiceRequest) -> None:
    chosen: dict[str, str] = {}
    for item in checklist(request).items:
        if not item.applies:
            continue
        if item.group and chosen.setdefault(item.group, item.option) != item.option:
            continue
        services.upload_add(
            actor=officer, request=request, requirement_code=item.code, file=scan_jpeg(item.name)
        )


def _complete(clerk: User, request: ServiceRequest, plan: Plan) -> ServiceRequest:
    outputs = [
        services.OutputUpload(o["code"], issued_pdf(o["name"], request.number or ""))
        for o in request.definition["outputs"]
        if not o["is_card"]
    ]
    return documents_services.request_complete(
        actor=clerk, request=request, outputs=outputs, pickup_place=plan.pickup_place
    )


def _backdate(request: ServiceRequest, days: int) -> None:
    """Move a request's whole history `days` back, as if it had happened then."""
    if days == 0:
        return
    shift = timedelta(days=days)
    ServiceRequest.objects.filter(pk=request.pk).update(
        created_at=F("created_at") - shift,
        status_changed_at=F("status_changed_at") - shift,
    )
    for name in ("submitted_at", "finished_at"):
        ServiceRequest.objects.filter(pk=request.pk, **{f"{name}__isnull": False}).update(
            **{name: F(name) - shift}
        )
    Transition.objects.filter(request=request).update(created_at=F("created_at") - shift)
    Upload.objects.filter(request=request).update(uploaded_at=F("uploaded_at") - shift)
    request.refresh_from_db()
    if request.submitted_at is not None:
        target = request.definition["target"]
        request.due_at = add_working_minutes(
            request.submitted_at, target_minutes(target["amount"], target["unit"])
        )
        ServiceRequest.objects.filter(pk=request.pk).update(due_at=request.due_at)


def _apply(
    step: Action, request: ServiceRequest, plan: Plan, officer: User, users: dict[str, User]
) -> ServiceRequest:
    clerk, operator = users["demo-dinas"], users["demo-kecamatan"]
    if step == Action.SUBMIT:
        return services.request_submit(actor=officer, request=request)
    if step == Action.VERIFY:
        return services.request_verify(actor=operator, request=request)
    if step == Action.RETURN and request.status == Status.SUBMITTED:
        return services.request_return(
            actor=operator, request=request, reason=plan.reason, items=plan.items
        )
    if step == Action.RETURN:
        return services.request_return(actor=clerk, request=request, reason=plan.reason)
    if step == Action.CLAIM:
        return services.request_claim(actor=clerk, request=request)
    if step == Action.COMPLETE:
        return _complete(clerk, request, plan)
    if step == Action.REJECT:
        return services.request_reject(actor=clerk, request=request, reason=plan.reason)
    if step == Action.HAND_OVER:
        return services.request_hand_over(
            actor=officer, request=request, recipient=_receiver(request)
        )
    if step == Action.CANCEL:
        return services.request_cancel(actor=officer, request=request, reason=plan.reason)
    raise ValueError(step)


@transaction.atomic
def demo_requests_load(users: dict[str, User]) -> int:
    """Create the demo requests that do not exist yet; returns how many were created."""
    created = 0
    services_by_code = {service.code: service for service in Service.objects.all()}
    for number, plan in enumerate(_plans()):
        key = uuid.uuid5(DEMO_NAMESPACE, plan.key)
        if ServiceRequest.objects.filter(idempotency_key=key).exists():
            continue
        officer = users[plan.officer]
        assert officer.area is not None  # noqa: S101
        request, _new = services.request_create(
            actor=officer,
            service=services_by_code[plan.service],
            village=officer.area,
            idempotency_key=key,
            details=plan.details,
            **plan.resident.person(phone=f"0812{30000000 + number:08d}"),
        )
        _upload_everything(officer, request)
        for step in plan.steps:
            request = _apply(step, request, plan, officer, users)
        _backdate(request, plan.days_ago)
        created += 1
    return created


def _receiver(request: ServiceRequest) -> services.Recipient:
    """The reporter collects what was asked for, as usually at a village office."""
    who = Receiver.REPORTER if request.reporter_name else Receiver.SUBJECT
    return services.Recipient(receiver=who)
