"""Test-only overrides live here, not in a second settings file (style.md §5)."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# CI machines share 2 cores with the browser and PostgreSQL: time limits per example would flake.
hypothesis_settings.register_profile("kis", deadline=None)
hypothesis_settings.load_profile("kis")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher(django_test_environment: None) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate-limit counters in memory, cleared before each test.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters must not leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db: None) -> Any:
    from kis.lib.testing import make_world

    return make_world()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="browser tests need Debian's chromium: apt-get install -y chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    return {"locale": "pl-PL", "viewport": {"width": 1280, "height": 900}}
