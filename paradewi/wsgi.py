"""WSGI entry point (gunicorn paradewi.wsgi). Configuration comes from the environment."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradewi.settings")

application = get_wsgi_application()
