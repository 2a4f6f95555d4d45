"""Fixtures every app's tests share.

The reference data every scenario stands on, the regions of Kabupaten Mojokerto (with every
provinsi and kabupaten/kota, about 900 rows) and the service catalogue, is loaded once per test
database, when it is created, not once per test: each test runs inside a transaction that is
rolled back, so it finds the data as loaded. A test that runs outside such a transaction
(`transactional_db`, `live_server`, `django_db(transaction=True)`) empties every table when it
ends; the data is then loaded again before the next test (`pytest_runtest_teardown`). A test of
the loaders themselves starts from empty tables with `empty_regions` / `empty_catalogue`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.cache import cache, caches
from django.utils import translation
from pytest_django import DjangoDbBlocker

from paradewi.testing import REGENCY, Client, Personas, load_mojokerto, make_personas


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> None:
    """The test database (one per xdist worker), migrated, with the reference data loaded."""
    with django_db_blocker.unblock():
        load_reference_data()
    request.config.stash[_db_blocker] = django_db_blocker


_db_blocker = pytest.StashKey[DjangoDbBlocker]()


def load_reference_data() -> None:
    from paradewi.catalogue.services import catalogue_load

    load_mojokerto()
    catalogue_load()


def _empties_the_database(item: pytest.Item) -> bool:
    """Whether the test ran as a TransactionTestCase, which flushes every table at its end
    (the rule of pytest-django's `_django_db_helper`)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction", False) or marker.kwargs.get("reset_sequences", False)
    ):
        return True
    names = getattr(item, "fixturenames", ())
    return any(
        name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    yield
    # After the last test the test database is gone (and the settings name the real one again).
    if nextitem is not None and _empties_the_database(item):
        with item.config.stash[_db_blocker].unblock():
            load_reference_data()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: LazySettings, tmp_path: Path) -> Iterator[None]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        "default": {
            "BACKEND": "paradewi.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "l"},
    }
    cache.clear()
    caches["local"].clear()
    # Code called directly by a test speaks English, so assertions read like the source;
    # requests through the test client get Indonesian by default, as real users do.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _live_server_quiet_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """A browser test ends only when the live server has answered every request it received.

    A page closed while the browser was still fetching (a thumbnail, say) leaves the server
    thread working on the database; the flush at the test's end would then meet it, fail, and
    leave the next test a half-emptied database. Set up after the database fixture, so this
    waits before the flush.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    import threading
    import time

    for thread in threading.enumerate():
        if "process_request_thread" in thread.name and thread is not threading.current_thread():
            for _ in range(100):
                try:
                    thread.join(timeout=30)
                    break
                except RuntimeError:  # listed, but not started yet: give it a moment
                    time.sleep(0.01)


@pytest.fixture
def client() -> Client:
    """pytest-django's client, whose force_login also passes the two-factor step."""
    return Client()


@pytest.fixture
def regions(db: None) -> None:
    """The regions of Kabupaten Mojokerto (and every provinsi and kabupaten/kota).

    Loaded with the test database already; loaded here only if a test before emptied them.
    """
    from paradewi.regions.models import Region

    if not Region.objects.filter(code=REGENCY).exists():
        load_mojokerto()


@pytest.fixture
def empty_regions(db: None) -> None:
    """No region at all, as before the first `load_regions` (inside the test's transaction)."""
    from paradewi.regions.models import Region

    levels = Region.Level
    for level in (levels.VILLAGE, levels.DISTRICT, levels.REGENCY, levels.PROVINCE):
        Region.objects.filter(level=level).delete()  # children first: parents are protected


@pytest.fixture
def empty_catalogue(db: None) -> None:
    """No service at all, as before the first `load_catalogue` (inside the test's transaction)."""
    from paradewi.catalogue.models import Service, ServiceVersion

    ServiceVersion.objects.all().delete()  # protects its service
    Service.objects.all().delete()


@pytest.fixture
def personas(regions: None) -> Personas:
    return make_personas()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the whole test session."""
    from paradewi.core.browser import launch

    with launch() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
