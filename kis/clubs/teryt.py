"""Loading the GUS TERC register into ``Territory`` (bundled file or a newer one from GUS)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from kis.clubs.models import Territory
from kis.lib.teryt import read_terc
from kis.lib.text import fold


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    retired: int
    valid_on: str


@transaction.atomic
def load_terc(path: Path) -> LoadResult:
    """Upsert every unit of the file; units missing from it stay (addresses use them) but retire."""
    rows = list(read_terc(path))
    powiats = {row.code: row.name for row in rows if row.level == "powiat"}
    voivodeships = {row.code: row.name for row in rows if row.level == "voivodeship"}
    existing = set(Territory.objects.values_list("code", flat=True))
    seen: set[str] = set()
    to_create: list[Territory] = []
    to_update: list[Territory] = []
    for row in rows:
        powiat = powiats.get(row.code[:4], "") if len(row.code) == 7 else ""
        unit = Territory(
            code=row.code,
            level=row.level,
            name=row.name,
            kind=row.kind,
            voivodeship=row.code[:2],
            powiat_name=powiat,
            search_text=fold(f"{row.name} {powiat} {voivodeships.get(row.code[:2], '')} {row.code}")[:300],
            valid_on=row.valid_on,
            is_current=True,
        )
        seen.add(row.code)
        (to_update if row.code in existing else to_create).append(unit)
    Territory.objects.bulk_create(to_create, batch_size=1000)
    Territory.objects.bulk_update(
        to_update,
        ["level", "name", "kind", "voivodeship", "powiat_name", "search_text", "valid_on", "is_current"],
        batch_size=1000,
    )
    retired = Territory.objects.exclude(code__in=seen).filter(is_current=True).update(is_current=False)
    valid_on = rows[0].valid_on.isoformat() if rows else ""
    return LoadResult(created=len(to_create), updated=len(to_update), retired=retired, valid_on=valid_on)
