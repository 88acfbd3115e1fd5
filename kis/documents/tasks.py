"""Background work of the documents app (``kis db_worker`` runs it; tests run it at once)."""

from __future__ import annotations

from django.tasks import task


@task
def build_batch(batch_id: int) -> None:
    """Render the PDFs of one batch into its ZIP file, counting progress as it goes."""
    from kis.documents import batches

    batches.run(batch_id)
