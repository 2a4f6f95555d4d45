"""Measure the dashboards on a generated history: `manage.py reports_benchmark --requests 20000`.

Only in demo or debug mode, and meant for a scratch database (point DATABASE_URL at one): it
inserts invented requests, their history and survey responses in bulk (bypassing the workflow
services, which would take hours for a big history), rebuilds the monthly pre-aggregate, then
opens every dashboard, export and report as each kind of reader and prints queries and time.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paradewi.accounts.models import Role, User
from paradewi.accounts.policy import RANKING_ROLES
from paradewi.accounts.services import user_create
from paradewi.catalogue.models import Service
from paradewi.catalogue.selectors import current_version
from paradewi.regions.models import Region
from paradewi.regions.selectors import villages_of
from paradewi.reports.periods import add_months
from paradewi.reports.services import refresh_activity
from paradewi.requests.models import ServiceRequest, Status, Transition
from paradewi.requests.workflow import Action
from paradewi.surveys.models import Channel, SurveyResponse, SurveyTicket
from paradewi.surveys.questionnaire import ELEMENT_FIELDS, AgeBand, Education, Occupation, Sex
from paradewi.surveys.services import tickets
from paradewi.testing import Client  # force_login passes the Dinas head's second step
from paradewi.worktime.services import WorkCalendar

PAGES = (
    "reports_speed",
    "reports_ikm",
    "reports_returns",
    "reports_ranking",
    "reports_speed_xlsx",
    "reports_ikm_xlsx",
    "reports_returns_xlsx",
    "reports_ranking_xlsx",
    "reports_pdf",
)
# Pages that only some readers have (a village officer has no ranking).
ONLY_FOR = {
    "reports_ranking": RANKING_ROLES,
    "reports_ranking_xlsx": RANKING_ROLES,
}
COMMENTS = ("Pelayanan cepat, terima kasih.", "Antre lama.", "Ruang tunggu panas.")
BATCH = 2000


@contextmanager
def stored_times(*models: type[Model]) -> Iterator[None]:
    """Let bulk_create keep the timestamps given (auto_now/auto_now_add would overwrite them)."""
    flags = [
        (field, field.auto_now, field.auto_now_add)  # type: ignore[attr-defined]
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    for field, _now, _add in flags:
        field.auto_now = field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for field, now, add in flags:
            field.auto_now, field.auto_now_add = now, add  # type: ignore[attr-defined]


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Clock:
    """Moves a moment forward by working minutes with one calendar (no query per step)."""

    def __init__(self, first: date, last: date) -> None:
        self.calendar = WorkCalendar(first, last)

    def add(self, start: datetime, minutes: int) -> datetime:
        remaining = timedelta(minutes=minutes)
        for opens, closes in self.calendar.windows(start):
            begin = max(opens, start)
            if begin >= closes:
                continue
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        raise ValueError("no working time")


class Command(BaseCommand):
    help = "Generate a request history in a scratch database and time the dashboards on it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=20_000)
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--repeat", type=int, default=5, help="timings per page")
        parser.add_argument("--no-generate", action="store_true", help="only measure")
        parser.add_argument("--pages", nargs="*", default=PAGES, choices=PAGES)

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.DEMO_MODE):
            raise CommandError("Only with DEBUG=true or PARADEWI_DEMO=true, on a scratch database.")
        readers = self._readers()
        if not options["no_generate"]:
            started = time.perf_counter()
            made = self._generate(options["requests"], options["months"], readers["desa"])
            self.stdout.write(f"generated {made} requests in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            rows = refresh_activity(rebuild=True)
            seconds = time.perf_counter() - started
            self.stdout.write(f"rebuilt the pre-aggregate: {rows} rows in {seconds:.1f} s")
            started = time.perf_counter()
            refresh_activity()
            seconds = time.perf_counter() - started
            self.stdout.write(f"incremental refresh (this month): {seconds:.2f} s")
        self.stdout.write(
            f"{ServiceRequest.objects.count()} requests, "
            f"{Transition.objects.count()} history rows, "
            f"{SurveyResponse.objects.count()} survey responses ({connection.vendor})"
        )
        self._measure(readers, options["pages"], options["repeat"])

    # --- readers -------------------------------------------------------------------------------

    def _readers(self) -> dict[str, User]:
        regency = Region.objects.get(code=settings.REGENCY_CODE)
        district = Region.objects.filter(parent=regency).order_by("code").first()
        village = Region.objects.filter(parent=district).order_by("code").first()
        assert district is not None  # noqa: S101 - regions loaded
        assert village is not None  # noqa: S101
        wanted = {
            "head": (Role.DINAS_HEAD, regency),
            "viewer": (Role.VIEWER, regency),
            "kecamatan": (Role.DISTRICT_OPERATOR, district),
            "desa": (Role.VILLAGE_OFFICER, village),
        }
        readers = {}
        for name, (role, area) in wanted.items():
            user = User.objects.filter(username=f"bench-{name}").first()
            if user is None:
                user = user_create(
                    username=f"bench-{name}",
                    full_name=f"Bench {name}",
                    role=role,
                    area=area,
                    password=uuid.uuid4().hex,
                )
            readers[name] = user
        return readers

    # --- generating ----------------------------------------------------------------------------

    @transaction.atomic
    def _generate(self, count: int, months: int, officer: User) -> int:
        rng = random.Random(7)  # noqa: S311 - invented data
        regency = Region.objects.get(code=settings.REGENCY_CODE)
        villages = list(villages_of(regency))
        offered = [(s, current_version(s)) for s in Service.objects.filter(is_active=True)]
        today = timezone.localdate()
        first = today - timedelta(days=30 * months)
        clock = Clock(first - timedelta(days=1), today + timedelta(days=60))
        tz = timezone.get_current_timezone()
        serials: dict[tuple[int, str], int] = {}
        made = 0
        while made < count:
            batch = min(BATCH, count - made)
            plans = [
                self._plan(rng, clock, villages, offered, first, today, tz) for _ in range(batch)
            ]
            requests = []
            for plan in plans:
                village = plan["village"]
                period = timezone.localtime(plan["steps"][1][1]).strftime("%y%m")
                serial = serials[(village.pk, period)] = serials.get((village.pk, period), 5000) + 1
                requests.append(
                    ServiceRequest(
                        number=f"{village.code.replace('.', '')}-{period}-{serial:04d}",
                        pin=f"{rng.randrange(10**6):06d}",
                        service=plan["service"],
                        service_version=plan["version"],
                        village=village,
                        district_id=village.parent_id,
                        status=plan["steps"][-1][2],
                        status_changed_at=plan["steps"][-1][1],
                        created_by=officer,
                        created_at=plan["steps"][0][1],
                        updated_at=plan["steps"][-1][1],
                        holder=officer if plan["steps"][-1][2] == Status.IN_PROCESS else None,
                        submitted_at=plan["steps"][1][1],
                        due_at=plan["due"],
                        finished_at=plan["finished"],
                        subject_name="Warga Contoh",
                        subject_nik="3516010101900001",
                    )
                )
            with stored_times(ServiceRequest, Transition):
                ServiceRequest.objects.bulk_create(requests)
                history = []
                for request, plan in zip(requests, plans, strict=True):
                    previous = ""
                    for action, moment, status in plan["steps"]:
                        history.append(
                            Transition(
                                request=request,
                                actor=officer,
                                actor_role=officer.role,
                                action=action,
                                from_status=previous,
                                to_status=status,
                                created_at=moment,
                                details=plan["returned_for"] if action == Action.RETURN else {},
                            )
                        )
                        previous = status
                Transition.objects.bulk_create(history, batch_size=BATCH)
            self._answers(rng, requests)
            made += batch
        return made

    def _plan(
        self,
        rng: random.Random,
        clock: Clock,
        villages: list[Region],
        offered: list[Any],
        first: date,
        today: date,
        tz: Any,
    ) -> dict[str, Any]:
        service, version = rng.choice(offered)
        # Submitted at least three days ago, so every request has left its draft.
        day = first + timedelta(days=rng.randrange(max((today - first).days - 3, 1)))
        moment = clock.add(
            datetime.combine(day, datetime.min.time(), tzinfo=tz), rng.randint(0, 400)
        )
        steps: list[tuple[str, datetime, str]] = [(Action.CREATE, moment, Status.DRAFT)]

        def step(action: str, status: str, low: int, high: int) -> None:
            steps.append((action, clock.add(steps[-1][1], rng.randint(low, high)), status))

        step(Action.SUBMIT, Status.SUBMITTED if service.district_step else Status.VERIFIED, 5, 120)
        due = clock.add(steps[-1][1], 480)
        finished = None
        if service.district_step:
            if rng.random() < 0.1:
                step(Action.RETURN, Status.RETURNED, 20, 300)
                step(Action.SUBMIT, Status.SUBMITTED, 120, 900)
                due = clock.add(due, 600)
            step(Action.VERIFY, Status.VERIFIED, 10, 300)
        step(Action.CLAIM, Status.IN_PROCESS, 10, 400)
        fate = rng.random()
        if fate < 0.04:
            step(Action.REJECT, Status.REJECTED, 30, 300)
            finished = steps[-1][1]
        else:
            step(Action.COMPLETE, Status.DONE, 30, 400)
            finished = steps[-1][1]
            step(Action.HAND_OVER, Status.HANDED_OVER, 60, 2000)
        # Whatever would lie in the future has not happened yet.
        now = timezone.now()
        steps = [s for s in steps if s[1] <= now]
        if finished is not None and finished > now:
            finished = None
        codes = [r["code"] for r in version.definition["requirements"]] + ["data"]
        returned_for = {"items": dict.fromkeys(rng.sample(codes, rng.randint(0, 2)), "Buram")}
        return {
            "service": service,
            "version": version,
            "village": rng.choice(villages),
            "steps": steps,
            "due": due,
            "finished": finished,
            "returned_for": returned_for,
        }

    def _answers(self, rng: random.Random, requests: list[ServiceRequest]) -> None:
        responses, ticket_rows = [], []
        for request in requests:
            if request.status != Status.HANDED_OVER or rng.random() > 0.6:
                continue
            ticket_rows.append(SurveyTicket(ticket=tickets(request)[0]))
            mood = rng.choice((2, 3, 3, 3, 4, 4))
            responses.append(
                SurveyResponse(
                    month=timezone.localtime(request.status_changed_at).date().replace(day=1),
                    service_id=request.service_id,
                    village_id=request.village_id,
                    district_id=request.district_id,
                    channel=rng.choice(Channel.values),
                    sex=rng.choice(Sex.values),
                    age_band=rng.choice(AgeBand.values),
                    education=rng.choice(Education.values),
                    occupation=rng.choice(Occupation.values),
                    comment=rng.choice(COMMENTS) if rng.random() < 0.3 else "",
                    **{f: max(1, min(4, mood + rng.choice((-1, 0, 0, 1)))) for f in ELEMENT_FIELDS},
                )
            )
        SurveyTicket.objects.bulk_create(ticket_rows, batch_size=BATCH)
        SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)

    # --- measuring -----------------------------------------------------------------------------

    def _measure(self, readers: dict[str, User], pages: list[str], repeat: int) -> None:
        today = timezone.localdate()
        this_month = today.replace(day=1)
        periods = {
            "month": f"{today:%Y-%m}",
            "year": f"{today:%Y}",
            "2 years": f"{add_months(this_month, -23):%Y-%m}..{this_month:%Y-%m}",
            # Whole months inside, days at both edges (monthly and daily rows).
            "days": f"{add_months(this_month, -13):%Y-%m}-10..{today:%Y-%m-%d}",
        }
        header = ("page", "reader", "period", "queries", "median ms", "p95 ms")
        self.stdout.write("{:<22} {:<10} {:<8} {:>7} {:>10} {:>8}".format(*header))
        for page in pages:
            for name, user in readers.items():
                if page in ONLY_FOR and user.role not in ONLY_FOR[page]:
                    continue
                client = Client(HTTP_HOST="localhost")
                client.force_login(user)
                for label, period in periods.items():
                    url = reverse(page)
                    client.get(url, {"period": period})  # warm up
                    times, queries = [], 0
                    for _ in range(repeat):
                        with CaptureQueriesContext(connection) as captured:
                            started = time.perf_counter()
                            response = client.get(url, {"period": period})
                            times.append((time.perf_counter() - started) * 1000)
                        assert response.status_code == 200  # noqa: S101
                        queries = len(captured)
                    self.stdout.write(
                        f"{page:<22} {name:<10} {label:<8} {queries:>7} "
                        f"{statistics.median(times):>10.1f} {_p95(times):>8.1f}"
                    )
