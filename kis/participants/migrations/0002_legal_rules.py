"""The legal parameters of participation in force since 2007, as dated rules (domain.md §0.1, §1).

Dates marked [P]/[U] in domain.md are "probable"/"uncertain" here too; the UI shows the mark.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import migrations

GROUPS = [
    "homeless_ipwb",
    "alcohol_addiction",
    "drug_addiction",
    "mental_disorder",
    "long_term_unemployed",
    "ex_prisoner",
    "refugee_ipi",
    "disability",
]
BENEFITS = [
    "unemployment_benefit",
    "pre_retirement_allowance",
    "pre_retirement_benefit",
    "structural_pension",
    "incapacity_pension",
    "old_age_pension",
    "teacher_compensation",
]
AMENDMENT_2007 = date(2007, 7, 15)
AMENDMENT_2022 = date(2022, 2, 15)

RULES = [
    ("kis.target_groups", AMENDMENT_2007, date(2022, 2, 14), {"groups": GROUPS, "other_allowed": True},
     "art. 1 ust. 2 u.z.s. (Dz.U. 2003 nr 122 poz. 1143 ze zm.)", "P",
     "Do 2022 r. grupa 4 brzmiała „chorzy psychicznie”. Wyliczenie jest przykładowe („w szczególności”)."),
    ("kis.target_groups", AMENDMENT_2022, None, {"groups": GROUPS, "other_allowed": True},
     "art. 1 ust. 2 u.z.s. (t.j. Dz.U. 2025 poz. 83)", "P",
     "Obowiązuje prawdopodobnie od 15.02.2022 (Dz.U. 2022 poz. 218); wyliczenie jest przykładowe."),
    ("kis.general_clause", AMENDMENT_2007, date(2022, 2, 14), {"poverty_required": True},
     "art. 1 ust. 2 u.z.s. (przed Dz.U. 2022 poz. 218)", "C", "Klauzula wymagała też sytuacji powodującej ubóstwo."),
    ("kis.general_clause", AMENDMENT_2022, None, {"poverty_required": False},
     "art. 1 ust. 2 u.z.s. (t.j. Dz.U. 2025 poz. 83)", "P", ""),
    ("kis.excluded_benefits", AMENDMENT_2007, date(2022, 2, 14), {"benefits": BENEFITS, "kis_exceptions": []},
     "art. 1 ust. 3 u.z.s.", "P", "Wyklucza prawo do świadczenia, a nie jego pobieranie."),
    ("kis.excluded_benefits", AMENDMENT_2022, None,
     {"benefits": BENEFITS, "kis_exceptions": ["incapacity_pension"]},
     "art. 1 ust. 3 i 3a u.z.s. (t.j. Dz.U. 2025 poz. 83)", "P",
     "Od 2022 r. osoba z rentą z tytułu niezdolności do pracy może uczestniczyć w KIS (nie w CIS)."),
    ("kis.contract_required", AMENDMENT_2007, None, {"required": True},
     "art. 18 ust. 4 u.z.s.", "C", "Uczestnictwo wymaga realizacji kontraktu socjalnego (art. 108 u.p.s.)."),
    ("kis.certificate", AMENDMENT_2007, date(2022, 2, 14), {"mandatory": False},
     "art. 18 ust. 5a u.z.s. (przed 2022)", "C", "Zaświadczenie tylko na wniosek, po pozytywnym ukończeniu."),
    ("kis.certificate", AMENDMENT_2022, None, {"mandatory": True},
     "art. 18 ust. 5a u.z.s.", "P", "Wydawane niezwłocznie przez podmiot prowadzący po zakończeniu uczestnictwa."),
    ("kis.graduate_min_months", AMENDMENT_2007, None, {"months": 6},
     "art. 2 u.z.s. (absolwent KIS)", "U", "Numer punktu w art. 2 niepotwierdzony."),
    ("kis.follow_up_months", AMENDMENT_2007, None, {"months": [1, 3, 6, 12]},
     "praktyka; monitoring EFS (4 tygodnie, 6 miesięcy)", "P", "Terminy monitoringu po zakończeniu uczestnictwa."),
]


def add_rules(apps: Any, schema_editor: Any) -> None:
    LegalRule = apps.get_model("participants", "LegalRule")
    for code, valid_from, valid_to, value, source, confidence, note in RULES:
        LegalRule.objects.update_or_create(
            code=code,
            valid_from=valid_from,
            defaults={"valid_to": valid_to, "value": value, "source": source, "confidence": confidence, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
