"""Eligibility is computed from dated legal rules; these properties hold for every combination of facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kis.participants.eligibility import check_facts, rules_on
from kis.participants.models import Benefit, TargetGroup

STATUTORY = [g for g in TargetGroup.values if g != "other"]
EXCLUDING = [b for b in Benefit.values if b != "social_pension"]


@dataclass(frozen=True)
class Rule:
    value: dict[str, Any]
    source: str = "art. test"


RULES_2022 = {
    "kis.target_groups": Rule({"groups": STATUTORY, "other_allowed": True}),
    "kis.general_clause": Rule({"poverty_required": False}),
    "kis.excluded_benefits": Rule({"benefits": EXCLUDING, "kis_exceptions": ["incapacity_pension"]}),
    "kis.contract_required": Rule({"required": True}),
}
RULES_2021 = {**RULES_2022, "kis.excluded_benefits": Rule({"benefits": EXCLUDING, "kis_exceptions": []})}

facts = st.fixed_dictionaries(
    {
        "groups": st.lists(st.sampled_from(TargetGroup.values), unique=True, max_size=3),
        "groups_refused": st.booleans(),
        "other_reason": st.sampled_from(["", "osoba wychodząca z kryzysu"]),
        "general_clause": st.booleans(),
        "benefits": st.lists(st.sampled_from(EXCLUDING), unique=True, max_size=2),
        "benefits_declared": st.booleans(),
        "contract_in_force": st.booleans(),
    }
)


@given(facts)
def test_eligible_exactly_when_every_condition_holds(f: dict[str, Any]) -> None:
    result = check_facts(on=date(2026, 3, 1), rules=RULES_2022, **f)
    in_group = bool(set(f["groups"]) & set(STATUTORY)) or ("other" in f["groups"] and bool(f["other_reason"]))
    no_excluding_benefit = not (set(f["benefits"]) - {"incapacity_pension"})
    expected = (
        in_group and f["general_clause"] and f["benefits_declared"] and no_excluding_benefit and f["contract_in_force"]
    )
    assert result.eligible is expected
    # Every check names its legal source, and no reason names the person's groups.
    assert all(check.source for check in result.checks)
    labels = {str(label) for label in TargetGroup.labels}
    assert not any(label in check.text for check in result.checks for label in labels)


@given(facts)
def test_without_a_contract_nobody_is_eligible(f: dict[str, Any]) -> None:
    f["contract_in_force"] = False
    assert check_facts(on=date(2026, 3, 1), rules=RULES_2022, **f).eligible is False


@given(facts)
def test_an_incapacity_pension_excluded_before_2022_but_not_after(f: dict[str, Any]) -> None:
    f.update(benefits=["incapacity_pension"], benefits_declared=True)
    after = check_facts(on=date(2023, 1, 1), rules=RULES_2022, **f)
    before = check_facts(on=date(2021, 1, 1), rules=RULES_2021, **f)
    without_pension = check_facts(on=date(2023, 1, 1), rules=RULES_2022, **{**f, "benefits": []})
    assert before.eligible is False
    assert after.eligible is without_pension.eligible


def test_with_no_rule_in_force_nobody_is_eligible() -> None:
    result = check_facts(
        on=date(2001, 1, 1),
        rules={},
        groups=["long_term_unemployed"],
        groups_refused=False,
        other_reason="",
        general_clause=True,
        benefits=[],
        benefits_declared=True,
        contract_in_force=True,
    )
    assert result.eligible is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "exception"),
    [
        (date(2021, 6, 1), []),
        (date(2022, 2, 14), []),
        (date(2022, 2, 15), ["incapacity_pension"]),
        (date(2026, 11, 26), ["incapacity_pension"]),
    ],
)
def test_the_seeded_rules_follow_the_2022_amendment(day: date, exception: list[str]) -> None:
    rules = rules_on(day)
    assert rules["kis.excluded_benefits"] is not None
    assert rules["kis.excluded_benefits"].value["kis_exceptions"] == exception
    assert rules["kis.contract_required"] is not None
    assert rules["kis.contract_required"].value["required"] is True


@pytest.mark.django_db
def test_no_rule_before_the_contract_requirement_existed() -> None:
    assert rules_on(date(2005, 1, 1))["kis.contract_required"] is None
