"""Query plans of the reads behind the pages, on a generated data set (PostgreSQL only).

    DATABASE_URL=postgres://.../paradewi_bench SECRET_KEY=... \\
        python -m bench.explain [--json FILE]

(the environment `bench.generate` filled the database with: the same SEARCH_INDEX_KEY, or the
search by NIK looks for a hash no row has; the plan is then still the one a real search gets.)

Calls the same selector functions the views call -- the worklists, home pages and request
page of a village officer, a kecamatan operator and a Dinas clerk, the Dinas head's home, the
four dashboards and the access log, search by registration number, NIK and name, tracking
and document verification -- records every SELECT they send (`CaptureQueriesContext`, the SQL
exactly as sent), and runs `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` on each. For each query
it prints the plan's node types, the indexes used, the rows returned, the execution time and
the buffers, and flags a sequential scan of a large table (requests, transitions, uploads,
issued documents, survey answers, the report pre-aggregates, notifications) and a query that
takes more than 25 ms (300 ms on a dashboard).

The accounts are the generator's (`bench-desa-<village>` of the village with most requests,
its kecamatan's `bench-kec-<code>`, the clerk holding most requests, `bench-kadis`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

LARGE_TABLES = (
    "requests_servicerequest",
    "requests_transition",
    "requests_upload",
    "requests_outputfile",
    "surveys_surveyresponse",
    "surveys_surveyticket",
    "reports_monthlyactivity",
    "reports_monthlysatisfaction",
    "reports_monthlyduration",
    "reports_monthlyreturn",
    "reports_dailyactivity",
    "reports_dailyduration",
    "reports_dailyreturn",
    "notifications_notification",
    "notifications_announcementreceipt",
    "audit_accesslog",
)
# A sequential scan of a large table that holds fewer rows than this is not worth flagging
# (PostgreSQL rightly reads a small table whole).
LARGE_ROWS = 10_000
# Execution time above which one query is flagged: half a read page's 50 ms, and the
# dashboards' 300 ms.
READ_QUERY_MS = 25.0
DASHBOARD_QUERY_MS = 300.0


@dataclass
class Plan:
    scenario: str
    sql: str
    node_types: list[str]
    indexes: list[str]
    tables: list[str]
    rows: int
    planning_ms: float
    execution_ms: float
    shared_hit: int
    shared_read: int
    seq_scans: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _rows_read(node: dict[str, Any]) -> int:
    """Rows a scan node looked at: those it returned and those its filter removed, per loop."""
    per_loop = int(node.get("Actual Rows", 0)) + int(node.get("Rows Removed by Filter", 0))
    return per_loop * max(1, int(node.get("Actual Loops", 1)))


def explain(sql: str, scenario: str, sizes: dict[str, int]) -> Plan:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        raw = cursor.fetchone()[0]
    document = raw if isinstance(raw, list) else json.loads(raw)
    top = document[0]
    root = top["Plan"]
    nodes = list(_walk(root))
    node_types = list(dict.fromkeys(n["Node Type"] for n in nodes))
    indexes = list(dict.fromkeys(n["Index Name"] for n in nodes if "Index Name" in n))
    tables = list(dict.fromkeys(n["Relation Name"] for n in nodes if "Relation Name" in n))
    # A sequential scan of a large table counts when it read a good part of it: under a LIMIT
    # (the worklists' bounded count) it stops once it has found enough rows.
    seq_scans = [
        n["Relation Name"]
        for n in nodes
        if n["Node Type"] == "Seq Scan"
        and n.get("Relation Name") in LARGE_TABLES
        and sizes.get(n["Relation Name"], 0) >= LARGE_ROWS
        and _rows_read(n) >= max(LARGE_ROWS, sizes[n["Relation Name"]] // 10)
    ]
    plan = Plan(
        scenario=scenario,
        sql=sql,
        node_types=node_types,
        indexes=indexes,
        tables=tables,
        rows=int(root.get("Actual Rows", 0)),
        planning_ms=round(float(top.get("Planning Time", 0.0)), 3),
        execution_ms=round(float(top.get("Execution Time", 0.0)), 3),
        shared_hit=int(root.get("Shared Hit Blocks", 0)),
        shared_read=int(root.get("Shared Read Blocks", 0)),
        seq_scans=seq_scans,
    )
    for table in seq_scans:
        plan.flags.append(f"Seq Scan on {table} ({sizes[table]:,} rows)")
    # One query should not use the page's whole budget (docs/design.md, "Targets"): an index
    # that is used but scanned whole, or a sort of every visible row, shows here.
    budget = DASHBOARD_QUERY_MS if "dashboard" in scenario else READ_QUERY_MS
    if plan.execution_ms > budget:
        plan.flags.append(f"{plan.execution_ms:.0f} ms (over {budget:.0f} ms for one query)")
    return plan


def table_sizes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, GREATEST(reltuples, 0)::bigint FROM pg_class "
            "WHERE relkind = 'r' AND relname = ANY(%s)",
            [list(LARGE_TABLES)],
        )
        return {name: int(rows) for name, rows in cursor.fetchall()}


# --- what the pages read ------------------------------------------------------------------------


@dataclass
class Actors:
    village: Any
    district: Any
    clerk: Any
    head: Any
    viewer: Any
    number: str
    nik: str
    name: str
    request_pk: int
    verification_code: str


def actors() -> Actors:
    from django.db.models import Count

    from paradewi.accounts.models import Role, User
    from paradewi.documents.models import OutputFile
    from paradewi.requests.models import ServiceRequest, Status

    busiest = (
        ServiceRequest.objects.values("village_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("village_id", flat=True)
        .first()
    )
    village = User.objects.filter(role=Role.VILLAGE_OFFICER, area_id=busiest).first()
    if village is None or village.area is None:
        raise SystemExit("No generated data here: run `python -m bench.generate` first.")
    district = User.objects.filter(
        role=Role.DISTRICT_OPERATOR, area_id=village.area.parent_id
    ).first()
    holder = (
        ServiceRequest.objects.filter(status=Status.IN_PROCESS)
        .values("holder_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("holder_id", flat=True)
        .first()
    )
    clerks = User.objects.filter(role=Role.DINAS_CLERK)
    clerk = (clerks.filter(pk=int(holder)).first() if holder else None) or clerks.first()
    head = User.objects.filter(role=Role.DINAS_HEAD).first()
    viewer = User.objects.filter(role=Role.VIEWER).first()
    # A request of the village handed over with a history (a return) for the request page.
    sample = (
        ServiceRequest.objects.filter(village_id=busiest, status=Status.HANDED_OVER)
        .order_by("-submitted_at")
        .first()
    )
    assert sample is not None  # noqa: S101 - the generator hands over most requests
    output = OutputFile.objects.filter(request__village_id=busiest).order_by("-pk").first()
    return Actors(
        village=village,
        district=district,
        clerk=clerk,
        head=head,
        viewer=viewer,
        number=sample.number or "",
        nik=sample.subject_nik,
        name=sample.subject_name.split()[0],
        request_pk=sample.pk,
        verification_code=output.verification_code if output else "",
    )


def scenarios(a: Actors) -> list[tuple[str, Callable[[], object]]]:
    """(name, call) pairs: each call runs what one page reads."""
    from django.utils import timezone

    from paradewi.documents.verification import verify_code
    from paradewi.reports.forms import Filters
    from paradewi.reports.periods import add_months
    from paradewi.reports.scope import scope_for
    from paradewi.reports.selectors import (
        COMMENTS_SHOWN,
        ikm_report,
        ranking_report,
        returns_report,
        speed_report,
    )
    from paradewi.requests.models import ServiceRequest
    from paradewi.requests.requirements import checklist
    from paradewi.requests.selectors import get_request_for_user, home, worklist
    from paradewi.requests.selectors.detail import split_uploads, timeline

    def worklist_page(user: Any, **filters: str) -> Callable[[], object]:
        def read() -> object:
            _page, rows = worklist.paginate(worklist.worklist_with_count(user, **filters), "1")
            return rows

        return read

    def detail(user: Any) -> Callable[[], object]:
        def read() -> object:
            request = get_request_for_user(user, a.request_pk)
            current, _earlier = split_uploads(request)
            checklist(request, uploads=current)
            entries = timeline(request)
            list(request.outputs.order_by("output_code", "uploaded_at", "pk"))
            return entries

        return read

    def dashboard(user: Any, which: str, period: str = "") -> Callable[[], object]:
        def read() -> object:
            from django.http import QueryDict

            scope = scope_for(user, "")
            query = QueryDict(f"period={period}" if period else "")
            filters = Filters.build(query, scope, timezone.localdate())
            if which == "speed":
                return speed_report(scope, filters.period)
            if which == "ikm":
                return ikm_report(scope, filters.period, comments_limit=COMMENTS_SHOWN)
            if which == "returns":
                return returns_report(scope, filters.period)
            return ranking_report(scope, filters.period, "ikm")

        return read

    def access_log(of: str) -> Callable[[], object]:
        def read() -> object:
            from paradewi.audit import selectors as audit

            if of == "request":
                rows = audit.request_log(get_request_for_user(a.head, a.request_pk))
            else:
                rows = audit.user_log(a.village)
            return audit.paginate(rows, "1").object_list

        return read

    def track() -> object:
        # What public tracking reads once the number is known (the PIN is compared in Python).
        return ServiceRequest.objects.exclude(status="draft").filter(number=a.number).first()

    today = timezone.localdate()
    days = f"{add_months(today.replace(day=1), -6):%Y-%m}-10..{today:%Y-%m-%d}"
    cases: list[tuple[str, Callable[[], object]]] = [
        ("village: home", lambda: home.village_home(a.village)),
        ("village: worklist", worklist_page(a.village)),
        ("village: worklist, status done", worklist_page(a.village, status="done")),
        ("village: search by number", worklist_page(a.village, query=a.number)),
        ("village: search by NIK", worklist_page(a.village, query=a.nik)),
        ("village: search by name", worklist_page(a.village, query=a.name)),
        ("village: request page", detail(a.village)),
        ("kecamatan: home", lambda: home.district_home(a.district)),
        ("kecamatan: queue to verify", worklist_page(a.district, tab="verify")),
        ("kecamatan: all requests", worklist_page(a.district, tab="all")),
        ("kecamatan: search by number", worklist_page(a.district, tab="all", query=a.number)),
        ("kecamatan: search by NIK", worklist_page(a.district, tab="all", query=a.nik)),
        ("kecamatan: search by name", worklist_page(a.district, tab="all", query=a.name)),
        ("kecamatan: request page", detail(a.district)),
        ("dinas clerk: home", lambda: home.clerk_home(a.clerk)),
        ("dinas clerk: unclaimed queue", worklist_page(a.clerk, tab="unclaimed")),
        ("dinas clerk: mine in process", worklist_page(a.clerk, tab="mine")),
        ("dinas clerk: all requests", worklist_page(a.clerk, tab="all")),
        ("dinas clerk: search by number", worklist_page(a.clerk, tab="all", query=a.number)),
        ("dinas clerk: search by NIK", worklist_page(a.clerk, tab="all", query=a.nik)),
        ("dinas clerk: search by name", worklist_page(a.clerk, tab="all", query=a.name)),
        ("dinas clerk: request page", detail(a.clerk)),
        ("dinas head: home", lambda: home.head_home(a.head)),
        ("dinas head: speed dashboard", dashboard(a.head, "speed")),
        ("dinas head: IKM dashboard", dashboard(a.head, "ikm")),
        ("dinas head: returns dashboard", dashboard(a.head, "returns")),
        ("dinas head: ranking dashboard", dashboard(a.head, "ranking")),
        # A range of days: whole months from the monthly rows, the edges from the daily ones.
        ("dinas head: speed dashboard, range of days", dashboard(a.head, "speed", days)),
        ("dinas head: returns dashboard, range of days", dashboard(a.head, "returns", days)),
        ("kecamatan: speed dashboard, range of days", dashboard(a.district, "speed", days)),
        ("dinas head: access log of a request", access_log("request")),
        ("dinas head: access log of a user", access_log("user")),
        ("kecamatan: speed dashboard", dashboard(a.district, "speed")),
        ("village: IKM dashboard", dashboard(a.village, "ikm")),
        ("resident: tracking by number", track),
    ]
    if a.verification_code:
        cases.append(("resident: document verification", lambda: verify_code(a.verification_code)))
    return cases


def captured_selects(call: Callable[[], object]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip("( ").upper().startswith("SELECT")
    ]


def run() -> dict[str, Any]:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench.explain needs PostgreSQL (DATABASE_URL=postgres://...).")
    sizes = table_sizes()
    a = actors()
    plans: list[Plan] = []
    for name, call in scenarios(a):
        call()  # once to fill the per-process caches (regions, holidays, catalogue)
        for sql in captured_selects(call):
            plans.append(explain(sql, name, sizes))
    return {
        "database": connection.settings_dict["NAME"],
        "table_rows": sizes,
        "actors": {
            "village_officer": a.village.username,
            "district_operator": a.district.username if a.district else None,
            "dinas_clerk": a.clerk.username if a.clerk else None,
            "dinas_head": a.head.username if a.head else None,
        },
        "queries": [asdict(plan) for plan in plans],
        "flagged": [
            {"scenario": p.scenario, "flags": p.flags, "sql": p.sql} for p in plans if p.flags
        ],
        # No statement reads a large table whole.
        "passed": not any(p.flags for p in plans),
    }


def _short(sql: str, width: int = 96) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def print_report(result: dict[str, Any]) -> None:
    rows = result["table_rows"]
    print("rows: " + ", ".join(f"{k.split('_', 1)[1]} {v:,}" for k, v in sorted(rows.items())))
    print(f"accounts: {result['actors']}")
    current = None
    for plan in result["queries"]:
        if plan["scenario"] != current:
            current = plan["scenario"]
            print(f"\n== {current}")
        marker = "  !! " + "; ".join(plan["flags"]) if plan["flags"] else ""
        print(
            f"  {plan['execution_ms']:>9.2f} ms {plan['rows']:>6} rows  "
            f"buf {plan['shared_hit']}+{plan['shared_read']}  {_short(plan['sql'])}"
        )
        print(f"      nodes: {', '.join(plan['node_types'])}")
        if plan["indexes"]:
            print(f"      indexes: {', '.join(plan['indexes'])}")
        if marker:
            print(f"    {marker}")
    slowest = sorted(result["queries"], key=lambda p: -p["execution_ms"])[:5]
    print("\nslowest:")
    for plan in slowest:
        print(f"  {plan['execution_ms']:>9.2f} ms  {plan['scenario']}: {_short(plan['sql'], 80)}")
    flagged = result["flagged"]
    noun = "query" if len(flagged) == 1 else "queries"
    print(f"\n{len(flagged)} {noun} flagged (a large table read whole, or slow)")
    for item in flagged:
        print(f"  {item['scenario']}: {'; '.join(item['flags'])}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.explain", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--json", help="write the plans to this file")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradewi.settings")
    import django

    django.setup()
    result = run()
    print_report(result)
    if options.json:
        with open(options.json, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
