"""Reminders of the annual report's deadline to the leaders of clubs that have not submitted.

The rule: for the reports of last year, a club whose report is neither submitted nor accepted gets
one e-mail to each of its leaders at each point it reaches: ``remind_days`` before the deadline
(the office's setting, 14 by default), 7 days before, 1 day before, and once after the deadline.
A point is sent once per club and year (``ReportReminder``), so running the job twice a day, or
after a missed day, sends nothing twice and skips nothing.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from kis import audit
from kis.accounts.models import Grant, Role
from kis.clubs.models import Club
from kis.lib.teryt import Voivodeship
from kis.reports.models import AnnualReport, ReportReminder
from kis.reports.services import deadline_settings, region_status

logger = logging.getLogger(__name__)
LATE = "late"


def point_for(days_left: int, remind_days: int) -> str | None:
    """The reminder point a club is at, ``days_left`` days before its deadline (negative: after it)."""
    if days_left < 0:
        return LATE
    points = sorted({p for p in (remind_days, 7, 1) if p <= remind_days})
    for point in points:
        if days_left <= point:
            return f"d{point}"
    return None


@dataclass(frozen=True)
class Due:
    club: Club
    year: int
    deadline: date
    point: str
    report: AnnualReport | None


def due(today: date) -> list[Due]:
    """Clubs to remind today about the reports of last year (nothing sent yet at their point)."""
    year = today.year - 1
    codes = [code for code, _name in Voivodeship.choices]
    offices = deadline_settings(codes)
    sent = set(ReportReminder.objects.filter(year=year).values_list("club_id", "point"))
    result = []
    for row in region_status(codes, year, today=today):
        if row.report is not None and row.report.is_counted:
            continue
        point = point_for((row.deadline - today).days, offices[row.club.voivodeship].remind_days)
        if point is None or (row.club.pk, point) in sent:
            continue
        result.append(Due(row.club, year, row.deadline, point, row.report))
    return result


def send(today: date, *, dry_run: bool = False) -> list[Due]:
    """Send today's reminders; returns what was (or, with ``dry_run``, would be) sent."""
    reminders = due(today)
    if dry_run:
        return reminders
    for item in reminders:
        leaders = list(
            Grant.objects.active()
            .filter(club=item.club, role=Role.LEADER, user__is_active=True)
            .select_related("user")
            .order_by("user__email")
        )
        try:
            with transaction.atomic():
                ReportReminder.objects.create(club=item.club, year=item.year, point=item.point, recipients=len(leaders))
                audit.record(
                    None, "report.reminder_sent", item.club, year=item.year, point=item.point, recipients=len(leaders)
                )
        except IntegrityError:
            continue  # another run sent it a moment ago
        with translation.override("pl"):
            context = {"item": item, "late": item.point == LATE, "site_url": settings.SITE_URL.rstrip("/")}
            subject = render_to_string("reports/email/reminder_subject.txt", context).strip()
            body = render_to_string("reports/email/reminder.txt", context)
        for grant in leaders:
            try:
                send_mail(subject, body, None, [grant.user.email])
            except (OSError, smtplib.SMTPException):
                logger.exception("report reminder to %s not sent", grant.user.email)
    return reminders
