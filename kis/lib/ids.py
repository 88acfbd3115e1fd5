"""Polish identifiers: PESEL, NIP, REGON, KRS, postal code.

Each ``validate_*`` takes what a person typed, returns the canonical form (digits only) and
raises ``ValidationError`` with a stable ``code`` on bad input. The checksums come from
python-stdnum; the rules are in docs (domain.md §7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip, pesel, regon

_SEPARATORS = re.compile(r"[\s-]")


def _digits(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


def validate_nip(value: str) -> str:
    number = _digits(value)
    if not number.isdigit() or len(number) != 10:
        raise ValidationError(_("A NIP has 10 digits."), code="nip_format")
    if not nip.is_valid(number):
        raise ValidationError(_("This NIP has a wrong check digit."), code="nip_checksum")
    return number


def validate_regon(value: str) -> str:
    number = _digits(value)
    if not number.isdigit() or len(number) not in (9, 14):
        raise ValidationError(_("A REGON has 9 or 14 digits."), code="regon_format")
    if not regon.is_valid(number):
        raise ValidationError(_("This REGON has a wrong check digit."), code="regon_checksum")
    return number


def validate_krs(value: str) -> str:
    """KRS numbers have 10 digits, zero-padded, and no check digit."""
    number = _digits(value)
    if not number.isdigit() or not 1 <= len(number) <= 10 or int(number) == 0:
        raise ValidationError(_("A KRS number has up to 10 digits, e.g. 0000119136."), code="krs_format")
    return number.zfill(10)


def validate_postal_code(value: str) -> str:
    code = (value or "").strip()
    if not re.fullmatch(r"\d{2}-\d{3}", code):
        raise ValidationError(_("Enter a postal code as NN-NNN, e.g. 00-950."), code="postal_code_format")
    return code


@dataclass(frozen=True)
class PeselFacts:
    number: str
    birth_date: date
    sex: str  # "F" or "M"


def validate_pesel(value: str) -> PeselFacts:
    number = _digits(value)
    if not number.isdigit() or len(number) != 11:
        raise ValidationError(_("A PESEL has 11 digits."), code="pesel_format")
    try:
        birth_date = pesel.get_birth_date(number)
    except (StdnumError, ValueError):
        raise ValidationError(_("This PESEL encodes a date that does not exist."), code="pesel_date") from None
    if not pesel.is_valid(number):
        raise ValidationError(_("This PESEL has a wrong check digit."), code="pesel_checksum")
    return PeselFacts(number=number, birth_date=birth_date, sex="F" if int(number[9]) % 2 == 0 else "M")


def mask_pesel(number: str) -> str:
    """Show only the last four digits: •••••••1234."""
    return "•" * 7 + number[-4:] if len(number) == 11 else "•" * len(number)
