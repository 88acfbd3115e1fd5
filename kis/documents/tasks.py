"""Background work of the documents app (``kis db_worker`` runs it; tests run it at once)."""

from __future__ import annotations

from crontask import cron  # type: ignore[import-untyped]
from django.tasks import task


@task
def build_batch(batch_id: int) -> None:
    """Render the PDFs of one batch into its ZIP file, counting progress as it goes."""
    from kis.documents import batches

    batches.run(batch_id)


@cron("15 3 * * *")  # type: ignore[untyped-decorator]
@task
def purge_old_batches() -> int:
    """Every night: delete the ZIP files of batches finished more than a week ago (personal data)."""
    from kis.documents import batches

    return batches.purge_old()
