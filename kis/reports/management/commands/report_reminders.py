from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kis.reports import reminders


class Command(BaseCommand):
    help = (
        "E-mail the leaders of clubs whose annual report for last year is neither submitted nor accepted, "
        "at the office's first reminder, 7 days and 1 day before the deadline, and once after it. "
        "Each reminder goes once per club and year, so the command is safe to run daily from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="act as if today were this day (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="list the reminders without sending them")

    def handle(self, *args: Any, date: date | None, dry_run: bool, **options: Any) -> None:
        today = date or timezone.localdate()
        sent = reminders.send(today, dry_run=dry_run)
        for item in sent:
            self.stdout.write(f"{item.club.name}: {item.year}, {item.point}, deadline {item.deadline.isoformat()}")
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"{len(sent)} reminder(s) {verb}.")
