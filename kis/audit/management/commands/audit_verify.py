from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kis.audit.models import AuditEvent
from kis.audit.trail import verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit with status 1 and list the breaks if it is broken."

    def handle(self, *args: Any, **options: Any) -> None:
        breaks = list(verify())
        for item in breaks[:100]:
            self.stderr.write(f"event {item.seq}: {item.reason}")
        if breaks:
            raise CommandError(f"audit trail broken in {len(breaks)} place(s)", returncode=1)
        self.stdout.write(f"audit trail intact: {AuditEvent.objects.count()} events")
