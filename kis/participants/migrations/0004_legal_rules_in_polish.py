"""Re-apply the legal rules of 0002: their sources and notes, shown to users, are now in Polish."""

from __future__ import annotations

import importlib

from django.db import migrations

rules = importlib.import_module("kis.participants.migrations.0002_legal_rules")


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_documents_encrypted_at_rest")]
    operations = [migrations.RunPython(rules.add_rules, migrations.RunPython.noop)]
