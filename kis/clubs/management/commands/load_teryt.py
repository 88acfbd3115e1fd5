from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kis.clubs.teryt import load_terc
from kis.lib.teryt import BUNDLED_TERC


class Command(BaseCommand):
    help = (
        "Load the GUS TERC register (voivodeships, powiats, gminas) from the bundled file or from PATH. "
        "Units missing from the new file are kept, marked as no longer current."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=BUNDLED_TERC, help="a TERC_Urzedowy CSV file")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = load_terc(path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(
            f"TERYT state {result.valid_on}: {result.created} new, {result.updated} updated, "
            f"{result.retired} no longer current."
        )
