from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "paradewi.core"
    label = "core"
