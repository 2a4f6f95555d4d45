from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paradewi.accounts.models import User
from paradewi.training.services import practice_purge


class Command(BaseCommand):
    help = (
        "Delete practice requests (training mode) with their history, scans and results: "
        "one officer's (--officer USERNAME) or all (--all). Real requests are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--officer", help="The username of the officer.")
        parser.add_argument("--all", action="store_true", help="Every officer's practice.")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["officer"]) == bool(options["all"]):
            raise CommandError("Give either --officer USERNAME or --all.")
        officer = None
        if options["officer"]:
            officer = User.objects.filter(username=options["officer"]).first()
            if officer is None:
                raise CommandError(f"No user {options['officer']!r}.")
        purged = practice_purge(officer=officer)
        self.stdout.write(f"{purged.requests} practice requests and {purged.files} files deleted.")
