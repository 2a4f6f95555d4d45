from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from paradewi.requests.history import state_problem, verify_chain, verify_state


class Command(BaseCommand):
    help = (
        "Check the hash chain of the request history and that every request's status, holder "
        "and due time agree with its history; name the first row or request that does not."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        check = verify_chain()
        if check.broken is not None:
            row = check.broken
            raise CommandError(
                f"History chain broken at row {row.pk} (request {row.request_id}, "
                f"{row.action}, {row.created_at.isoformat()}), after {check.rows} intact rows."
            )
        if check.truncated:
            raise CommandError(
                f"History chain intact for {check.rows} rows, but rows were removed from its end."
            )
        state = verify_state()
        if not state.consistent:
            raise CommandError(state_problem(state))
        self.stdout.write(
            f"History chain intact: {check.rows} rows. "
            f"Every request agrees with its history: {state.requests} requests."
        )
