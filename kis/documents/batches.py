"""Batches: many PDFs of a club made by a background task, with progress, downloaded as one ZIP.

``start`` records the batch and queues the task; the task calls ``run``, which renders one PDF
at a time and counts ``done`` after each, so the page can show a progress bar.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from kis import audit
from kis.activities.models import Activity, Session
from kis.activities.services_work import day_range, month_bounds
from kis.clubs.models import Club
from kis.documents import content
from kis.documents.models import DocumentBatch
from kis.documents.pdf import render_pdf
from kis.participants.models import Certificate, Participant

logger = logging.getLogger(__name__)

Item = Callable[[dict[str, Any]], content.Prepared]


def items(batch: DocumentBatch) -> list[Item]:
    """One callable per PDF of the batch, each taking the club's letterhead."""
    club = batch.club
    if batch.kind == DocumentBatch.Kind.CERTIFICATES_YEAR:
        certificates = (
            Certificate.objects.filter(club=club, year=batch.period.year)
            .select_related("participant", "participant__club", "participant__club__operator")
            .order_by("serial")
        )
        return [partial(_certificate, c.participant) for c in certificates]
    first, last = month_bounds(batch.period.year, batch.period.month)
    start, end = day_range(first, last)
    sessions = list(
        Session.objects.filter(activity__club=club, starts_at__gte=start, starts_at__lt=end, cancelled=False)
        .select_related("activity", "activity__club", "activity__club__operator", "room", "staff")
        .order_by("starts_at", "pk")
    )
    activities = sorted({s.activity_id: s.activity for s in sessions}.values(), key=lambda a: (a.name, a.pk))
    monthly: list[Item] = [
        partial(_activity_month, activity, batch.period, [s for s in sessions if s.activity_id == activity.pk])
        for activity in activities
    ]
    per_session: list[Item] = [partial(_session, session) for session in sessions]
    return monthly + per_session


def _certificate(participant: Participant, head: dict[str, Any]) -> content.Prepared:
    return content.certificate(participant, letterhead=head)


def _activity_month(activity: Activity, month: date, sessions: list[Session], head: dict[str, Any]) -> content.Prepared:
    return content.activity_month_list(activity, month, letterhead=head, sessions=sessions)


def _session(session: Session, head: dict[str, Any]) -> content.Prepared:
    return content.session_list(session, letterhead=head)


@transaction.atomic
def start(*, club: Club, kind: str, period: date, by: Any) -> tuple[DocumentBatch, bool]:
    """The batch for ``kind`` and ``period``: one already in progress, or a new one (then ``True``)."""
    running = DocumentBatch.objects.filter(
        club=club, kind=kind, period=period, status__in=[DocumentBatch.Status.QUEUED, DocumentBatch.Status.RUNNING]
    ).first()
    if running is not None:
        return running, False
    batch = DocumentBatch.objects.create(club=club, kind=kind, period=period, created_by=by)
    audit.record(by, "document.batch_started", batch, kind=kind, period=batch.period_label)
    return batch, True


def enqueue(batch: DocumentBatch) -> None:
    """Queue the task (the test settings run it at once, inside this call)."""
    from kis.documents.tasks import build_batch

    build_batch.enqueue(batch.pk)


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        stem = name[:-4]
        candidate, number = f"{stem}-{number}.pdf", number + 1
    taken.add(candidate)
    return candidate


def run(batch_id: int) -> None:
    """Render every PDF of the batch into one ZIP file, counting progress; failures are recorded."""
    batch = DocumentBatch.objects.select_related("club", "club__operator").get(pk=batch_id)
    if batch.status != DocumentBatch.Status.QUEUED:
        return
    try:
        with translation.override("pl"):
            _run(batch)
    except Exception as error:
        logger.exception("document batch %s failed", batch_id)
        DocumentBatch.objects.filter(pk=batch_id).update(
            status=DocumentBatch.Status.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )


def _run(batch: DocumentBatch) -> None:
    work = items(batch)
    DocumentBatch.objects.filter(pk=batch.pk).update(status=DocumentBatch.Status.RUNNING, total=len(work), done=0)
    head = content.letterhead_for(batch.club)
    taken: set[str] = set()
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
            for item in work:
                prepared = item(head)
                if not prepared.missing:
                    pdf = render_pdf(prepared.template, {"doc": prepared.context}, title=prepared.title)
                    archive.writestr(_unique(content.file_name(prepared), taken), pdf)
                DocumentBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
        size = handle.tell()
        handle.seek(0)
        batch.refresh_from_db()
        batch.file.save(f"{batch.pk}.zip", File(handle), save=False)
    batch.size, batch.status, batch.finished_at = size, DocumentBatch.Status.DONE, timezone.now()
    batch.save(update_fields=["file", "size", "status", "finished_at"])


# ZIPs hold personal data and are made again in seconds: keep them for a week only.
KEEP_DAYS = 7


def purge_old(*, now: datetime | None = None) -> int:
    """Delete the ZIP files of batches finished more than ``KEEP_DAYS`` ago; return how many."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    old = list(DocumentBatch.objects.filter(finished_at__lt=cutoff).exclude(file=""))
    for batch in old:
        batch.file.delete(save=False)
        batch.size = 0
        batch.save(update_fields=["file", "size"])
    return len(old)
