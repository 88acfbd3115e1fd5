"""Socially useful work (PSU): dated caps and rates (domain.md §2.3).

Under the old act (UPZ art. 73a): ≤ 10 h a week [C], ≤ 40 h a month [C], the hourly rate
valorised on 1 June (10.90 zł from 1.06.2023 [C], 12.20 zł from 1.06.2024 [P]), a Labour
Fund refund of up to 60 % [C]. From 1.06.2025 (URPSZ) agreements signed before continue at the
31.05.2025 rate; the new caps and formula are not confirmed [U]: the rows below carry the old
values forward, marked uncertain, for an operator to replace with a new dated row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import migrations

UPZ = "art. 73a UPZ (Dz.U. 2024 poz. 475 ze zm.)"
URPSZ = "URPSZ (Dz.U. 2025 poz. 620): wartości niepotwierdzone"
BEFORE_URPSZ = date(2025, 5, 31)
URPSZ_START = date(2025, 6, 1)

RULES = [
    ("psu.max_hours_week", date(2014, 5, 27), BEFORE_URPSZ, 10, UPZ, "C", ""),
    ("psu.max_hours_week", URPSZ_START, None, 10, URPSZ, "U", "Przeniesione ze starej ustawy do czasu potwierdzenia."),
    ("psu.max_hours_month", date(2014, 5, 27), BEFORE_URPSZ, 40, UPZ, "C", ""),
    ("psu.max_hours_month", URPSZ_START, None, 40, URPSZ, "U", "Przeniesione ze starej ustawy do czasu potwierdzenia."),
    ("psu.hourly_rate", date(2023, 6, 1), date(2024, 5, 31), "10.90", "art. 73a ust. 4 UPZ, obwieszczenie MRiPS", "C", ""),
    ("psu.hourly_rate", date(2024, 6, 1), BEFORE_URPSZ, "12.20", "art. 73a ust. 4 UPZ (waloryzacja o 11,4 %)", "P",
     "10,90 × 1,114, w górę do 10 gr; do potwierdzenia."),
    ("psu.hourly_rate", URPSZ_START, None, "12.20", URPSZ, "U",
     "Według ministerstwa porozumienia sprzed 1.06.2025 zachowują stawkę z 31.05.2025 bez waloryzacji."),
    ("psu.refund_share", date(2014, 5, 27), BEFORE_URPSZ, "0.60", "art. 73a ust. 5 UPZ (refundacja z Funduszu Pracy do 60 %)", "C", ""),
    ("psu.refund_share", URPSZ_START, None, "0.60", URPSZ, "U", "Przeniesione ze starej ustawy do czasu potwierdzenia."),
]


def add_rules(apps: Any, schema_editor: Any) -> None:
    LegalRule = apps.get_model("participants", "LegalRule")
    for code, valid_from, valid_to, value, source, confidence, note in RULES:
        LegalRule.objects.update_or_create(
            code=code,
            valid_from=valid_from,
            defaults={"valid_to": valid_to, "value": {"value": value}, "source": source, "confidence": confidence,
                      "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial"), ("participants", "0002_legal_rules")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
