"""The caseload dashboard: what is overdue or due soon, per case worker of a club."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kis.clubs.models import Club
from kis.participants.eligibility import CONTRACT_IN_FORCE
from kis.participants.models import FollowUp, Participant


@dataclass
class CaseloadRow:
    worker: Any
    active: int = 0
    follow_ups_due: list[FollowUp] = field(default_factory=list)
    reviews_due: list[Participant] = field(default_factory=list)
    contracts_ending: list[Participant] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return len(self.follow_ups_due) + len(self.reviews_due) + len(self.contracts_ending)


def build_caseload(club: Club, today: date) -> list[CaseloadRow]:
    """Four queries whatever the number of people: active counts, follow-ups, reviews, contracts."""
    rows: dict[int | None, CaseloadRow] = {}

    def row_for(participant: Participant) -> CaseloadRow:
        key = participant.case_worker_id
        if key not in rows:
            rows[key] = CaseloadRow(worker=participant.case_worker)
        return rows[key]

    people = Participant.objects.filter(club=club).select_related("case_worker")
    for participant in people.filter(status=Participant.Status.ACTIVE).only(
        "pk", "first_name", "last_name", "case_worker", "status"
    ):
        row_for(participant).active += 1
    for follow_up in FollowUp.objects.filter(
        participant__club=club, recorded_on__isnull=True, due_on__lte=today
    ).select_related("participant", "participant__case_worker"):
        row_for(follow_up.participant).follow_ups_due.append(follow_up)
    for participant in people.filter(plans__is_current=True, plans__next_review_on__lte=today):
        row_for(participant).reviews_due.append(participant)
    for participant in people.filter(
        contracts__status__in=CONTRACT_IN_FORCE, contracts__valid_to__range=(today, today + timedelta(days=14))
    ).distinct():
        row_for(participant).contracts_ending.append(participant)
    return sorted(rows.values(), key=lambda row: (row.worker is None, str(row.worker or "")))
