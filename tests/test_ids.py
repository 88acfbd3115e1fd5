"""Polish identifiers: property-based checks against independent reimplementations of the rules."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kis.lib import ids

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def nip_check(first9: str) -> int:
    return sum(int(d) * w for d, w in zip(first9, [6, 5, 7, 2, 3, 4, 5, 6, 7], strict=True)) % 11


def pesel_for(day: date, serial: int) -> str:
    month = day.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[day.year // 100]
    base = f"{day.year % 100:02d}{month:02d}{day.day:02d}{serial:04d}"
    check = (10 - sum(int(d) * w for d, w in zip(base, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3], strict=True)) % 10) % 10
    return base + str(check)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nip_accepts_exactly_the_numbers_whose_check_digit_matches(first9: str) -> None:
    check = nip_check(first9)
    for last in range(10):
        number = first9 + str(last)
        if check != 10 and last == check:
            assert ids.validate_nip(f"{number[:3]}-{number[3:6]}-{number[6:8]}-{number[8:]}") == number
        else:
            with pytest.raises(ValidationError) as error:
                ids.validate_nip(number)
            assert error.value.code == "nip_checksum"


@given(st.text(max_size=14).filter(lambda s: not s.replace("-", "").replace(" ", "").isdigit()))
def test_nip_rejects_non_digits_with_a_format_error(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        ids.validate_nip(text)
    assert error.value.code == "nip_format"


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_regon9_check_digit(first8: str) -> None:
    check = sum(int(d) * w for d, w in zip(first8, [8, 9, 2, 3, 4, 5, 6, 7], strict=True)) % 11 % 10
    assert ids.validate_regon(first8 + str(check)) == first8 + str(check)
    with pytest.raises(ValidationError):
        ids.validate_regon(first8 + str((check + 1) % 10))


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_regon14_check_digit(first13: str) -> None:
    weights = [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8]
    check = sum(int(d) * w for d, w in zip(first13, weights, strict=True)) % 11 % 10
    number = first13 + str(check)
    # A 14-digit REGON also carries a valid 9-digit REGON of its parent unit.
    parent_ok = sum(int(d) * w for d, w in zip(first13[:8], [8, 9, 2, 3, 4, 5, 6, 7], strict=True)) % 11 % 10 == int(
        first13[8]
    )
    if parent_ok:
        assert ids.validate_regon(number) == number
    else:
        with pytest.raises(ValidationError):
            ids.validate_regon(number)


@given(st.integers(min_value=1, max_value=9_999_999_999))
def test_krs_is_zero_padded_to_ten_digits(number: int) -> None:
    assert ids.validate_krs(str(number)) == f"{number:010d}"


def test_krs_rejects_letters_and_zero() -> None:
    for bad in ("abc", "0000000000", "12345678901"):
        with pytest.raises(ValidationError):
            ids.validate_krs(bad)


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2299, 12, 31)), st.integers(0, 9999))
def test_pesel_round_trip_gives_birth_date_and_sex(day: date, serial: int) -> None:
    number = pesel_for(day, serial)
    facts = ids.validate_pesel(number)
    assert facts.birth_date == day
    assert facts.sex == ("F" if serial % 2 == 0 else "M")  # the 10th digit is the serial's last


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.integers(0, 9999), st.integers(1, 9))
def test_pesel_with_a_wrong_check_digit_is_refused(day: date, serial: int, shift: int) -> None:
    number = pesel_for(day, serial)
    wrong = number[:10] + str((int(number[10]) + shift) % 10)
    with pytest.raises(ValidationError) as error:
        ids.validate_pesel(wrong)
    assert error.value.code == "pesel_checksum"


def test_pesel_with_an_impossible_date_is_refused() -> None:
    # 30 February 1990, check digit computed correctly.
    base = "9002300000"
    check = (10 - sum(int(d) * w for d, w in zip(base, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3], strict=True)) % 10) % 10
    with pytest.raises(ValidationError) as error:
        ids.validate_pesel(base + str(check))
    assert error.value.code == "pesel_date"


def test_pesel_is_masked_to_its_last_four_digits() -> None:
    assert ids.mask_pesel("90010112345") == "•••••••2345"


@pytest.mark.parametrize("code", ["00-950", "33-300"])
def test_postal_code_accepts_nn_nnn(code: str) -> None:
    assert ids.validate_postal_code(code) == code


@pytest.mark.parametrize("code", ["00950", "3-3300", "ab-cde", ""])
def test_postal_code_refuses_other_shapes(code: str) -> None:
    with pytest.raises(ValidationError):
        ids.validate_postal_code(code)
