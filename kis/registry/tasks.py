"""Periodic work of the register (``kis crontask`` schedules it, ``kis db_worker`` runs it)."""

from __future__ import annotations

from crontask import cron  # type: ignore[import-untyped]
from django.tasks import task


@cron("30 3 * * *")  # type: ignore[untyped-decorator]
@task
def purge_old_imports() -> int:
    """Every night: delete uploaded register lists older than two days (the import rows stay)."""
    from kis.registry import importer

    return importer.purge_old_files()
