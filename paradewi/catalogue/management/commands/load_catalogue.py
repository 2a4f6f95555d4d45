from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paradewi.catalogue.services import DEFAULT_PATH, CatalogueDataError, catalogue_load


class Command(BaseCommand):
    help = (
        "Load the service catalogue from its TOML file. Services that do not exist yet are "
        "created and services the file wrote before are brought up to date with it; a service "
        "an administrator edited is kept, unless --update rewrites it from the file. Every "
        "created or changed service gets a new version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also rewrite existing services from the file (administrator edits are lost).",
        )
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_PATH,
            help="Catalogue file to load (default: the services.toml shipped with paradewi).",
        )

    def handle(self, *args: Any, update: bool, file: Path, **options: Any) -> None:
        try:
            report = catalogue_load(path=file, update=update)
        except CatalogueDataError as error:
            raise CommandError(f"{error} Nothing was loaded.") from error
        self.stdout.write(
            f"Catalogue {file.name}: created {len(report.created)}, "
            f"updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
            f"kept as edited {len(report.kept)}."
        )
        if report.kept and not update:
            self.stdout.write(
                "Services edited by an administrator were kept; use --update to rewrite them."
            )
