"""Loading the Kemendagri region codes into the database."""

from __future__ import annotations

import csv
import functools
import gzip
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from paradewi.regions.codes import code_within, code_within_q
from paradewi.regions.models import Region
from paradewi.regions.selectors import forget_deployed_regency

DATA_FILE = Path(__file__).resolve().parent / "data" / "indonesia.csv.gz"
REGENCY_CODE_RE = re.compile(r"\d{2}\.\d{2}")


class RegionDataError(Exception):
    pass


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str
    kind: str


@dataclass
class LoadReport:
    created: int = 0
    renamed: int = 0
    reactivated: int = 0
    deactivated: int = 0
    unchanged: int = 0


@functools.cache
def _all_rows(path: Path = DATA_FILE) -> tuple[RegionRow, ...]:
    with gzip.open(path, mode="rt", encoding="utf-8", newline="") as handle:
        return tuple(
            RegionRow(
                code=row["code"],
                name=row["name"],
                level=row["level"],
                parent_code=row["parent_code"],
                kind=row["kind"],
            )
            for row in csv.DictReader(handle)
        )


def rows_for_regency(regency_code: str, *, path: Path = DATA_FILE) -> list[RegionRow]:
    """Every provinsi and kabupaten/kota of the country, plus all areas inside `regency_code`.

    Parents come before children, so the rows can be inserted in order.
    """
    if not REGENCY_CODE_RE.fullmatch(regency_code):
        raise RegionDataError(
            _("%(code)s is not a kabupaten/kota code like 35.16.") % {"code": regency_code}
        )
    rows = _all_rows(path)
    if not any(row.code == regency_code for row in rows):
        raise RegionDataError(
            _("There is no kabupaten/kota with code %(code)s.") % {"code": regency_code}
        )
    selected = [
        row
        for row in rows
        if row.level in (Region.Level.PROVINCE, Region.Level.REGENCY)
        or code_within(row.code, regency_code)
    ]
    return sorted(selected, key=lambda row: (row.code.count("."), row.code))


@transaction.atomic
def regions_load(*, regency_code: str, path: Path = DATA_FILE) -> LoadReport:
    """Create or update the regions of one regency (idempotent).

    New codes are created, changed names and kinds are updated, codes inside the regency that
    are no longer in the data are deactivated (never deleted). Other regencies already in the
    database are left alone.
    """
    rows = rows_for_regency(regency_code, path=path)
    report = LoadReport()
    existing = {region.code: region for region in Region.objects.all()}
    to_update: list[Region] = []
    # Rows come sorted by depth: create one level at a time so parents have their ids.
    for depth in range(4):
        to_create = []
        for row in rows:
            if row.code.count(".") != depth:
                continue
            region = existing.get(row.code)
            if region is None:
                to_create.append(
                    Region(
                        code=row.code,
                        name=row.name,
                        level=row.level,
                        kind=row.kind,
                        parent=existing.get(row.parent_code) if row.parent_code else None,
                    )
                )
                continue
            changed = False
            if region.name != row.name or region.kind != row.kind:
                region.name, region.kind = row.name, row.kind
                report.renamed += 1
                changed = True
            if not region.is_active:
                region.is_active = True
                report.reactivated += 1
                changed = True
            if changed:
                to_update.append(region)
            else:
                report.unchanged += 1
        for region in Region.objects.bulk_create(to_create, batch_size=500):
            existing[region.code] = region
        report.created += len(to_create)
    Region.objects.bulk_update(to_update, ["name", "kind", "is_active"])
    known = {row.code for row in rows}
    vanished = Region.objects.filter(code_within_q("code", regency_code), is_active=True).exclude(
        code__in=known
    )
    report.deactivated = vanished.update(is_active=False)
    transaction.on_commit(forget_deployed_regency)
    return report
