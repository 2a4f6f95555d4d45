"""Loaded by pytest (`-p paradewi.testenv`) before Django is set up: the test environment."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests
# The test client and the live server speak plain http on loopback.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
