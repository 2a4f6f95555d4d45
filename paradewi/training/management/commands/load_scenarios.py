from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paradewi.training.services import scenarios_load


class Command(BaseCommand):
    help = "Load the training scenarios shipped with paradewi (after load_catalogue)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update", action="store_true", help="Overwrite the Dinas's edits of them too."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = scenarios_load(update=options["update"])
        self.stdout.write(f"{written} training scenarios written.")
