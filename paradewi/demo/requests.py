"""Demo requests in every state of the workflow, so each demo account sees a realistic worklist.

Residents, NIKs and documents are invented (NIKs follow the real format of Kabupaten
Mojokerto so validation accepts them). Requests are spread over the past two weeks; some are
overdue on purpose. Every request's data goes through the pages' own forms
(details.validated_details) before it is stored, so the demo's details use the detail forms'
keys and the demo's official forms print what a user's request prints.
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
from paradewi.requests.details import validated_details
from paradewi.requests.history import note_due_time
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

    @property
    def kk(self) -> str:
        return f"{self.district}0101{15 + self.serial % 9:02d}{self.serial:04d}"

    def person(
        self, phone: str, reporter: Resident | None = None, relationship: str = "self"
    ) -> dict[str, Any]:
        """The person form's data: this resident as the subject, reporting for themselves
        unless another reporter is given (a newborn, a child, a deceased person)."""
        reporter = reporter or self
        return {
            "subject_nik": self.nik,
            "subject_kk": self.kk,
            "subject_name": self.name,
            "subject_sex": "P" if self.female else "L",
            "subject_birth_place": self.birth_place,
            "subject_birth_date": self.birth,
            "reporter_nik": reporter.nik,
            "reporter_name": reporter.name,
            "reporter_phone": phone,
            "reporter_relationship": relationship if reporter is not self else "self",
        }


@dataclass
class Newborn(Resident):
    """A child without a NIK yet; the KK number is the card the child joins."""

    family_kk: str = ""

    def person(
        self, phone: str, reporter: Resident | None = None, relationship: str = "self"
    ) -> dict[str, Any]:
        data = super().person(phone, reporter, relationship)
        data["subject_nik"] = ""
        data["subject_kk"] = self.family_kk or self.kk
        return data


def _witnesses(first: Resident, second: Resident) -> dict[str, Any]:
    return {
        "witness1_nik": first.nik,
        "witness1_name": first.name,
        "witness1_kk": first.kk,
        "witness2_nik": second.nik,
        "witness2_name": second.name,
        "witness2_kk": second.kk,
    }


def _birth(
    mother: Resident, father: Resident, witnesses: tuple[Resident, Resident], **kind: Any
) -> dict[str, Any]:
    """A birth at the puskesmas with a midwife unless `kind` says otherwise."""
    return {
        "birth_facility": "puskesmas",
        "birth_time": "08:15",
        "birth_type": "single",
        "birth_order": 1,
        "attendant": "midwife",
        "weight_kg": "3.10",
        "length_cm": "49",
        "mother_nik": mother.nik,
        "mother_name": mother.name,
        "mother_birth_place": mother.birth_place,
        "father_nik": father.nik,
        "father_name": father.name,
        "father_birth_place": father.birth_place,
        **_witnesses(*witnesses),
        **kind,
    }


def _member(resident: Resident, relationship: str, **elements: str) -> dict[str, Any]:
    """A row of F-1.01's other members, as the page's row form takes it: SIAK option numbers
    (elements.py); sex and date of birth are left to be read from the NIK, as on the page."""
    return {
        "name": resident.name,
        "nik": resident.nik,
        "birth_place": resident.birth_place,
        "relationship": relationship,
        **elements,
    }


def _family(head: str, address: str, rt: str, rw: str) -> dict[str, Any]:
    return {"head_name": head, "address": address, "rt": rt, "rw": rw, "postcode": "61383"}


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
    reporter: Resident | None = None  # someone else reports (a newborn, a child, a death)
    relationship: str = "self"

    def person(self, phone: str) -> dict[str, Any]:
        return self.resident.person(phone, self.reporter, self.relationship)


def _plans() -> list[Plan]:
    r = Resident
    today = timezone.localdate()
    # Parents, relatives and witnesses who report or sign for others.
    agus = r("Agus Salim", date(1990, 4, 12), False, 51, birth_place="Jombang")
    sulastri = r("Sulastri", date(1993, 6, 21), True, 52)
    hendra = r("Hendra Gunawan", date(1991, 9, 3), False, 53)
    wulan = r("Wulan Sari", date(1995, 1, 17), True, 54, birth_place="Sidoarjo")
    endah = r("Endah Purwanti", date(1992, 3, 8), True, 55)
    bagus = r("Bagus Santoso", date(1989, 12, 1), False, 56)
    witness_a = r("Suparman", date(1975, 5, 5), False, 57)
    witness_b = r("Siti Khotijah", date(1980, 8, 19), True, 58)
    slamet = r("Slamet", date(1968, 2, 14), False, 59)
    rini = r("Rini Astuti", date(1986, 10, 30), True, 60)
    sumarni = r("Sumarni", date(1972, 7, 7), True, 61)
    lina = r("Lina Marlina", date(1990, 5, 25), True, 62)
    bride = r("Maria Magdalena Sari", date(1997, 2, 14), True, 63)
    wahyu = r("Wahyu Hidayat", date(1988, 11, 30), False, 14)
    yohanes = r("Yohanes Kristianto", date(1994, 10, 3), False, 33)
    dewi = r("Dewi Lestari", date(1997, 4, 22), True, 64, birth_place="Jombang")
    witnesses = (witness_a, witness_b)
    return [
        # Desa Tawangrejo (demo-desa): one request in every state.
        Plan(
            "t-draft",
            "demo-desa",
            "akta-kelahiran",
            Newborn("Putri Ayu Lestari", today - timedelta(days=9), True, 1, family_kk=agus.kk),
            [],
            0,
            _birth(sulastri, agus, witnesses, birth_order=2),
            reporter=agus,
            relationship="parent",
        ),
        Plan(
            "t-submitted-late",
            "demo-desa",
            "kk-perubahan",
            r("Sutrisno", date(1979, 3, 2), False, 11),
            [Action.SUBMIT],
            6,
            {"changes": ["add_member"], "description": "Tambah anggota keluarga (kelahiran)"},
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
                "cause": "illness",
                "certified_by": "village_head",
                **_witnesses(*witnesses),
            },
            reporter=slamet,
            relationship="child",
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
            reporter=rini,
            relationship="parent",
        ),
        Plan(
            "t-verified",
            "demo-desa",
            "pindah",
            wahyu,
            [Action.SUBMIT, Action.VERIFY],
            1,
            {
                **_family("", "Dusun Krajan", "2", "1"),
                "destination_address": "Jl. Rungkut Asri Tengah 12",
                "destination_rt": "004",
                "destination_rw": "007",
                "destination_postcode": "60293",
                "destination_village": "Rungkut Kidul",
                "destination_district": "Rungkut",
                "destination_regency": "Kota Surabaya",
                "destination_regency_code": "35.78",
                "reason": "work",
                "members": [wahyu.nik, lina.nik],
                "member_names": {wahyu.nik: wahyu.name, lina.nik: lina.name},
                # SHDK: Kepala Keluarga, Istri
                "member_relationships": {wahyu.nik: "1", lina.nik: "3"},
                "move_kind": "head_and_all",
                "kk_status_moving": "keep",
                "planned_date": str(today + timedelta(days=14)),
            },
        ),
        Plan(
            "t-in-process",
            "demo-desa",
            "akta-kelahiran",
            Newborn("Rizky Pratama", today - timedelta(days=20), False, 15, family_kk=hendra.kk),
            [Action.SUBMIT, Action.VERIFY, Action.CLAIM],
            1,
            _birth(
                wulan,
                hendra,
                witnesses,
                birth_facility="hospital",
                attendant="doctor",
                weight_kg="2.85",
                length_cm="47.5",
            ),
            reporter=hendra,
            relationship="parent",
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
                "death_place": "RSUD Prof. Dr. Soekandar",
                "cause": "illness",
                "certified_by": "doctor",
                **_witnesses(*witnesses),
            },
            reporter=sumarni,
            relationship="child",
        ),
        Plan(
            "t-rejected",
            "demo-desa",
            "perubahan-biodata",
            r("Ahmad Rofiq", date(1995, 9, 5), False, 19),
            [Action.SUBMIT, Action.VERIFY, Action.CLAIM, Action.REJECT],
            8,
            {"description": "Pendidikan terakhir SLTA/Sederajat menjadi Diploma IV/Strata I."},
            reason="Data sudah sesuai di SIAK; tidak ada perubahan yang perlu dicatat.",
        ),
        Plan(
            "t-cancelled",
            "demo-desa",
            "kk-baru",
            r("Rina Marlina", date(1998, 12, 12), True, 20),
            [Action.CANCEL],
            10,
            {
                "reason": "marriage",
                "moved_in": False,
                **_family("Bagus Santoso", "Dusun Sumberejo", "3", "2"),
                "members_count": 2,
                "relationship_in_family": "3",  # Istri
                "religion": "1",
                "marital_status": "2",
                "education": "5",
                "occupation": "2",
                "blood_type": "13",
                "birth_certificate_number": "3516-LT-05012000-0123",
                "marriage_certificate_number": "0345/012/X/2026",
                "marriage_date": str(today - timedelta(days=40)),
                "disability": "no",
                "mother_name": "Sumiati",
                "father_name": "Kasnadi",
                "other_members": [
                    _member(
                        bagus,
                        "1",  # Kepala Keluarga
                        religion="1",
                        marital_status="2",
                        education="5",
                        occupation="88",  # Wiraswasta
                        blood_type="4",
                        mother_name="Tumini",
                        father_name="Sarmidi",
                    )
                ],
            },
            reason="Salah memilih layanan.",
            reporter=bagus,
            relationship="head",
        ),
        # Desa Rejosari (demo-desa2), same kecamatan.
        Plan(
            "r-submitted",
            "demo-desa2",
            "kedatangan",
            r("Bambang Irawan", date(1983, 8, 8), False, 31, district="357801"),
            [Action.SUBMIT],
            1,
            {
                "skpwni_number": "3578/SKPWNI/2026/0412",
                "origin_regency": "Kota Surabaya",
                "origin_regency_code": "35.78",
                "origin_address": "Jl. Kenjeran 100, RT 002/RW 005, Surabaya",
            },
        ),
        Plan(
            "r-verified-late",
            "demo-desa2",
            "kk-baru",
            r("Eko Prasetyo", date(1996, 5, 17), False, 32),
            [Action.SUBMIT, Action.VERIFY],
            5,
            {
                "reason": "marriage",
                "moved_in": False,
                **_family("", "Dusun Rejosari Lor", "1", "4"),
                "members_count": 2,
                "relationship_in_family": "1",  # Kepala Keluarga
                "religion": "1",
                "marital_status": "2",
                "education": "5",
                "occupation": "15",
                "blood_type": "11",
                "birth_certificate_number": "",
                "marriage_certificate_number": "0211/017/IX/2026",
                "marriage_date": str(today - timedelta(days=60)),
                "disability": "no",
                "mother_name": "Painem",
                "father_name": "Sugeng",
                "other_members": [
                    _member(
                        dewi,
                        "3",  # Istri
                        religion="1",
                        marital_status="2",
                        education="8",  # Diploma IV/Strata I
                        occupation="65",  # Guru
                        blood_type="13",
                        mother_name="Sulikah",
                        father_name="Mardi",
                    )
                ],
            },
        ),
        Plan(
            "r-in-process",
            "demo-desa2",
            "akta-perkawinan",
            yohanes,
            [Action.SUBMIT, Action.VERIFY, Action.CLAIM],
            2,
            {
                "groom_name": yohanes.name,
                "groom_nik": yohanes.nik,
                "groom_birth_date": "1994-10-03",
                "bride_name": bride.name,
                "bride_nik": bride.nik,
                "bride_birth_date": "1997-02-14",
                "marriage_date": str(today - timedelta(days=20)),
                "religious_leader": "Pdt. Daniel Sutanto, GKJW Mojokerto",
                "married_before": False,
                # PP 9/1975 Pasal 10: the two witnesses of the marriage, named in F-2.01.
                **_witnesses(*witnesses),
            },
        ),
        Plan(
            "r-returned-dinas",
            "demo-desa2",
            "akta-kelahiran",
            Newborn("Nadia Safitri", today - timedelta(days=30), True, 34, family_kk=bagus.kk),
            [Action.SUBMIT, Action.VERIFY, Action.CLAIM, Action.RETURN],
            2,
            _birth(
                endah,
                bagus,
                witnesses,
                birth_facility="home",
                attendant="traditional",
                birth_order=3,
                weight_kg="3.40",
                length_cm="50",
            ),
            reason="NIK ayah pada F-2.01 tidak sesuai dengan KK.",
            reporter=endah,
            relationship="parent",
        ),
        # Desa Gumeng, Kecamatan Gondang (demo-desa3): not visible to demo-kecamatan.
        Plan(
            "g-submitted",
            "demo-desa3",
            "kk-perubahan",
            r("Sri Wahyuni", date(1975, 1, 30), True, 41, district="351602"),
            [Action.SUBMIT],
            1,
            {
                "changes": ["element"],
                "description": "Pekerjaan: Mengurus Rumah Tangga menjadi Wiraswasta.",
            },
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


def validated_plan(plan: Plan, phone: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(person, details) of a plan, checked by the pages' own forms (InvalidRequestData)."""
    person = plan.person(phone)
    return person, validated_details(plan.service, person, plan.details)


def _upload_everything(officer: User, request: ServiceRequest) -> None:
    chosen: dict[str, str] = {}
    for item in checklist(request).items:
        if not item.applies:
            continue
        if item.group and chosen.setdefault(item.group, item.option) != item.option:
            continue
        upload = services.upload_add(
            actor=officer, request=request, requirement_code=item.code, file=scan_jpeg(item.name)
        )
        # No officer waits here: the photo is checked at once, as the worker would seconds later.
        services.upload_check(upload.pk)


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
        note_due_time(request.pk, request.due_at)


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
        person, details = validated_plan(plan, phone=f"0812{30000000 + number:08d}")
        request, _new = services.request_create(
            actor=officer,
            service=services_by_code[plan.service],
            village=officer.area,
            idempotency_key=key,
            details=details,
            **person,
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
