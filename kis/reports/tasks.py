"""Periodic work of the reports app: `kis crontask` schedules it, `kis db_worker` runs it."""

from __future__ import annotations

from crontask import cron  # type: ignore[import-untyped]
from django.tasks import task
from django.utils import timezone


@cron("0 7 * * *")  # type: ignore[untyped-decorator]
@task
def send_report_reminders() -> int:
    """Every morning: e-mail the leaders of clubs whose report for last year is due soon or late."""
    from kis.reports import reminders

    return len(reminders.send(timezone.localdate()))


@task
def render_submission_pdf(submission_id: int) -> None:
    """The PDF of a submitted report, made from its frozen snapshot."""
    from kis.reports.models import ReportSubmission
    from kis.reports.services import ensure_pdf

    submission = (
        ReportSubmission.objects.select_related("report__club", "submitted_by").filter(pk=submission_id).first()
    )
    if submission is not None:
        ensure_pdf(submission)
