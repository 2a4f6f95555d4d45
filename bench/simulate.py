"""The life of each request, simulated event by event, as rows ready for a bulk insert.

Every request goes through the same transitions the services of `paradewi.requests.services`
make (create, submit, verify, return, claim, release, reassign, complete, reject, cancel,
hand_over), with the same effects on the request's own columns (number, PIN, due time and its
extension after a return, holder, finished time, pick-up place). Moments are positions on a
`WorkingClock` (working minutes), so every event happens in office hours and a due time is
exactly the target's working time after the submission. Whatever would happen after `now`
has not happened: the request keeps the status it had then, which fills today's queues.

Values are produced in the form both SQLite and PostgreSQL accept from a bulk insert:
timestamps as UTC text, UUIDs as 32 hex digits, JSON as text, dates as ISO text.
"""

from __future__ import annotations

import json
import math
import random
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils.crypto import salted_hmac

from bench.people import People
from bench.worktime import WorkingClock
from paradewi.accounts.models import Role
from paradewi.requests.models import VERIFICATION_ALPHABET, VERIFICATION_CODE_LENGTH, Status
from paradewi.requests.workflow import Action
from paradewi.surveys.questionnaire import ELEMENT_FIELDS
from paradewi.surveys.services import SURVEY_OPEN_DAYS

# Columns each table is filled with, in order (attnames; the store adds the model's other
# columns with their defaults).
REQUEST_FIELDS = (
    "id", "number", "pin", "service_id", "service_version_id", "village_id", "district_id",
    "status", "status_changed_at", "created_by_id", "created_at", "updated_at",
    "idempotency_key", "holder_id", "submitted_at", "due_at", "finished_at", "pickup_place",
    "subject_nik", "subject_kk", "subject_name", "subject_sex", "subject_birth_place",
    "subject_birth_date", "reporter_nik", "reporter_name", "reporter_phone",
    "reporter_relationship", "details",
)  # fmt: skip
TRANSITION_FIELDS = (
    "request_id", "actor_id", "actor_role", "action", "from_status", "to_status", "reason",
    "details", "created_at",
)  # fmt: skip
UPLOAD_FIELDS = (
    "request_id", "requirement_code", "file", "original_name", "content_type", "size",
    "sha256", "uploaded_by_id", "uploaded_at", "replaced_at", "pages", "purged_at",
)  # fmt: skip
OUTPUT_FIELDS = (
    "request_id", "output_code", "file", "size", "sha256", "uploaded_by_id", "uploaded_at",
    "verification_code", "document_number",
)  # fmt: skip
SURVEY_FIELDS = (
    "id", "month", "service_id", "village_id", "district_id", "channel", *ELEMENT_FIELDS,
    "sex", "age_band", "education", "occupation",
)  # fmt: skip
TICKET_FIELDS = ("ticket",)

# The share of each service in the requests of a Javanese kabupaten: family-card changes and
# birth certificates dominate. A service the catalogue has and this table does not: 0.5 %.
SERVICE_MIX: dict[str, float] = {
    "kk-perubahan": 26.0,
    "akta-kelahiran": 20.0,
    "kia": 10.0,
    "ktp-el-cetak-ulang": 9.0,
    "akta-kematian": 8.0,
    "kk-baru": 7.0,
    "pindah": 6.0,
    "kedatangan": 4.0,
    "perubahan-biodata": 4.0,
    "kk-hilang-rusak": 4.0,
    "akta-perkawinan": 1.2,
    "akta-perceraian": 0.8,
}
OTHER_SERVICE_WEIGHT = 0.5

# Ages (years) of the person a request is for, per service: (lowest, highest).
# birth() draws up to a year past the highest, so a KIA child (under 17 on the day the form
# checks it, which may be months after the request) is drawn up to 15.
SUBJECT_AGES: dict[str, tuple[int, int]] = {
    "kia": (0, 15),
    "ktp-el-cetak-ulang": (17, 75),
    "akta-kematian": (35, 95),
    "akta-perkawinan": (20, 40),
    "akta-perceraian": (24, 55),
    "kk-baru": (20, 45),
}

# Per-element base score of the IKM answers (U1..U9): the service is free (U4), complaint
# handling (U9) and the waiting room (U8) score lowest, as in published Dispendukcapil IKMs.
ELEMENT_BASE = (3.38, 3.33, 3.30, 3.90, 3.38, 3.42, 3.52, 3.18, 3.02)
LATE_PENALTY = 0.55  # on U3 (completion time) when the document came after its due time

RETURN_REASONS = (
    "Hasil pindaian buram, tidak terbaca.",
    "Dokumen terpotong, unggah ulang satu halaman penuh.",
    "Belum ditandatangani pemohon.",
    "Nama tidak sama dengan yang tertulis di KK.",
    "Tanggal lahir berbeda dengan akta kelahiran.",
    "Bukan dokumen yang diminta.",
    "Stempel desa belum ada.",
    "Foto terbalik dan gelap.",
)
GENERAL_RETURN_REASONS = (
    "Mohon dilengkapi.",
    "Berkas belum lengkap, periksa catatan per dokumen.",
    "Data pemohon perlu dicek ulang dengan KK.",
)
REJECT_REASONS = (
    "Data ganda di SIAK: dokumen sudah pernah diterbitkan.",
    "Pemohon bukan penduduk Kabupaten Mojokerto.",
    "Dokumen pendukung tidak sah.",
    "Peristiwa harus dicatat melalui putusan pengadilan.",
)
CANCEL_REASONS = (
    "Pemohon membatalkan.",
    "Salah memilih layanan.",
    "Permohonan ganda.",
    "Pemohon mengurus langsung ke Dinas.",
)
ABANDON_REASONS = ("Tidak jadi diajukan.", "Salah input, dibuat ulang.", "Permohonan ganda.")
DATA_REASONS = ("NIK anak belum tercantum di KK.", "Alamat tidak lengkap (RT/RW).")

# Working minutes in one office day (the default office hours, 08:00-16:00).
DAY = 480


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


@dataclass(frozen=True)
class ServiceSpec:
    id: int
    code: str
    version_id: int
    target: int  # working minutes
    district_step: bool
    requirements: tuple[dict[str, str], ...]
    pdf_outputs: tuple[str, ...]
    has_card: bool


@dataclass(frozen=True)
class VillageSpec:
    id: int
    digits: str  # the code without dots: 3516012001
    name: str
    district_id: int
    district_name: str
    district_digits: str  # 3516CC, the start of a NIK registered there
    officer_id: int
    operator_id: int
    weight: float


@dataclass
class Batch:
    """The rows of a run of consecutive requests."""

    requests: list[tuple[Any, ...]] = field(default_factory=list)
    transitions: list[tuple[Any, ...]] = field(default_factory=list)
    uploads: list[tuple[Any, ...]] = field(default_factory=list)
    outputs: list[tuple[Any, ...]] = field(default_factory=list)
    surveys: list[tuple[Any, ...]] = field(default_factory=list)
    tickets: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class Tally:
    """What was generated, for the summary and the README's distributions."""

    statuses: Counter[str] = field(default_factory=Counter)
    services: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)
    completed: int = 0
    completed_on_time: int = 0
    returned_requests: int = 0
    handed_over: int = 0
    answers: int = 0
    answer_sum: int = 0
    lead_minutes: list[int] = field(default_factory=list)  # a sample


class Simulator:
    """Makes the rows of requests one after the other, from one seeded generator."""

    def __init__(
        self,
        *,
        rng: random.Random,
        clock: WorkingClock,
        now: int,
        services: list[ServiceSpec],
        service_weights: list[float],
        villages: list[VillageSpec],
        clerks: list[int],
        head: int,
        regencies: list[tuple[str, str]],
        regency_digits: str,
        secret_key: str,
        ticket_salt: str,
        timestamp_suffix: str,
        retention_days: int,
        survey_comment: bool,
    ) -> None:
        self.rng = rng
        self.people = People(rng)
        self.clock = clock
        self.now = now  # epoch seconds
        self.now_pos = clock.position(now)
        self.services = services
        self.service_cum = _cumulative(service_weights)
        self.villages = villages
        self.village_cum = _cumulative([village.weight for village in villages])
        self.clerks = clerks
        self.head = head
        self.regencies = regencies
        self.regency_digits = regency_digits
        self.secret_key = secret_key
        self.ticket_salt = ticket_salt
        self.suffix = timestamp_suffix
        self.retention = retention_days * 86400
        self.survey_comment = survey_comment
        self.first_pos = 0
        self.sequences: dict[tuple[int, str], int] = {}
        self.document_serials: Counter[tuple[str, int]] = Counter()
        self.tally = Tally()
        self._days: dict[int, str] = {}
        self._minutes = [f"{m // 60:02d}:{m % 60:02d}:00{timestamp_suffix}" for m in range(1440)]
        self._periods: dict[int, tuple[str, date]] = {}
        # Verification codes: a counter through a seeded bijection of 60-bit numbers, so codes
        # look random and can never repeat.
        self._code_counter = 0
        self._code_mul = rng.getrandbits(60) | 1
        self._code_add = rng.getrandbits(60)

    # --- formatting ------------------------------------------------------------------------

    def stamp(self, epoch: int) -> str:
        """UTC text of a whole-minute moment, as Django stores it on SQLite (PostgreSQL gets
        "+00"): the day's text plus the minute's, both made once."""
        day, seconds = divmod(epoch, 86400)
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d ")
        return text + self._minutes[seconds // 60]

    def at(self, position: int) -> str:
        return self.stamp(self.clock.moment(position))

    def local_day(self, position: int) -> date:
        return self.clock.days[
            min(bisect_left(self.clock.ends, position), len(self.clock.days) - 1)
        ]

    def period(self, position: int) -> tuple[str, date]:
        """(YYMM, first day of the month) of a position's local date."""
        day = self.local_day(position)
        key = day.year * 100 + day.month
        found = self._periods.get(key)
        if found is None:
            found = self._periods[key] = (
                f"{day.year % 100:02d}{day.month:02d}",
                day.replace(day=1),
            )
        return found

    def draw(self, median: float, sigma: float, low: int = 1, high: int = 40 * DAY) -> int:
        """A log-normal whole number (durations in working minutes, file sizes in bytes)."""
        value = self.rng.lognormvariate(math.log(median), sigma)
        return max(low, min(high, int(value)))

    def hex(self, bits: int) -> str:
        return f"{self.rng.getrandbits(bits):0{bits // 4}x}"

    def verification_code(self) -> str:
        self._code_counter += 1
        mask = (1 << 60) - 1
        value = (self._code_counter * self._code_mul + self._code_add) & mask
        value ^= value >> 29
        value = (value * 0x5851F42D4C957F2D) & mask  # odd multiplier: still a bijection
        value ^= value >> 31
        chars = []
        for _ in range(VERIFICATION_CODE_LENGTH):
            chars.append(VERIFICATION_ALPHABET[value & 31])
            value >>= 5
        return "".join(chars)

    # --- one day, one request ------------------------------------------------------------

    def day(self, index: int, count: int, first_id: int, batch: Batch) -> int:
        """The requests submitted on working day `index`; returns how many were made."""
        rng = self.rng
        start = self.clock.window_start(index)
        length = self.clock.ends[index] - start
        plans = sorted(
            (
                int(rng.triangular(0, length - 1, length * 0.3)),
                bisect_left(self.village_cum, rng.random() * self.village_cum[-1]),
                bisect_left(self.service_cum, rng.random() * self.service_cum[-1]),
            )
            for _ in range(count)
        )
        made = 0
        for minute, village, service in plans:
            if self.request(first_id + made, start + minute, village, service, batch):
                made += 1
        return made

    def request(
        self, rid: int, submit_pos: int, village_index: int, service_index: int, batch: Batch
    ) -> bool:
        rng = self.rng
        village = self.villages[min(village_index, len(self.villages) - 1)]
        service = self.services[min(service_index, len(self.services) - 1)]
        now = self.now_pos
        era = 1.0 - 0.25 * (submit_pos - self.first_pos) / max(1, now - self.first_pos)
        slow = service.target / DAY  # a two-day service also takes longer
        by_operator = service.district_step and rng.random() < 0.05
        if by_operator:
            creator, creator_role = village.operator_id, str(Role.DISTRICT_OPERATOR)
        else:
            creator, creator_role = village.officer_id, str(Role.VILLAGE_OFFICER)
        create_pos = max(self.first_pos, submit_pos - self.draw(18, 0.9, 3, 3 * DAY))
        if create_pos >= now:
            return False
        submit_pos = max(submit_pos, create_pos + 3)
        # A few recent requests are still drafts: the village has not sent them yet.
        still_draft = submit_pos >= now or (
            now - submit_pos < 10 * DAY
            and rng.random() < 0.04 * (1 - (now - submit_pos) / (10 * DAY))
        )

        events: list[tuple[int, str, str, str, int | None, str, str, str]] = []
        status = ""

        def move(
            position: int,
            action: str,
            to: str,
            actor: int,
            role: str,
            reason: str = "",
            details: str = "{}",
        ) -> None:
            nonlocal status
            events.append((position, action, status, to, actor, role, reason, details))
            status = to

        move(create_pos, Action.CREATE, Status.DRAFT, creator, creator_role)
        details, person = self.person(service, village, submit_pos)
        required = self.required(service, details, person["birth"], self.local_day(submit_pos))
        # Uploads: [requirement, position, replaced position or None, row values]
        uploads: list[list[Any]] = []
        span = submit_pos - create_pos
        for nth, code in enumerate(required, start=1):
            position = create_pos + max(1, span * nth // (len(required) + 1))
            if position < now:
                uploads.append([code, position, None, self.upload_values(code)])

        number = pin = ""
        submitted = due = finished = -1
        holder: int | None = None
        pickup_place = ""
        returns = 0
        last_return_pos, last_return_from = -1, ""
        outputs: list[str] = []
        complete_pos = -1
        outputs_holder: int | None = None

        if still_draft:
            pass
        elif rng.random() < 0.012:
            # Thrown away before it was ever sent.
            at = create_pos + self.draw(2 * DAY, 1.0, 5)
            if at < now:
                move(
                    at,
                    Action.CANCEL,
                    Status.CANCELLED,
                    creator,
                    creator_role,
                    self.pick(ABANDON_REASONS),
                )
                finished = at
        else:
            position = submit_pos
            to = Status.VERIFIED if (not service.district_step or by_operator) else Status.SUBMITTED
            move(position, Action.SUBMIT, to, creator, creator_role)
            period, _month = self.period(position)
            key = (village.id, period)
            serial = self.sequences[key] = self.sequences.get(key, 0) + 1
            number = f"{village.digits}-{period}-{serial:04d}"
            pin = f"{int(rng.random() * 10**6):06d}"
            submitted = position
            due = position + service.target
            while True:
                if status == Status.SUBMITTED:
                    position += self.draw(110 * era, 1.0, 2, 15 * DAY)
                    if position >= now:
                        break
                    roll = rng.random()
                    if roll < (0.075 if returns == 0 else 0.03) and returns < 3:
                        items = self.return_items([u[0] for u in uploads if u[2] is None])
                        move(position, Action.RETURN, Status.RETURNED, village.operator_id,
                             Role.DISTRICT_OPERATOR, *items)  # fmt: skip
                        returns += 1
                        last_return_pos, last_return_from = position, Status.SUBMITTED
                    elif roll > 0.996 and not by_operator:
                        move(position, Action.CANCEL, Status.CANCELLED, creator, creator_role,
                             self.pick(CANCEL_REASONS))  # fmt: skip
                        finished = position
                        break
                    else:
                        move(position, Action.VERIFY, Status.VERIFIED, village.operator_id,
                             Role.DISTRICT_OPERATOR)  # fmt: skip
                elif status == Status.RETURNED:
                    if rng.random() < 0.12:
                        position += self.draw(3 * DAY, 1.0, 5)
                        if position >= now:
                            break
                        move(position, Action.CANCEL, Status.CANCELLED, creator, creator_role,
                             self.pick(CANCEL_REASONS))  # fmt: skip
                        finished = position
                        break
                    position += self.draw(1.2 * DAY * era, 1.0, 10, 30 * DAY)
                    if position >= now:
                        break
                    fixed = json.loads(events[-1][7])["items"]
                    for upload in list(uploads):
                        if upload[0] in fixed and upload[2] is None:
                            upload[2] = position - 1
                            uploads.append([upload[0], position - 1, None,
                                            self.upload_values(upload[0])])  # fmt: skip
                    to = Status.SUBMITTED
                    if not service.district_step or by_operator:
                        to = Status.VERIFIED
                    if last_return_from in (Status.VERIFIED, Status.IN_PROCESS):
                        to = Status.VERIFIED
                    due += position - last_return_pos
                    move(position, Action.SUBMIT, to, creator, creator_role)
                elif status == Status.VERIFIED:
                    position += self.draw(80 * era * slow, 1.1, 1, 20 * DAY)
                    if position >= now:
                        break
                    roll = rng.random()
                    clerk = rng.choice(self.clerks)
                    if roll < 0.008 and returns < 3:
                        items = self.return_items([u[0] for u in uploads if u[2] is None])
                        move(
                            position,
                            Action.RETURN,
                            Status.RETURNED,
                            clerk,
                            Role.DINAS_CLERK,
                            *items,
                        )
                        returns += 1
                        last_return_pos, last_return_from = position, Status.VERIFIED
                    elif roll > 0.998 and not by_operator:
                        move(position, Action.CANCEL, Status.CANCELLED, creator, creator_role,
                             self.pick(CANCEL_REASONS))  # fmt: skip
                        finished = position
                        break
                    else:
                        move(position, Action.CLAIM, Status.IN_PROCESS, clerk, Role.DINAS_CLERK)
                        holder = clerk
                elif status == Status.IN_PROCESS:
                    assert holder is not None  # noqa: S101 - claimed above
                    tail = 4.0 if rng.random() < 0.07 else 1.0
                    position += self.draw(95 * era * slow * tail, 0.9, 2, 25 * DAY)
                    if position >= now:
                        break
                    roll = rng.random()
                    if roll < 0.012:
                        move(position, Action.RELEASE, Status.VERIFIED, holder, Role.DINAS_CLERK)
                        holder = None
                    elif roll < 0.02 and len(self.clerks) > 1:
                        other = rng.choice([c for c in self.clerks if c != holder])
                        details_text = json.dumps({"from_holder": holder, "to_holder": other})
                        move(position, Action.REASSIGN, Status.IN_PROCESS, self.head,
                             Role.DINAS_HEAD, "", details_text)  # fmt: skip
                        holder = other
                    elif roll < 0.06 and returns < 3:
                        items = self.return_items([u[0] for u in uploads if u[2] is None])
                        move(
                            position,
                            Action.RETURN,
                            Status.RETURNED,
                            holder,
                            Role.DINAS_CLERK,
                            *items,
                        )
                        holder = None
                        returns += 1
                        last_return_pos, last_return_from = position, Status.IN_PROCESS
                    elif roll < 0.075:
                        move(position, Action.REJECT, Status.REJECTED, holder, Role.DINAS_CLERK,
                             self.pick(REJECT_REASONS))  # fmt: skip
                        holder = None
                        finished = position
                        break
                    else:
                        outputs = list(service.pdf_outputs)
                        to = Status.READY_FOR_PICKUP if service.has_card else Status.DONE
                        move(position, Action.COMPLETE, to, holder, Role.DINAS_CLERK, "",
                             json.dumps({"outputs": outputs}))  # fmt: skip
                        complete_pos = position
                        finished = position
                        if service.has_card:
                            pickup_place, pickup_actor, pickup_role = self.pickup(village)
                        else:
                            pickup_actor, pickup_role = creator, creator_role
                        outputs_holder = holder
                        holder = None
                        if rng.random() < 0.012:
                            break  # never collected
                        wait = self.draw(1.3 * DAY if service.has_card else 0.8 * DAY, 1.0)
                        position += wait
                        if position >= now:
                            break
                        move(
                            position,
                            Action.HAND_OVER,
                            Status.HANDED_OVER,
                            pickup_actor,
                            pickup_role,
                        )
                        break
                else:
                    break

        # --- the request row, as the services leave it ---
        last = events[-1]
        tally = self.tally
        tally.statuses[status] += 1
        tally.services[service.code] += 1
        for event in events:
            tally.actions[event[1]] += 1
        if returns:
            tally.returned_requests += 1
        on_time = complete_pos >= 0 and complete_pos <= due
        if complete_pos >= 0:
            tally.completed += 1
            tally.completed_on_time += on_time
            if len(tally.lead_minutes) < 100_000:
                tally.lead_minutes.append(complete_pos - submitted)
        batch.requests.append(
            (
                rid,
                number or None,
                pin,
                service.id,
                service.version_id,
                village.id,
                village.district_id,
                status,
                self.at(last[0]),
                creator,
                self.at(create_pos),
                self.at(last[0]),
                self.hex(128),
                holder,
                self.at(submitted) if submitted >= 0 else None,
                self.at(due) if due >= 0 else None,
                self.at(finished) if finished >= 0 else None,
                pickup_place,
                person["nik"],
                person["kk"],
                person["name"],
                person["sex"],
                person["birth_place"],
                person["birth"].isoformat(),
                person["reporter_nik"],
                person["reporter_name"],
                person["reporter_phone"],
                person["relationship"],
                json.dumps(details),
            )
        )
        for position, action, from_status, to_status, actor, role, reason, info in events:
            batch.transitions.append(
                (rid, actor, role, action, from_status, to_status, reason, info, self.at(position))
            )
        # Files of finished requests are deleted after the retention period (rows stay).
        purged = None
        if status in (Status.HANDED_OVER, Status.REJECTED, Status.CANCELLED):
            moment = self.clock.moment(last[0]) + self.retention
            if moment < self.now:
                purged = self.stamp(moment)
        for code, position, replaced, values in uploads:
            name, content_type, size, pages = values
            batch.uploads.append(
                (
                    rid,
                    code,
                    f"uploads/{rid}/{self.hex(128)}",
                    name,
                    content_type,
                    size,
                    self.hex(256),
                    creator,
                    self.at(position),
                    self.at(replaced) if replaced is not None else None,
                    pages,
                    purged,
                )
            )
        if complete_pos >= 0:
            issued = self.local_day(complete_pos)
            for code in outputs:
                batch.outputs.append(
                    (
                        rid,
                        code,
                        f"outputs/{rid}/{self.hex(128)}.pdf",
                        self.draw(160_000, 0.4, 40_000, 2_000_000),
                        self.hex(256),
                        outputs_holder,
                        self.at(complete_pos),
                        self.verification_code(),
                        self.document_number(code, village, issued),
                    )
                )
        if status == Status.HANDED_OVER:
            tally.handed_over += 1
            self.survey(rid, service, village, last[0], on_time, batch)
        return True

    # --- the parts ----------------------------------------------------------------------------

    def pick(self, choices: tuple[str, ...]) -> str:
        return choices[int(self.rng.random() * len(choices))]

    def return_items(self, codes: list[str]) -> tuple[str, str]:
        """(general reason, details JSON) of a return: what to fix, per requirement."""
        rng = self.rng
        items: dict[str, str] = {}
        if not codes or rng.random() < 0.06:
            items["data"] = self.pick(DATA_REASONS)
        else:
            for code in rng.sample(codes, 2 if len(codes) > 1 and rng.random() < 0.25 else 1):
                items[code] = self.pick(RETURN_REASONS)
        reason = self.pick(GENERAL_RETURN_REASONS) if rng.random() < 0.35 else ""
        return reason, json.dumps({"items": items})

    def pickup(self, village: VillageSpec) -> tuple[str, int, str]:
        """Where a card is picked up, and who hands it over there."""
        roll = self.rng.random()
        if roll < 0.55:
            return (
                f"Kantor Kecamatan {village.district_name}",
                village.operator_id,
                Role.DISTRICT_OPERATOR,
            )
        if roll < 0.85:
            return f"Kantor Desa {village.name}", village.officer_id, Role.VILLAGE_OFFICER
        return "Dispendukcapil Kabupaten Mojokerto", self.rng.choice(self.clerks), Role.DINAS_CLERK

    def upload_values(self, code: str) -> tuple[str, str, int, int]:
        """(file name, content type, size, pages) of a scan, as phones and scanners make them."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.62:
            size = self.draw(260_000, 0.35, 60_000, 500_000)
            return f"IMG-WA{1 + int(rng.random() * 9999):04d}.jpg", "image/jpeg", size, 1
        if roll < 0.95:
            pages = 1 if rng.random() < 0.7 else rng.randint(2, 4)
            size = self.draw(180_000 * pages, 0.5, 30_000, 4_000_000)
            return f"scan_{code}.pdf", "application/pdf", size, pages
        size = self.draw(420_000, 0.3, 80_000, 1_500_000)
        return f"{code}.png", "image/png", size, 1

    def document_number(self, code: str, village: VillageSpec, issued: date) -> str:
        if code.startswith("kk"):
            return self.people.kk(village.district_digits, issued)
        kinds = {
            "akta-kelahiran": "LT",
            "akta-kematian": "KM",
            "akta-perkawinan": "KW",
            "akta-perceraian": "CR",
        }
        kind = kinds.get(code)
        if kind is not None:
            self.document_serials[(kind, issued.year)] += 1
            serial = self.document_serials[(kind, issued.year)]
            return f"{self.regency_digits}-{kind}-{issued:%d%m%Y}-{serial:04d}"
        if code == "skpwni":
            self.document_serials[("PD", issued.year)] += 1
            serial = self.document_serials[("PD", issued.year)]
            return f"SKPWNI/{self.regency_digits}/{serial:05d}/{issued.year}"
        return ""

    def birth(self, today: date, low: int, high: int) -> date:
        days = low * 365 + int(self.rng.random() * ((high - low) * 365 + 365))
        return today - timedelta(days=days)

    def witnesses(self, district: str, today: date) -> dict[str, str]:
        """The two witnesses of F-2.01 (SE Dirjen Dukcapil 470/13287/Dukcapil, 2021)."""
        people, found = self.people, {}
        for number in (1, 2):
            female = self.rng.random() < 0.5
            found[f"witness{number}_nik"] = people.nik(district, self.birth(today, 25, 60), female)
            found[f"witness{number}_name"] = people.name(female)
            found[f"witness{number}_kk"] = people.kk(
                district, today - timedelta(days=self.rng.randint(30, 15 * 365))
            )
        return found

    def family_members(
        self, district: str, today: date, applicant_relationship: str
    ) -> list[dict[str, str]]:
        """F-1.01's other members: none (a card of one) or the spouse, and up to three
        children; SHDK 1 Kepala Keluarga once in the family (the applicant or the spouse)."""
        rng, people = self.rng, self.people
        head_is_applicant = applicant_relationship == "1"
        if head_is_applicant and rng.random() < 0.2:
            return []
        spouse_female = head_is_applicant
        spouse = {
            "name": people.name(spouse_female),
            "nik": people.nik(district, self.birth(today, 20, 45), spouse_female),
            "birth_place": "Mojokerto",
            "relationship": "3" if head_is_applicant else "1",
            "religion": "1",
            "marital_status": "2",
            "education": str(rng.randint(3, 8)),
            "occupation": rng.choice(("2", "9", "15", "88")),
            "blood_type": rng.choice(("1", "2", "4", "13")),
            "mother_name": people.name(True),
            "father_name": people.name(False),
        }
        members = [spouse]
        for _ in range(rng.randint(0, 3)):
            female = rng.random() < 0.5
            members.append(
                {
                    "name": people.name(female),
                    "nik": people.nik(district, self.birth(today, 0, 16), female),
                    "birth_place": "Mojokerto",
                    "relationship": "4",
                    "religion": "1",
                    "marital_status": "1",
                    "education": "1",
                    "occupation": "3",
                    "blood_type": "13",
                    "mother_name": people.name(True),
                    "father_name": people.name(False),
                }
            )
        return members

    def family(self) -> dict[str, str]:
        """F-1.01 / F-1.03: the head's name (empty: the applicant, who reports as themselves or
        is reported by the head) and the address in the village."""
        rng = self.rng
        return {
            "head_name": "",
            "address": f"Dusun {rng.choice(('Krajan', 'Kidul', 'Lor', 'Wetan', 'Kulon'))}",
            "rt": f"{rng.randint(1, 9):03d}",
            "rw": f"{rng.randint(1, 5):03d}",
            "postcode": "",
        }

    def person(
        self, service: ServiceSpec, village: VillageSpec, submit_pos: int
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The service's details and the subject and reporter of a request."""
        rng, people = self.rng, self.people
        today = self.local_day(submit_pos)
        district = village.district_digits
        female = rng.random() < 0.5
        code = service.code
        details: dict[str, Any] = {}
        if code == "akta-kelahiran":
            late = rng.random() < 0.18
            birth = today - timedelta(days=rng.randint(61, 8 * 365) if late else rng.randint(1, 60))
            mother = self.birth(today, 19, 42)
            father = self.birth(today, 21, 50)
            recorded_father = rng.random() < 0.95
            details = {
                "birth_facility": rng.choice(("hospital", "hospital", "puskesmas", "home")),
                "birth_time": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                "birth_type": "single" if rng.random() < 0.98 else "twins",
                "birth_order": rng.choice((1, 1, 1, 2, 2, 2, 3, 3, 4)),
                "attendant": rng.choice(("midwife", "midwife", "doctor", "doctor", "traditional")),
                "weight_kg": f"{rng.randint(250, 400) / 100:.2f}",
                "length_cm": f"{rng.randint(450, 530) / 10:.1f}",
                "mother_nik": people.nik(district, mother, True),
                "mother_name": people.name(True),
                "mother_birth_place": people.birth_place(),
                "father_nik": people.nik(district, father, False) if recorded_father else "",
                "father_name": people.name(False) if recorded_father else "",
                "father_birth_place": people.birth_place() if recorded_father else "",
                **self.witnesses(district, today),
            }
        else:
            low, high = SUBJECT_AGES.get(code, (17, 80))
            birth = self.birth(today, low, high)
        if code == "akta-kematian":
            late = rng.random() < 0.15
            died = today - timedelta(days=rng.randint(31, 400) if late else rng.randint(1, 30))
            details = {
                "death_date": died.isoformat(),
                "death_place": rng.choice(("Rumah", "RSUD Prof. Dr. Soekandar", "RS Gatoel")),
                "cause": rng.choice(
                    ("illness", "illness", "illness", "illness", "accident", "other")
                ),
                "certified_by": rng.choice(("doctor", "village_head", "village_head")),
                **self.witnesses(district, today),
            }
        elif code == "kk-baru":
            details = {
                "reason": rng.choice(
                    ("marriage", "marriage", "marriage", "divorce", "marriage_unrecorded", "split")
                ),
                "moved_in": rng.random() < 0.15,
                **self.family(),
                "members_count": rng.randint(1, 5),
                "relationship_in_family": rng.choice(("1", "1", "3")),
                "religion": rng.choice(("1", "1", "1", "1", "2", "3")),
                "marital_status": rng.choice(("1", "2", "2", "4")),
                "education": str(rng.randint(3, 8)),
                "occupation": rng.choice(("2", "9", "15", "19", "88")),
                "blood_type": rng.choice(("1", "2", "4", "13")),
                "birth_certificate_number": (
                    f"3516-LT-{rng.randint(1, 99999):05d}" if rng.random() < 0.8 else ""
                ),
                "marriage_certificate_number": "",
                "marriage_date": "",
                "divorce_certificate_number": "",
                "divorce_date": "",
                "disability": "yes" if rng.random() < 0.02 else "no",
                "mother_nik": "",
                "mother_name": people.name(True),
                "father_nik": "",
                "father_name": people.name(False),
            }
            # F-1.01's other members: the spouse (or the head), then children.
            details["other_members"] = self.family_members(
                district, today, details["relationship_in_family"]
            )
            details["members_count"] = len(details["other_members"]) + 1
            # A recorded marriage or divorce has its certificate (F-1.01 items 15-18).
            event_day = (today - timedelta(days=rng.randint(7, 120))).isoformat()
            if details["marital_status"] == "2":
                details["marriage_certificate_number"] = f"{rng.randint(1, 999):04d}/KUA"
                details["marriage_date"] = event_day
            elif details["marital_status"] == "4":
                details["divorce_certificate_number"] = f"{rng.randint(1, 999)}/AC/PA.Mr"
                details["divorce_date"] = event_day
        elif code == "kk-perubahan":
            changes = rng.choice(
                (
                    ["add_member"],
                    ["add_member"],
                    ["remove_member"],
                    ["element"],
                    ["add_member", "element"],
                )
            )
            details = {
                "changes": changes,
                "description": "",
                "element_change": "element" in changes,
            }
        elif code == "kk-hilang-rusak":
            details = {"reason": rng.choice(("lost", "damaged"))}
        elif code == "ktp-el-cetak-ulang":
            details = {"reason": rng.choice(("lost", "lost", "damaged", "change"))}
        elif code == "pindah":
            name, regency_code = rng.choice(self.regencies)
            details = {
                "destination_address": f"Jl. Merdeka No. {rng.randint(1, 200)}",
                "destination_rt": f"{rng.randint(1, 9):03d}",
                "destination_rw": f"{rng.randint(1, 9):03d}",
                "destination_postcode": "",
                "destination_village": "Sukamaju",
                "destination_district": "Kota",
                "destination_regency": name,
                "destination_regency_code": regency_code,
                "reason": rng.choice(("work", "work", "family", "family", "housing", "education")),
                "members": [],
                **self.family(),
                "move_kind": "head",
                "kk_status_moving": "new",
                "kk_status_staying": rng.choice(("keep", "new")),
                "planned_date": (today + timedelta(days=rng.randint(3, 30))).isoformat(),
            }
        elif code == "kedatangan":
            name, regency_code = rng.choice(self.regencies)
            details = {
                "skpwni_number": (
                    f"SKPWNI/{regency_code.replace('.', '')}/"
                    f"{rng.randint(1, 99999):05d}/{today.year}"
                ),
                "origin_regency": name,
                "origin_regency_code": regency_code,
                "origin_address": (
                    f"Dusun Krajan RT {rng.randint(1, 9):03d}/RW {rng.randint(1, 9):03d}"
                ),
            }
        elif code == "perubahan-biodata":
            details = {
                "description": rng.choice(
                    (
                        "Pendidikan terakhir SMA menjadi S1.",
                        "Pekerjaan: pelajar menjadi karyawan swasta.",
                        "Status perkawinan: belum kawin menjadi kawin.",
                    )
                )
            }
        elif code == "akta-perkawinan":
            groom, bride = self.birth(today, 20, 40), self.birth(today, 18, 35)
            details = {
                "groom_name": people.name(False),
                "groom_nik": people.nik(district, groom, False),
                "groom_birth_date": groom.isoformat(),
                "bride_name": people.name(True),
                "bride_nik": people.nik(district, bride, True),
                "bride_birth_date": bride.isoformat(),
                "marriage_date": (today - timedelta(days=rng.randint(1, 75))).isoformat(),
                "religious_leader": f"Pdt. {people.name(False)}",
                "married_before": rng.random() < 0.08,
                # PP 9/1975 Pasal 10: two witnesses, named in F-2.01.
                **self.witnesses(district, today),
            }
        elif code == "akta-perceraian":
            decided = today - timedelta(days=rng.randint(5, 90))
            details = {
                "court": "Pengadilan Negeri Mojokerto",
                "decision_number": f"{rng.randint(1, 400)}/Pdt.G/{decided.year}/PN Mjk",
                "decision_date": decided.isoformat(),
            }
        name = people.name(female)
        has_nik = code != "akta-kelahiran" or rng.random() < 0.7
        nik = people.nik(district, birth, female) if has_nik else ""
        kk_issued = today - timedelta(days=rng.randint(30, 15 * 365))
        if code == "pindah":
            # The head moves alone (move_kind "head"): one row, SHDK 1 Kepala Keluarga.
            details["members"] = [nik] if nik else []
            details["member_names"] = {nik: name} if nik else {}
            details["member_relationships"] = {nik: "1"} if nik else {}
        if code == "akta-perkawinan" and nik:
            # The person of the request is the groom or the bride (MarriageForm's rule).
            spouse = "bride" if female else "groom"
            details[f"{spouse}_name"] = name
            details[f"{spouse}_nik"] = nik
            details[f"{spouse}_birth_date"] = birth.isoformat()
        adult = (today - birth).days >= 17 * 365 and code != "akta-kematian"
        if adult and rng.random() < 0.7:
            relationship, reporter_nik, reporter_name = "self", nik, name
        else:
            relationship = (
                "parent"
                if not adult and code != "akta-kematian"
                else rng.choice(("child", "spouse", "head", "relative"))
            )
            reporter_female = rng.random() < 0.55
            reporter_birth = self.birth(today, 22, 60)
            reporter_nik = people.nik(district, reporter_birth, reporter_female)
            reporter_name = people.name(reporter_female)
        if "head_name" in details:
            # As the detail form stores it: the reporter reporting as head, the person
            # reporting for themselves, else a head named by hand.
            details["head_name"] = (
                reporter_name
                if relationship == "head"
                else name
                if relationship == "self"
                else people.name(False)
            )
        person = {
            "nik": nik,
            "kk": people.kk(district, kk_issued),
            "name": name,
            "sex": "P" if female else "L",
            "birth_place": people.birth_place(),
            "birth": birth,
            "reporter_nik": reporter_nik,
            "reporter_name": reporter_name,
            "reporter_phone": people.phone() if rng.random() < 0.9 else "",
            "relationship": relationship,
        }
        return details, person

    def required(
        self, service: ServiceSpec, details: dict[str, Any], birth: date, today: date
    ) -> list[str]:
        """The uploads a complete request has (requirements.checklist's rules, one option per
        "one of" group)."""
        chosen: dict[str, str] = {}
        codes = []
        for spec in service.requirements:
            if not _applies(spec.get("condition", "always"), details, birth, today):
                continue
            group = spec.get("alternative_group", "")
            if group:
                option = chosen.get(group)
                if option is None:
                    options = sorted(
                        {
                            s.get("alternative_option", "")
                            for s in service.requirements
                            if s.get("alternative_group") == group
                        }
                    )
                    option = chosen[group] = options[int(self.rng.random() * len(options))]
                if spec.get("alternative_option", "") != option:
                    continue
            codes.append(spec["code"])
        return codes

    def survey(
        self,
        rid: int,
        service: ServiceSpec,
        village: VillageSpec,
        handed_over: int,
        on_time: bool,
        batch: Batch,
    ) -> None:
        """About half of the residents answer, at the counter (kiosk) or later by link."""
        rng = self.rng
        if rng.random() >= 0.52:
            return
        kiosk = rng.random() < 0.6
        answered = handed_over + (0 if kiosk else self.draw(DAY, 1.2, 1, 18 * DAY))
        limit = self.clock.moment(handed_over) + SURVEY_OPEN_DAYS * 86400
        if answered >= self.now_pos or self.clock.moment(answered) >= limit:
            return
        _period, month = self.period(answered)
        era = (handed_over - self.first_pos) / max(1, self.now_pos - self.first_pos)
        mood = rng.gauss(0.1 * era, 0.42)
        answers = []
        for index, base in enumerate(ELEMENT_BASE):
            score = base + mood + rng.gauss(0, 0.5)
            if index == 2 and not on_time:
                score -= LATE_PENALTY
            answers.append(max(1, min(4, int(score + 0.5))))
        self.tally.answers += 1
        self.tally.answer_sum += sum(answers)
        row: tuple[Any, ...] = (
            self.hex(128),
            month.isoformat(),
            service.id,
            village.id,
            village.district_id,
            "kiosk" if kiosk else "link",
            *answers,
            "P" if rng.random() < 0.56 else "L",
            _weighted(rng, AGE_BANDS),
            _weighted(rng, EDUCATION),
            _weighted(rng, OCCUPATIONS),
        )
        if self.survey_comment:
            comment = self.pick(COMMENTS) if rng.random() < 0.12 else ""
            row = (*row, comment)
        batch.surveys.append(row)
        ticket = salted_hmac(self.ticket_salt, str(rid), secret=self.secret_key, algorithm="sha256")
        batch.tickets.append((ticket.hexdigest(),))


AGE_BANDS = (("u20", 3), ("20", 24), ("30", 28), ("40", 22), ("50", 14), ("60", 9))
EDUCATION = (("sd", 20), ("smp", 22), ("sma", 39), ("d3", 6), ("s1", 12), ("s2", 1))
OCCUPATIONS = (
    ("pns", 5), ("tni", 1), ("polri", 1), ("swasta", 31), ("wirausaha", 27), ("lainnya", 35),
)  # fmt: skip
COMMENTS = (
    "Pelayanan cepat, terima kasih.",
    "Petugas desa ramah dan membantu.",
    "Tidak perlu ke Dinas lagi, sangat membantu.",
    "Mohon dipercepat untuk pencetakan KIA.",
    "Ruang tunggu kecamatan panas.",
)


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    total = sum(weight for _value, weight in choices)
    roll = rng.random() * total
    for value, weight in choices:
        roll -= weight
        if roll < 0:
            return value
    return choices[-1][0]


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _applies(condition: str, details: dict[str, Any], birth: date, today: date) -> bool:
    """requirements.condition_applies, on the generated values."""
    if condition == "if_lost":
        return details.get("reason") == "lost"
    if condition == "if_damaged":
        return details.get("reason") == "damaged"
    if condition == "if_moved_in":
        return bool(details.get("moved_in"))
    if condition == "if_element_change":
        return bool(details.get("element_change") or details.get("reason") == "change")
    if condition == "if_child_5_17":
        return 5 <= _age(birth, today) <= 17
    spouses = [
        _age(date.fromisoformat(details[key]), today)
        for key in ("groom_birth_date", "bride_birth_date")
        if details.get(key)
    ]
    if condition == "if_under_21":
        return any(age < 21 for age in spouses)
    if condition == "if_under_19":
        return any(age < 19 for age in spouses)
    if condition == "if_married_before":
        return bool(details.get("married_before"))
    return True
