"""Eligibility for a club on a given day, computed from dated legal rules, with the reasons.

The result says *why*: each check names the rule, the legal source and the value in force.
Group names are special-category data, so the reasons never name the person's groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from kis.participants.models import LegalRule, Participant

# Contract statuses that put a contract in force; contracts build on participants, so the
# participant reads its contracts through the reverse relation.
CONTRACT_IN_FORCE = ("signed", "amended")


@dataclass(frozen=True)
class Check:
    ok: bool
    text: str
    source: str = ""


@dataclass
class Eligibility:
    on: date
    checks: list[Check] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)


def _rule(code: str, on: date) -> LegalRule | None:
    return LegalRule.objects.in_force(code, on)


def check_facts(
    *,
    on: date,
    groups: list[str],
    groups_refused: bool,
    other_reason: str,
    general_clause: bool,
    benefits: list[str],
    benefits_declared: bool,
    contract_in_force: bool,
    rules: dict[str, Any],
) -> Eligibility:
    """The pure rule: facts and the rules in force in, checks out (property-tested)."""
    result = Eligibility(on=on)
    groups_rule = rules.get("kis.target_groups")
    if groups_rule is None:
        result.checks.append(Check(False, _("No rule on target groups is in force on this day.")))
    else:
        allowed = set(groups_rule.value.get("groups", []))
        in_statutory = bool(allowed & set(groups))
        other_ok = bool(groups_rule.value.get("other_allowed")) and "other" in groups and bool(other_reason.strip())
        if groups_refused and not in_statutory and not other_ok:
            result.checks.append(
                Check(False, _("The person refused to say which group they belong to."), groups_rule.source)
            )
        elif in_statutory:
            result.checks.append(Check(True, _("Belongs to a group named in the act."), groups_rule.source))
        elif other_ok:
            result.checks.append(
                Check(True, _("Another socially excluded person, with the reason recorded."), groups_rule.source)
            )
        else:
            result.checks.append(Check(False, _("No group of the act is recorded."), groups_rule.source))
    clause_rule = rules.get("kis.general_clause")
    clause_source = clause_rule.source if clause_rule else ""
    result.checks.append(
        Check(True, _("Social exclusion confirmed (general clause)."), clause_source)
        if general_clause
        else Check(False, _("Social exclusion (general clause) is not confirmed."), clause_source)
    )
    benefits_rule = rules.get("kis.excluded_benefits")
    if benefits_rule is not None:
        excluded = set(benefits_rule.value.get("benefits", [])) - set(benefits_rule.value.get("kis_exceptions", []))
        if not benefits_declared:
            result.checks.append(
                Check(False, _("The declaration about excluded benefits is not signed."), benefits_rule.source)
            )
        elif excluded & set(benefits):
            result.checks.append(
                Check(False, _("Has the right to a benefit that excludes participation."), benefits_rule.source)
            )
        else:
            text = _("Has no right to a benefit that excludes participation.")
            if set(benefits) & set(benefits_rule.value.get("kis_exceptions", [])):
                text = _("Has the right to an incapacity pension, which does not exclude a club (art. 1 ust. 3a).")
            result.checks.append(Check(True, text, benefits_rule.source))
    contract_rule = rules.get("kis.contract_required")
    if contract_rule is not None and contract_rule.value.get("required"):
        result.checks.append(
            Check(True, _("A signed social contract is in force."), contract_rule.source)
            if contract_in_force
            else Check(False, _("No signed social contract is in force on this day."), contract_rule.source)
        )
    return result


def check_contract_in_force(participant: Participant, *, on: date) -> bool:
    return bool(
        participant.contracts.filter(status__in=CONTRACT_IN_FORCE, valid_from__lte=on, valid_to__gte=on).exists()
    )


RULE_CODES = ("kis.target_groups", "kis.general_clause", "kis.excluded_benefits", "kis.contract_required")


def rules_on(on: date) -> dict[str, LegalRule | None]:
    return {code: _rule(code, on) for code in RULE_CODES}


def check(participant: Participant, *, on: date) -> Eligibility:
    """Eligibility of ``participant`` on ``on``. Reads special data: the caller audits the read."""
    contract_in_force = check_contract_in_force(participant, on=on)
    return check_facts(
        on=on,
        groups=list(participant.groups or []),
        groups_refused=participant.groups_refused,
        other_reason=participant.other_group_reason or "",
        general_clause=participant.general_clause_confirmed,
        benefits=list(participant.excluded_benefits or []),
        benefits_declared=participant.benefits_declared_on is not None and participant.benefits_declared_on <= on,
        contract_in_force=contract_in_force,
        rules=rules_on(on),
    )
