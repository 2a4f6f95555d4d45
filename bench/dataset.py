"""Fill the database with a realistic history of requests: reference data, accounts, requests
with their history, uploads, outputs and survey answers, then the report pre-aggregates.

Call `generate(Params(...))` after Django is set up (`python -m bench.generate` does that).
The same parameters and the same SECRET_KEY give the same rows.
"""

from __future__ import annotations

import json
import random
import resource
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from bench import store
from bench.people import People
from bench.simulate import (
    OTHER_SERVICE_WEIGHT,
    OUTPUT_FIELDS,
    REQUEST_FIELDS,
    SERVICE_MIX,
    SURVEY_FIELDS,
    TICKET_FIELDS,
    TRANSITION_FIELDS,
    UPLOAD_FIELDS,
    Batch,
    ServiceSpec,
    Simulator,
    VillageSpec,
)
from bench.worktime import WorkingClock
from paradewi.accounts.models import Role, User
from paradewi.catalogue.models import Service
from paradewi.catalogue.selectors import current_version
from paradewi.catalogue.services import catalogue_load
from paradewi.documents.models import OutputFile
from paradewi.regions.models import Region
from paradewi.regions.services import regions_load
from paradewi.reports.models import MonthlyActivity, MonthlySatisfaction, ReportState
from paradewi.reports.services import refresh_activity
from paradewi.requests.models import (
    NameToken,
    NumberSequence,
    ServiceRequest,
    Transition,
    Upload,
)
from paradewi.requests.name_index import token_rows
from paradewi.surveys import services as survey_services
from paradewi.surveys.models import SurveyResponse, SurveyTicket
from paradewi.worktime.services import target_minutes

# Bump when the generator changes what it makes: a data set of another version is not reused.
GENERATOR_VERSION = 3  # 2: NIK, KK, details, ... encrypted; 3: the forms' new detail fields
BATCH_REQUESTS = 5000
CLERKS = 12
PASSWORD = "paradewi-bench"  # noqa: S105 - the bench accounts' shared password, not a secret
# Tables the generator fills, children first (the order to empty them in).
FILLED: tuple[type[Model], ...] = (
    SurveyTicket,
    SurveyResponse,
    MonthlySatisfaction,
    MonthlyActivity,
    ReportState,
    OutputFile,
    Upload,
    Transition,
    NameToken,
    NumberSequence,
    ServiceRequest,
)


@dataclass(frozen=True)
class Params:
    requests: int = 1_000_000
    years: float = 3.0
    seed: int = 1
    end: date = field(default_factory=date.today)

    def as_record(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "end": self.end.isoformat(),
            "version": GENERATOR_VERSION,
            "regency": settings.REGENCY_CODE,
        }


@dataclass
class Summary:
    params: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)
    # CPU seconds of this process per phase (the database server's are not included): on a
    # shared machine they say more than the wall-clock seconds.
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    inserted: int = 0
    database_bytes: int = 0
    peak_rss_mb: float = 0.0
    distribution: dict[str, Any] = field(default_factory=dict)
    reused: bool = False

    def lines(self) -> list[str]:
        out = [
            "bench data set: "
            + ", ".join(f"{key}={value}" for key, value in sorted(self.params.items())),
        ]
        if self.reused:
            out.append("The database already holds this data set: nothing to do.")
        out.append("rows per table:")
        out.extend(f"  {name:<28} {count:>12,}" for name, count in self.rows.items())
        out.append("seconds per phase:")
        out.extend(
            f"  {name:<32} {value:>8.1f} (CPU of this process {self.cpu_seconds.get(name, 0):.1f})"
            for name, value in self.seconds.items()
        )
        load = self.seconds.get("requests and history", 0.0)
        if load and self.inserted:
            out.append(f"insert rate: {self.inserted / load:,.0f} rows/s ({self.inserted:,} rows)")
            requests = self.rows.get("requests_servicerequest", 0)
            out.append(f"             {requests / load:,.0f} requests/s")
        out.append(f"database size: {self.database_bytes / 2**20:,.0f} MiB")
        out.append(f"peak RSS: {self.peak_rss_mb:,.0f} MiB")
        if self.distribution:
            out.append("distribution: " + json.dumps(self.distribution, sort_keys=True))
        return out


class Timer:
    def __init__(self, summary: Summary, out: Callable[[str], None]) -> None:
        self.summary, self.out = summary, out

    def __call__(self, name: str) -> _Phase:
        return _Phase(self, name)


class _Phase:
    def __init__(self, timer: Timer, name: str) -> None:
        self.timer, self.name = timer, name

    def __enter__(self) -> None:
        self.started = time.perf_counter()
        self.cpu = _cpu_seconds()
        self.timer.out(f"{self.name} ...")

    def __exit__(self, *exc: object) -> None:
        seconds = time.perf_counter() - self.started
        cpu = _cpu_seconds() - self.cpu
        self.timer.summary.seconds[self.name] = seconds
        self.timer.summary.cpu_seconds[self.name] = cpu
        self.timer.out(f"{self.name}: {seconds:.1f} s (CPU {cpu:.1f} s)")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def generate(
    params: Params,
    *,
    reuse: bool = False,
    replace: bool = False,
    refresh: bool = True,
    out: Callable[[str], None] = print,
) -> Summary:
    """Make the data set described by `params` in the default database.

    With `reuse`, a database that already holds this data set is left alone. A database with
    requests is only emptied with `replace`, and only when every request in it was made by the
    generator's accounts (`bench-...`).
    """
    summary = Summary(params=params.as_record())
    timer = Timer(summary, out)
    previous = store.recorded()
    existing = ServiceRequest.objects.exists()
    if reuse and previous is not None and previous["params"] == summary.params:
        summary.reused = True
        summary.rows = {model._meta.db_table: store.count(model) for model in _counted()}
        summary.database_bytes = store.database_size()
        summary.seconds = previous["summary"].get("seconds", {})
        summary.cpu_seconds = previous["summary"].get("cpu_seconds", {})
        summary.peak_rss_mb = _peak_rss_mb()
        return summary
    if existing:
        foreign = ServiceRequest.objects.exclude(created_by__username__startswith="bench-")
        if not replace:
            raise store.BenchDataError(
                "The database already holds requests"
                + (" made with other parameters" if previous else "")
                + ": use a fresh database, --reuse (same parameters) or --replace."
            )
        if foreign.exists():
            raise store.BenchDataError(
                "The database holds requests not made by the generator; it will not empty it."
            )
    with timer("reference data and accounts"):
        _reference_data()
        accounts = _accounts(params.seed)
    if existing or previous is not None:
        with timer("emptying the previous data set"), transaction.atomic():
            store.forget()
            _delete_related()
            store.delete_all(FILLED)
    store.tune_for_load()
    with timer("requests and history"):
        simulator = _simulator(params, accounts)
        summary.inserted = _load(params, simulator, out)
    with timer("number sequences and statistics"):
        with transaction.atomic():
            NumberSequence.objects.bulk_create(
                [
                    NumberSequence(village_id=village, period=period, last=last)
                    for (village, period), last in sorted(simulator.sequences.items())
                ],
                batch_size=2000,
            )
        store.finish_load([ServiceRequest])
    if refresh:
        with timer("refresh_reports (rebuild)"):
            refresh_activity(rebuild=True)
        with timer("statistics (and vacuum on PostgreSQL)"):
            store.analyze()
    summary.rows = {model._meta.db_table: store.count(model) for model in _counted()}
    summary.database_bytes = store.database_size()
    summary.peak_rss_mb = _peak_rss_mb()
    summary.distribution = _distribution(simulator)
    store.record(
        summary.params,
        {"seconds": summary.seconds, "cpu_seconds": summary.cpu_seconds, "rows": summary.rows},
    )
    return summary


def _counted() -> list[type[Model]]:
    return [User, *reversed(FILLED)]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reference_data() -> None:
    """Regions and catalogue, loaded when missing (both loaders are idempotent)."""
    regency = settings.REGENCY_CODE
    if not Region.objects.filter(
        code__startswith=regency + ".", level=Region.Level.VILLAGE
    ).exists():
        regions_load(regency_code=regency)
    if not Service.objects.exists():
        catalogue_load()


def _delete_related() -> None:
    """Rows of other apps that point at requests (notifications, ...), through the ORM."""
    for relation in ServiceRequest._meta.related_objects:
        model = relation.related_model
        if model in FILLED or not isinstance(model, type):
            continue
        model._default_manager.filter(**{f"{relation.field.name}__isnull": False}).delete()


@dataclass
class Accounts:
    officers: dict[int, int]  # village id -> user id
    operators: dict[int, int]  # kecamatan id -> user id
    clerks: list[int]
    head: int


def _accounts(seed: int) -> Accounts:
    """One officer per village, one operator per kecamatan, Dinas clerks, head and viewer.

    All share the password PASSWORD (hashed once). Existing `bench-` accounts are kept.
    """
    regency = Region.objects.get(code=settings.REGENCY_CODE)
    people = People(random.Random(seed))  # noqa: S311 - invented names
    districts = list(Region.objects.filter(parent=regency, is_active=True).order_by("code"))
    villages = list(
        Region.objects.filter(
            parent__in=districts, is_active=True, level=Region.Level.VILLAGE
        ).order_by("code")
    )
    wanted: list[tuple[str, str, Region]] = [
        *((f"bench-desa-{v.code.replace('.', '')}", Role.VILLAGE_OFFICER, v) for v in villages),
        *((f"bench-kec-{d.code.replace('.', '')}", Role.DISTRICT_OPERATOR, d) for d in districts),
        *((f"bench-dinas-{n:02d}", Role.DINAS_CLERK, regency) for n in range(1, CLERKS + 1)),
        ("bench-kadis", Role.DINAS_HEAD, regency),
        ("bench-viewer", Role.VIEWER, regency),
    ]
    have = set(
        User.objects.filter(username__startswith="bench-").values_list("username", flat=True)
    )
    missing = [entry for entry in wanted if entry[0] not in have]
    if missing:
        password = make_password(PASSWORD)
        User.objects.bulk_create(
            [
                User(
                    username=username,
                    password=password,
                    role=role,
                    area=area,
                    full_name=people.name(female=index % 3 == 0),
                    email=f"{username}@bench.invalid",
                )
                for index, (username, role, area) in enumerate(missing)
            ],
            batch_size=500,
        )
    ids = dict(User.objects.filter(username__startswith="bench-").values_list("username", "id"))
    return Accounts(
        officers={v.pk: ids[f"bench-desa-{v.code.replace('.', '')}"] for v in villages},
        operators={d.pk: ids[f"bench-kec-{d.code.replace('.', '')}"] for d in districts},
        clerks=[ids[f"bench-dinas-{n:02d}"] for n in range(1, CLERKS + 1)],
        head=ids["bench-kadis"],
    )


def _simulator(params: Params, accounts: Accounts) -> Simulator:
    rng = random.Random(params.seed)  # noqa: S311 - invented data, reproducible by design
    tz = timezone.get_current_timezone()
    # The history ends at the start (00:00 local time) of the end date.
    now = int(datetime.combine(params.end, datetime.min.time(), tzinfo=tz).timestamp())
    first_day = params.end - timedelta(days=round(365.25 * params.years))
    clock = WorkingClock(first_day - timedelta(days=10), params.end + timedelta(days=120))

    services: list[ServiceSpec] = []
    weights: list[float] = []
    for service in Service.objects.filter(is_active=True).order_by("code"):
        version = current_version(service)
        if version is None:
            continue
        definition = version.definition
        target = definition["target"]
        services.append(
            ServiceSpec(
                id=service.pk,
                code=service.code,
                version_id=version.pk,
                target=target_minutes(target["amount"], target["unit"]),
                district_step=bool(definition["district_step"]),
                requirements=tuple(definition["requirements"]),
                pdf_outputs=tuple(o["code"] for o in definition["outputs"] if not o["is_card"]),
                has_card=any(o["is_card"] for o in definition["outputs"]),
            )
        )
        weights.append(SERVICE_MIX.get(service.code, OTHER_SERVICE_WEIGHT))
    if not services:
        raise store.BenchDataError("No service is offered: run load_catalogue.")

    villages: list[VillageSpec] = []
    for village in (
        Region.objects.filter(pk__in=accounts.officers).select_related("parent").order_by("code")
    ):
        district = village.parent
        assert district is not None  # noqa: S101 - a village has its kecamatan
        # Population weight: log-normal around 1, kelurahan (towns) larger.
        weight = rng.lognormvariate(0, 0.45) * (1.4 if village.kind == Region.Kind.KELURAHAN else 1)
        villages.append(
            VillageSpec(
                id=village.pk,
                digits=village.code.replace(".", ""),
                name=village.name,
                district_id=district.pk,
                district_name=district.name,
                district_digits=district.code.replace(".", ""),
                officer_id=accounts.officers[village.pk],
                operator_id=accounts.operators[district.pk],
                weight=weight,
            )
        )
    province = settings.REGENCY_CODE.split(".")[0]
    regencies = [
        (name, code)
        for name, code in Region.objects.filter(
            level=Region.Level.REGENCY, code__startswith=province + ".", is_active=True
        )
        .exclude(code=settings.REGENCY_CODE)
        .order_by("code")
        .values_list("name", "code")
    ] or [("Kota Surabaya", "35.78")]
    simulator = Simulator(
        rng=rng,
        clock=clock,
        now=now,
        services=services,
        service_weights=weights,
        villages=villages,
        clerks=accounts.clerks,
        head=accounts.head,
        regencies=regencies,
        regency_digits=settings.REGENCY_CODE.replace(".", ""),
        secret_key=settings.SECRET_KEY,
        ticket_salt=survey_services._TICKET_SALT,
        timestamp_suffix="+00" if connection.vendor == "postgresql" else "",
        retention_days=int(getattr(settings, "UPLOAD_RETENTION_DAYS", 365)),
        survey_comment=any(f.name == "comment" for f in SurveyResponse._meta.concrete_fields),
    )
    simulator.first_pos = clock.position(
        int(datetime.combine(first_day, datetime.min.time(), tzinfo=tz).timestamp())
    )
    return simulator


def _day_counts(params: Params, simulator: Simulator) -> list[tuple[int, int]]:
    """(working day index, requests submitted that day) over the period, summing to the total.

    Volume grows 8 % a year, Mondays are busiest and Fridays quietest (Friday prayers), July
    (school enrolment: KIA, akta) and January busier, December quieter, with daily noise.
    """
    rng = simulator.rng
    clock = simulator.clock
    first, last = simulator.first_pos, simulator.now_pos
    weekday = (1.15, 1.05, 1.0, 1.0, 0.8, 0.5, 0.5)
    month = (1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.12, 1.05, 1.0, 1.0, 0.95, 0.85)
    days: list[tuple[int, float]] = []
    for index, day in enumerate(clock.days):
        start = clock.window_start(index)
        if start < first or start >= last:
            continue
        elapsed = (start - first) / max(1, last - first) * params.years
        weight = (1 + 0.08 * elapsed) * weekday[day.weekday()] * month[day.month - 1]
        days.append((index, weight * rng.lognormvariate(0, 0.12)))
    total = sum(weight for _index, weight in days)
    counts, running, given = [], 0.0, 0
    for index, weight in days:
        running += weight
        upto = round(params.requests * running / total)
        counts.append((index, upto - given))
        given = upto
    return counts


def _load(params: Params, simulator: Simulator, out: Callable[[str], None]) -> int:
    tables = {
        "requests": store.Table(ServiceRequest, REQUEST_FIELDS),
        "transitions": store.Table(Transition, TRANSITION_FIELDS),
        "uploads": store.Table(Upload, UPLOAD_FIELDS),
        "outputs": store.Table(OutputFile, OUTPUT_FIELDS),
        "surveys": store.Table(
            SurveyResponse,
            (*SURVEY_FIELDS, "comment") if simulator.survey_comment else SURVEY_FIELDS,
        ),
        "tickets": store.Table(SurveyTicket, TICKET_FIELDS),
    }
    # The search hashes of the subject names (requests/name_index.py), from the request rows.
    name_tokens = store.Table(NameToken, ("request_id", "district_id", "village_id", "token"))
    columns = [REQUEST_FIELDS.index(name) for name in ("id", "village_id", "district_id")]
    name_column = REQUEST_FIELDS.index("subject_name")
    next_id = 1
    inserted = 0
    batch = Batch()
    started = time.perf_counter()
    reported = started
    write_seconds = 0.0

    def flush() -> None:
        nonlocal batch, inserted, write_seconds
        began = time.perf_counter()
        with transaction.atomic():
            for name, table in tables.items():
                inserted += table.write(getattr(batch, name))
            words: list[tuple[Any, ...]] = []
            for row in batch.requests:
                pk, village, district = (row[column] for column in columns)
                words += token_rows(pk, village, district, row[name_column] or "")
            inserted += name_tokens.write(words)
        write_seconds += time.perf_counter() - began
        batch = Batch()

    for index, count in _day_counts(params, simulator):
        made = simulator.day(index, count, next_id, batch)
        next_id += made
        if len(batch.requests) >= BATCH_REQUESTS:
            flush()
            if time.perf_counter() - reported > 15:
                reported = time.perf_counter()
                rate = (next_id - 1) / (reported - started)
                out(f"  {next_id - 1:,} requests, {inserted:,} rows, {rate:,.0f} requests/s")
    flush()
    out(
        f"  {next_id - 1:,} requests, {inserted:,} rows; "
        f"{write_seconds:.1f} s of it writing to the database"
    )
    return inserted


def _distribution(simulator: Simulator) -> dict[str, Any]:
    tally = simulator.tally
    total = sum(tally.statuses.values()) or 1
    leads = sorted(tally.lead_minutes) or [0]
    return {
        "status_pct": {k: round(100 * v / total, 2) for k, v in tally.statuses.most_common()},
        "service_pct": {k: round(100 * v / total, 2) for k, v in tally.services.most_common()},
        "actions": dict(tally.actions.most_common()),
        "returned_pct": round(100 * tally.returned_requests / total, 2),
        "on_time_pct": round(100 * tally.completed_on_time / max(1, tally.completed), 2),
        "lead_minutes_p50_p90_p99": [
            leads[len(leads) // 2],
            leads[int(len(leads) * 0.9)],
            leads[int(len(leads) * 0.99)],
        ],
        "survey_pct_of_handed_over": round(100 * tally.answers / max(1, tally.handed_over), 2),
        "ikm": round(25 * tally.answer_sum / max(1, 9 * tally.answers), 2),
    }
