from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from kis.clubs import demo
from kis.clubs.models import Territory
from kis.demo import activities as demo_activities
from kis.demo import documents as demo_documents
from kis.demo import participants as demo_participants
from kis.demo import registry as demo_registry
from kis.demo import reports as demo_reports


class Command(BaseCommand):
    help = (
        "Migrate the database, load the TERYT register and the demo data (once; later runs reuse them), "
        "print the demo logins and start the development server with a task worker beside it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare the data and exit")

    def handle(self, *args: Any, host: str, port: int, no_serve: bool, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("kis demo runs with KIS_DEBUG=1 only; it creates accounts with a known password.")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if not Territory.objects.exists():
            call_command("load_teryt", verbosity=0)
        if demo.is_loaded():
            self.stdout.write("Demo data already present: reusing it.")
        else:
            demo.load()
            self.stdout.write("Demo data loaded.")
        if not demo_participants.is_loaded():
            demo_participants.load()
            self.stdout.write("Demo participants loaded.")
        if not demo_activities.is_loaded():
            demo_activities.load()
            self.stdout.write("Demo activities, sessions, attendance and hours loaded.")
        for name, module in (("register", demo_registry), ("documents", demo_documents), ("reports", demo_reports)):
            if not module.is_loaded():
                module.load()
                self.stdout.write(f"Demo {name} loaded.")
        url = f"http://{host}:{port}/"
        with translation.override("pl"):
            lines = [f"  {login.email:<30} {login.role:<32} {login.scope}" for login in demo.logins()]
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"KIS demo: open {url}",
                    f"Every demo account has the password: {demo.DEMO_PASSWORD}",
                    *lines,
                    "",
                ]
            )
        )
        if not no_serve:
            if host not in settings.ALLOWED_HOSTS and host not in ("0.0.0.0", "::"):
                settings.ALLOWED_HOSTS.append(host)
            elif host in ("0.0.0.0", "::"):
                settings.ALLOWED_HOSTS.append("*")  # listening on every interface of a development machine
            # PDF batches and other background tasks need a worker: one beside the server, stopped with it.
            worker = subprocess.Popen([sys.executable, "-m", "kis.cli", "db_worker", "--no-reload", "-v", "0"])
            try:
                call_command("runserver", f"{host}:{port}", use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=10)
