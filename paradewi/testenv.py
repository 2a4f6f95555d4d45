"""Loaded by pytest (`-p paradewi.testenv`) before Django is set up: the test environment."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# Encryption at rest with fixed test keys ("t2" second, so rotation tests can put it first).
os.environ.setdefault(
    "ENCRYPTION_KEYS",
    "t1:dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LW51bWJlcjE,t2:dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LW51bWJlcjI",
)
os.environ.setdefault("SEARCH_INDEX_KEY", "dGVzdC1vbmx5LXNlYXJjaC1pbmRleC1rZXktMzJieXQ")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests
# The test client and the live server speak plain http on loopback.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
