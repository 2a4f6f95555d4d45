from __future__ import annotations

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse


def test_the_stylesheet_and_vendored_htmx_are_found():
    assert finders.find("css/app.css")
    assert finders.find("vendor/htmx/htmx-2.0.11.min.js")
    assert finders.find("vendor/htmx/LICENSE")


def test_pages_render_with_the_production_static_storage(client, regions, settings, tmp_path):
    """collectstatic with fingerprinted names, then a page links the hashed files."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    content = client.get(reverse("index")).content.decode()
    assert "/static/css/app." in content
    assert ".css" in content
    assert "/static/css/app.css" not in content  # the fingerprinted name is used
