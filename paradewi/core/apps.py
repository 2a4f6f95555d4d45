from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "paradewi.core"
    label = "core"

    def ready(self) -> None:
        from paradewi.core import (
            jobs,  # noqa: F401 - registers the app's periodic jobs
            lookups,  # noqa: F401 - registers field__any_of
        )
