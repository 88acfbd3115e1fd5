"""The ``kis`` console command: ``kis demo`` plus every Django management command."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kis.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        # The demo runs on SQLite with development settings; the second factor is optional there.
        os.environ.setdefault("KIS_DEBUG", "1")
        os.environ.setdefault("KIS_REQUIRE_MFA", "0")
        os.environ.setdefault("KIS_DB", "sqlite")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    if str(settings.DATABASES["default"]["ENGINE"]).endswith("sqlite3"):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
