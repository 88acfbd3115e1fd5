"""TERYT (GUS) territorial codes: parsing the official TERC file and the 16 voivodeships."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

BUNDLED_TERC = Path(__file__).resolve().parent.parent / "data" / "teryt" / "TERC.csv"
TERC_HEADER = ["WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA"]


class Voivodeship(models.TextChoices):
    """The 16 voivodeships with their TERYT codes (domain.md §7.6)."""

    DOLNOSLASKIE = "02", "dolnośląskie"
    KUJAWSKO_POMORSKIE = "04", "kujawsko-pomorskie"
    LUBELSKIE = "06", "lubelskie"
    LUBUSKIE = "08", "lubuskie"
    LODZKIE = "10", "łódzkie"
    MALOPOLSKIE = "12", "małopolskie"
    MAZOWIECKIE = "14", "mazowieckie"
    OPOLSKIE = "16", "opolskie"
    PODKARPACKIE = "18", "podkarpackie"
    PODLASKIE = "20", "podlaskie"
    POMORSKIE = "22", "pomorskie"
    SLASKIE = "24", "śląskie"
    SWIETOKRZYSKIE = "26", "świętokrzyskie"
    WARMINSKO_MAZURSKIE = "28", "warmińsko-mazurskie"
    WIELKOPOLSKIE = "30", "wielkopolskie"
    ZACHODNIOPOMORSKIE = "32", "zachodniopomorskie"


GMINA_CODE = re.compile(r"^\d{7}$")


def validate_gmina_code(value: str) -> str:
    code = (value or "").strip()
    if not GMINA_CODE.match(code) or code[:2] not in Voivodeship.values or code[6] not in "123":
        raise ValidationError(
            _("A TERYT gmina code has 7 digits: voivodeship, powiat, gmina and type 1–3."),
            code="teryt_format",
        )
    return code


@dataclass(frozen=True)
class TercRow:
    code: str  # 2 digits (voivodeship), 4 (powiat) or 7 (gmina, with RODZ)
    level: str  # "voivodeship", "powiat", "gmina", "part"
    name: str
    kind: str
    valid_on: date


def read_terc(path: Path) -> Iterator[TercRow]:
    """Yield the rows of a GUS TERC "urzędowy" CSV file; raise ValueError on a malformed file."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader, None)
        if header != TERC_HEADER:
            raise ValueError(f"not a TERC file: header {header!r}")
        for line, row in enumerate(reader, start=2):
            if len(row) != 7:
                raise ValueError(f"line {line}: expected 7 columns, got {len(row)}")
            woj, pow_, gmi, rodz, name, kind, valid_on = row
            if not pow_:
                yield TercRow(woj, "voivodeship", name.lower(), kind, date.fromisoformat(valid_on))
            elif not gmi:
                yield TercRow(woj + pow_, "powiat", name, kind, date.fromisoformat(valid_on))
            else:
                level = "gmina" if rodz in ("1", "2", "3") else "part"
                yield TercRow(woj + pow_ + gmi + rodz, level, name, kind, date.fromisoformat(valid_on))
