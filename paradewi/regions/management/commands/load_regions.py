from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from paradewi.regions.codes import code_within_q
from paradewi.regions.models import Region
from paradewi.regions.services import RegionDataError, regions_load


class Command(BaseCommand):
    help = (
        "Load a kabupaten/kota with its kecamatan and desa/kelurahan from the vendored "
        "Kemendagri data (idempotent; renamed villages are updated)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "code",
            nargs="?",
            default=None,
            help="Kabupaten/kota code, e.g. 35.16 (default: PARADEWI_REGENCY_CODE).",
        )

    def handle(self, *args: Any, code: str | None, **options: Any) -> None:
        regency_code = code or settings.REGENCY_CODE
        try:
            report = regions_load(regency_code=regency_code)
        except RegionDataError as error:
            raise CommandError(str(error)) from error
        regency = Region.objects.get(code=regency_code)
        inside = Region.objects.filter(code_within_q("code", regency_code), is_active=True)
        districts = inside.filter(level=Region.Level.DISTRICT).count()
        desa = inside.filter(kind=Region.Kind.DESA).count()
        kelurahan = inside.filter(kind=Region.Kind.KELURAHAN).count()
        self.stdout.write(
            f"{regency.code} {regency.name}: {districts} kecamatan, {desa + kelurahan} villages "
            f"({desa} desa, {kelurahan} kelurahan). Created {report.created}, "
            f"renamed {report.renamed}, reactivated {report.reactivated}, "
            f"deactivated {report.deactivated}, unchanged {report.unchanged}."
        )
