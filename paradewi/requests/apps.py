from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def holds_requests(using: str) -> bool:
    from paradewi.requests.models import ServiceRequest

    return ServiceRequest.everything.using(using).exists()  # practice requests too


class RequestsConfig(AppConfig):
    """Population-document requests (permohonan) and their workflow."""

    name = "paradewi.requests"
    label = "requests"
    verbose_name = _("Requests")

    def ready(self) -> None:
        from paradewi.core import backup
        from paradewi.core.rotation import register_derived_index
        from paradewi.requests import (
            history,
            jobs,  # noqa: F401 - registers the app's periodic jobs
        )
        from paradewi.requests.name_index import name_index_rebuild
        from paradewi.requests.services import due_times_schedule
        from paradewi.worktime.services import subscribe_calendar_changed

        # A closure, a re-opened day or new office hours move running requests' due times,
        # in the worker.
        subscribe_calendar_changed(due_times_schedule)

        # The name words' hashes are rebuilt with the search hashes (rotate_keys --reindex).
        register_derived_index("requests.nametoken", name_index_rebuild)

        # A restore refuses a database that already holds requests, and checks the chain.
        backup.register_restore_checks(
            occupied=holds_requests, restored=history.check_restored_chain
        )
