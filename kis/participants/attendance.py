"""A participant's attendance rates with their compliance bands.

Used by the participant's attendance page, the plan, and the participant file PDF. Attendance
(activities) and contract clauses (contracts) both sit above participants in the layer map, so
both are read here through the participant's reverse relations: neither app imports the other.
"""

from __future__ import annotations

from django.db.models import Count, Max, Q

from kis.lib import compliance
from kis.lib.text import polish_sort_key
from kis.participants.models import Participant

# SocialContract.OPEN: contracts that can still hold the participant to an attendance clause.
OPEN_CONTRACT_STATUSES = ("draft", "signed", "amended")


def threshold(participant: Participant) -> int:
    """The strictest 'required attendance (%)' of the participant's open contracts, else 80 (1 query)."""
    strictest = participant.contracts.filter(
        status__in=OPEN_CONTRACT_STATUSES, clauses__attendance_threshold__isnull=False
    ).aggregate(value=Max("clauses__attendance_threshold"))["value"]
    return int(strictest or compliance.DEFAULT_THRESHOLD)


def by_activity(participant: Participant, *, required: int) -> list[compliance.Rate]:
    """Every activity the participant is or was enrolled in: sessions attended of those marked (1 query)."""
    marked = Q(activity__sessions__attendance__participant=participant, activity__sessions__cancelled=False)
    rows = (
        participant.enrolments.values("activity_id", "activity__name")
        .annotate(
            total=Count("activity__sessions__attendance", filter=marked, distinct=True),
            present=Count(
                "activity__sessions__attendance",
                filter=marked & Q(activity__sessions__attendance__status="present"),
                distinct=True,
            ),
        )
        .order_by()
    )
    rates = {
        row["activity_id"]: compliance.Rate(row["activity__name"], row["present"], row["total"], required)
        for row in rows
    }
    return sorted(rates.values(), key=lambda rate: polish_sort_key(rate.name))


def overall(rates: list[compliance.Rate], *, required: int) -> compliance.Rate:
    return compliance.Rate("", sum(r.present for r in rates), sum(r.total for r in rates), required)
