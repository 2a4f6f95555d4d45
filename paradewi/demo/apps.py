from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo accounts and data for `make run`; refuses to run outside demo mode."""

    name = "paradewi.demo"
    label = "demo"
