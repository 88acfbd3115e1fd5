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
     "Group 4 read 'chorzy psychicznie' until 2022. The list is illustrative ('w szczególności')."),
    ("kis.target_groups", AMENDMENT_2022, None, {"groups": GROUPS, "other_allowed": True},
     "art. 1 ust. 2 u.z.s. (t.j. Dz.U. 2025 poz. 83)", "P",
     "In force probably from 15.02.2022 (Dz.U. 2022 poz. 218); the list is illustrative."),
    ("kis.general_clause", AMENDMENT_2007, date(2022, 2, 14), {"poverty_required": True},
     "art. 1 ust. 2 u.z.s. (before Dz.U. 2022 poz. 218)", "C", "The clause also required a situation causing poverty."),
    ("kis.general_clause", AMENDMENT_2022, None, {"poverty_required": False},
     "art. 1 ust. 2 u.z.s. (t.j. Dz.U. 2025 poz. 83)", "P", ""),
    ("kis.excluded_benefits", AMENDMENT_2007, date(2022, 2, 14), {"benefits": BENEFITS, "kis_exceptions": []},
     "art. 1 ust. 3 u.z.s.", "P", "It is the right to a benefit that excludes, not its receipt."),
    ("kis.excluded_benefits", AMENDMENT_2022, None,
     {"benefits": BENEFITS, "kis_exceptions": ["incapacity_pension"]},
     "art. 1 ust. 3 i 3a u.z.s. (t.j. Dz.U. 2025 poz. 83)", "P",
     "Since 2022 a person with an incapacity-for-work pension may take part in a KIS (not a CIS)."),
    ("kis.contract_required", AMENDMENT_2007, None, {"required": True},
     "art. 18 ust. 4 u.z.s.", "C", "Participation requires carrying out a social contract (u.p.s. art. 108)."),
    ("kis.certificate", AMENDMENT_2007, date(2022, 2, 14), {"mandatory": False},
     "art. 18 ust. 5a u.z.s. (before 2022)", "C", "Certificate only on request, after positive completion."),
    ("kis.certificate", AMENDMENT_2022, None, {"mandatory": True},
     "art. 18 ust. 5a u.z.s.", "P", "Issued at once ('niezwłocznie') by the operator when participation ends."),
    ("kis.graduate_min_months", AMENDMENT_2007, None, {"months": 6},
     "art. 2 u.z.s. (absolwent KIS)", "U", "Point number in art. 2 not confirmed."),
    ("kis.follow_up_months", AMENDMENT_2007, None, {"months": [1, 3, 6, 12]},
     "practice; ESF monitoring (4 weeks, 6 months)", "P", "Follow-up points after the end of participation."),
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
