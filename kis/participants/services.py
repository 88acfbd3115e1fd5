"""Multi-model workflows of a participant's file: intake, exit with certificate, follow-ups."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from kis import audit
from kis.clubs.models import Club
from kis.lib import crypto
from kis.participants.models import (
    Certificate,
    Consent,
    FollowUp,
    LegalRule,
    Participant,
    add_months,
)


@dataclass(frozen=True)
class ElsewhereNotice:
    """The person is active in another club: only the voivodeship is told, never the club."""

    voivodeship: str


def active_elsewhere(*, pesel: str, club: Club) -> list[ElsewhereNotice]:
    """Other clubs where a person with this PESEL is active, by keyed hash (architecture.md §6)."""
    digest = crypto.keyed_hash(pesel, purpose="pesel")
    # A cross-club lookup by design: it returns voivodeship codes and nothing else.
    rows = (
        Participant.objects.filter(pesel_hash=digest)
        .exclude(club=club)
        .exclude(status=Participant.Status.EXITED)
        .values_list("club__voivodeship", flat=True)
    )
    return [ElsewhereNotice(voivodeship=code) for code in sorted(set(rows))]


@transaction.atomic
def register_participant(*, club: Club, fields: dict[str, Any], by: Any) -> Participant:
    """Intake: the person, the statutory processing purposes, one audit event."""
    participant = Participant(club=club, **fields)
    participant.full_clean(exclude=["pesel_hash"])
    participant.save()
    today = participant.applied_on
    Consent.objects.bulk_create(
        [
            Consent(
                participant=participant,
                purpose=Consent.Purpose.PARTICIPATION,
                basis=Consent.Basis.STATUTE,
                given_on=today,
            ),
            Consent(
                participant=participant,
                purpose=Consent.Purpose.SPECIAL_CATEGORIES,
                basis=Consent.Basis.STATUTE,
                given_on=today,
            ),
        ]
    )
    audit.record(by, "participant.registered", participant, referral=participant.referral)
    return participant


def follow_up_points(on: date) -> list[int]:
    rule = LegalRule.objects.in_force("kis.follow_up_months", on)
    return list(rule.value["months"]) if rule else list(FollowUp.MONTHS)


@transaction.atomic
def end_participation(
    *, participant: Participant, on: date, reason: str, employment_kind: str, note: str, by: Any
) -> Certificate:
    """End participation, issue the completion certificate at once (art. 18 ust. 5a), plan follow-ups."""
    # Lock the club row so that two exits in one club never take the same certificate number.
    club = Club.objects.select_for_update().get(pk=participant.club_id)
    participant.status = Participant.Status.EXITED
    participant.left_on, participant.exit_reason = on, reason
    participant.employment_kind, participant.exit_note = employment_kind, note
    participant.version += 1
    participant.save(update_fields=["status", "left_on", "exit_reason", "employment_kind", "exit_note", "version"])
    last = Certificate.objects.filter(club=club, year=on.year).aggregate(last=Max("serial"))["last"] or 0
    certificate = Certificate.objects.create(
        participant=participant,
        club=club,
        year=on.year,
        serial=last + 1,
        issued_on=on,
        verification_code=secrets.token_hex(5).upper(),
        issued_by=by,
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(participant=participant, months=months, due_on=add_months(on, months))
            for months in follow_up_points(on)
        ]
    )
    audit.record(by, "participant.exited", participant, reason=reason, left_on=on.isoformat())
    audit.record(by, "certificate.issued", certificate, number=certificate.number)
    return certificate


@transaction.atomic
def record_follow_up(*, follow_up: FollowUp, outcome: str, source: str, on: date, by: Any) -> None:
    follow_up.outcome, follow_up.source, follow_up.recorded_on, follow_up.recorded_by = outcome, source, on, by
    follow_up.save(update_fields=["outcome", "source", "recorded_on", "recorded_by"])
    audit.record(by, "follow_up.recorded", follow_up, months=follow_up.months, outcome=outcome)
