"""The table `make bench` ends with: `python -m bench.load.table DIR`.

Reads what the runs of `make bench` wrote in DIR (load-sqlite.json, load-postgresql.json,
pageweight.json, explain.json) and prints, per database: target | measured | ratio to floor |
pass/fail. A file that is missing is said so. Exits 0 either way (the last line says).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.load import report
from bench.load.report import table


def _load(path: Path) -> Any:
    return json.loads(path.read_text()) if path.exists() else None


def pageweight_rows(data: Any) -> list[list[Any]]:
    if not isinstance(data, dict) or not data.get("pages"):
        return [["page weight (bench/pageweight.py)", "not measured", None, None]]
    officer = [p for p in data["pages"] if p.get("officer")]
    cold = max((p["cold"].get("bytes", 0) for p in officer), default=0)
    warm = max((p["warm"].get("bytes", 0) for p in officer), default=0)
    return [
        [
            "officer's first page <= 100 KB",
            f"{cold / 1000:.1f} KB (largest)",
            None,
            cold <= 100_000,
        ],
        ["later pages <= 20 KB", f"{warm / 1000:.1f} KB (largest)", None, warm <= 20_000],
    ]


def explain_rows(data: Any) -> list[list[Any]]:
    if data is None:
        return [["query plans (bench/explain.py)", "not measured", None, None]]
    passed = data.get("passed") if isinstance(data, dict) else None
    queries = data.get("queries") if isinstance(data, dict) else None
    count = len(queries) if isinstance(queries, list) else "?"
    flagged = data.get("flagged") if isinstance(data, dict) else None
    measured = f"{count} queries" + (
        f", {len(flagged)} flagged" if isinstance(flagged, list) else ""
    )
    return [["query plans use indexes (EXPLAIN)", measured, None, passed]]


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "var/bench")
    pageweight = pageweight_rows(_load(folder / "pageweight.json"))
    failed = False
    for database in ("sqlite", "postgresql"):
        data = _load(folder / f"load-{database}.json")
        print(f"\n### {database}")
        if data is None:
            print(f"(no load run: {folder / f'load-{database}.json'} is missing)")
            continue
        summary = data["summary"]
        print(
            f"{data['users']} users, {summary['requests']} requests measured in "
            f"{summary['duration_s']} s; peak memory of web + worker + database "
            f"{data['memory_whole_run']['stack_pss_mb']['peak']} MB (PSS)"
        )
        steady = data.get("memory_steady") or {}
        load = steady.get("load1") or {}
        reference = steady.get("reference") or {}
        machine = data.get("machine") or {}
        print(
            f"machine: {machine.get('cpu', 'not recorded')}; load average during the measured "
            f"window {load.get('min', '-')} / {load.get('mean', '-')} / {load.get('max', '-')} "
            f"(min / mean / max); single-thread reference: CPU {reference.get('cpu_ms_median')} "
            f"ms, wall {reference.get('wall_ms_median')} ms (median during the window; "
            f"before {machine.get('reference_before')}, after {machine.get('reference_after')})"
        )
        print(
            "samples per page: "
            + ", ".join(f"{e['name']} {e['count']}" for e in summary["endpoints"] if e["count"])
        )
        report.add_ratios(summary)
        targets = report.target_rows(summary, data["memory_whole_run"]["stack_pss_mb"]["peak"])
        rows = [[r["target"], r["measured"], r["vs_floor"], r["pass"]] for r in targets]
        rows += pageweight
        if database == "postgresql":
            rows += explain_rows(_load(folder / "explain.json"))
        failed = failed or any(row[3] is False for row in rows)
        print(table(["target", "measured", "ratio to floor", "pass/fail"], rows))
    # A measurement, not a gate: the shared machine decides too much of it.
    print("\nsome targets FAIL" if failed else "\nevery measured target passes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
