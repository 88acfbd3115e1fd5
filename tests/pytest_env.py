"""Loaded with ``-p tests.pytest_env`` before pytest-django reads the settings."""

from __future__ import annotations

import os

os.environ.setdefault("KIS_DEBUG", "1")
os.environ.setdefault("KIS_TESTING", "1")
os.environ.setdefault("KIS_REQUIRE_MFA", "1")
# Playwright's sync API runs an event loop in the test thread (stack.md pitfall 6).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
