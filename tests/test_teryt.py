from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from kis.clubs.models import Territory


def test_the_bundled_register_has_every_unit(db: None) -> None:
    call_command("load_teryt")
    assert Territory.objects.filter(level="voivodeship").count() == 16
    assert Territory.objects.filter(level="powiat").count() == 380
    assert Territory.objects.filter(level="gmina").count() == 2479
    nowy_sacz = Territory.objects.get(code="1262011")
    assert (nowy_sacz.name, nowy_sacz.voivodeship, nowy_sacz.powiat_name) == ("Nowy Sącz", "12", "Nowy Sącz")


def test_a_newer_file_updates_and_retires_units(db: None, tmp_path: Path) -> None:
    call_command("load_teryt")
    newer = tmp_path / "TERC.csv"
    newer.write_text(
        "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n"
        "12;;;;MAŁOPOLSKIE;województwo;2026-01-01\n"
        "12;62;;;Nowy Sącz;miasto na prawach powiatu;2026-01-01\n"
        "12;62;01;1;Nowy Sącz;gmina miejska;2026-01-01\n",
        encoding="utf-8",
    )
    call_command("load_teryt", str(newer))
    assert Territory.objects.get(code="1262011").is_current
    assert not Territory.objects.get(code="0201011").is_current  # kept for old addresses, no longer offered
    assert not Territory.objects.gminas().filter(code="0201011").exists()


def test_a_malformed_file_is_refused_with_a_message(db: None, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not a TERC file"):
        call_command("load_teryt", str(bad))
    assert not Territory.objects.exists()


def test_gmina_search_ignores_case_and_diacritics(world: Any, settings: Any) -> None:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(world.bartek)
    body = client.get("/teryt/gminy/", {"q": "WOLOMIN"}).content.decode()
    assert "Wołomin" in body
    assert "1434123" in body
    assert client.get("/teryt/gminy/", {"q": "sącz"}).content.decode().count("<option") == 2
