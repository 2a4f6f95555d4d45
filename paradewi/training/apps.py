from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Training mode ("Latihan"): practice requests in the real installation, the scenarios
    that play the kecamatan and the Dinas, the progress of the officers, help (docs/training.md)."""

    name = "paradewi.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from paradewi.core import backup
        from paradewi.requests import events
        from paradewi.training import services

        # The scenario answers a practice request's submission and notes its hand-over.
        events.subscribe_practice(services.scenario_react)
        # Every backup says whether it holds practice data, and how much.
        backup.register_manifest_note("practice", services.practice_backup_note)
