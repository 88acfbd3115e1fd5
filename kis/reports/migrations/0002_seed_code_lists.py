"""Initial members of the CAS 01 code lists: a working proposal [U] until the ministry's lists are known.

The labels follow art. 1 ust. 2 and art. 18 ust. 2 and 6 u.z.s.; the lists stay editable on the
"Code lists" page, and a submitted report keeps the labels it was made with.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.migrations.state import StateApps

FUNDING = [
    ("eu_esf", "środki Unii Europejskiej (EFS+)"),
    ("gmina_own", "dotacja z dochodów własnych gminy"),
    ("gmina_alcohol", "gminny program profilaktyki i rozwiązywania problemów alkoholowych"),
    ("state_budget", "dotacja z budżetu państwa (programy rządowe)"),
    ("labour_fund", "Fundusz Pracy"),
    ("other", "inne źródła"),
]

GROUPS = [
    ("homeless", "osoby bezdomne realizujące indywidualny program wychodzenia z bezdomności", ["homeless_ipwb"]),
    ("alcohol", "osoby uzależnione od alkoholu", ["alcohol_addiction"]),
    ("drugs", "osoby uzależnione od narkotyków lub innych środków odurzających", ["drug_addiction"]),
    ("mental", "osoby z zaburzeniami psychicznymi", ["mental_disorder"]),
    ("long_term_unemployed", "osoby długotrwale bezrobotne", ["long_term_unemployed"]),
    ("ex_prisoners", "osoby zwalniane z zakładów karnych", ["ex_prisoner"]),
    ("refugees", "uchodźcy realizujący indywidualny program integracji", ["refugee_ipi"]),
    ("disabled", "osoby niepełnosprawne", ["disability"]),
    ("other", "inne osoby wykluczone społecznie", ["other"]),
]

FORMS = [
    ("self_employment", "samozatrudnienie (własna działalność gospodarcza)", ["employed"], ["self_employed"]),
    ("employment", "zatrudnienie (umowa o pracę, umowa cywilnoprawna, praca subsydiowana)", ["employed"], []),
    ("cis", "uczestnictwo w centrum integracji społecznej (CIS)", ["to_cis"], []),
    ("social_cooperative", "spółdzielnia socjalna (założenie lub przystąpienie)", ["to_social_cooperative"], []),
    ("education", "kontynuacja nauki lub szkolenia", [], []),
    ("none", "ukończenie bez podjęcia innej aktywności", ["completed"], []),
]

CATEGORIES = [
    ("social", "counselling", "poradnictwo prawne i pomoc w sprawach socjalnych", ["legal_counselling", "self_help"]),
    ("social", "psychological", "wsparcie psychologiczne i grupy wsparcia", ["psychological_support", "support_group"]),
    ("social", "integration", "działania integracyjne i kulturalne", ["integration_event"]),
    ("social", "digital", "dostęp do komputera i internetu", ["computer_access"]),
    ("vocational", "job_search", "pomoc w poszukiwaniu pracy i poradnictwo zawodowe", ["job_search_support", "career_counselling"]),
    ("vocational", "training", "warsztaty zawodowe i szkolenia", ["vocational_workshop"]),
    ("vocational", "psu", "prace społecznie użyteczne", ["psu"]),
    ("vocational", "public_works", "roboty publiczne", ["public_works"]),
    ("vocational", "traineeship", "staże", ["traineeship"]),
]


def seed(apps: StateApps, schema_editor: Any) -> None:
    FundingKind = apps.get_model("reports", "FundingKind")
    ParticipantGroup = apps.get_model("reports", "ParticipantGroup")
    CompletionForm = apps.get_model("reports", "CompletionForm")
    ServiceCategory = apps.get_model("reports", "ServiceCategory")
    for position, (code, label) in enumerate(FUNDING, start=1):
        FundingKind.objects.get_or_create(code=code, defaults={"label": label, "position": position})
    for position, (code, label, groups) in enumerate(GROUPS, start=1):
        ParticipantGroup.objects.get_or_create(
            code=code, defaults={"label": label, "position": position, "target_groups": groups}
        )
    for position, (code, label, reasons, kinds) in enumerate(FORMS, start=1):
        CompletionForm.objects.get_or_create(
            code=code,
            defaults={"label": label, "position": position, "exit_reasons": reasons, "employment_kinds": kinds},
        )
    for position, (kind, code, label, types) in enumerate(CATEGORIES, start=1):
        ServiceCategory.objects.get_or_create(
            kind=kind, code=code, defaults={"label": label, "position": position, "activity_types": types}
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_annual_reports")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
