"""Demo letterheads, one club's own wording of a text block, and a finished batch of certificates."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from kis.accounts.models import Grant, Role
from kis.clubs.models import Club
from kis.documents import batches
from kis.documents.models import DocumentBatch, Letterhead, TextBlock
from kis.participants.models import Certificate

PROJECT_LINE = "Projekt „Razem do pracy” współfinansowany ze środków Europejskiego Funduszu Społecznego Plus"


def is_loaded() -> bool:
    return Letterhead.objects.exists()


def load() -> None:
    """Load the demo letterheads and a batch (idempotent: called when ``is_loaded()`` is false)."""
    clubs = list(Club.objects.filter(status=Club.Status.ACTIVE).order_by("pk"))
    with transaction.atomic():
        for index, club in enumerate(clubs):
            Letterhead.objects.create(club=club, project_line=PROJECT_LINE if index == 0 else "")
        if clubs:
            TextBlock.objects.create(
                club=clubs[0],
                kind="declaration",
                key="statements",
                text=(
                    "Oświadczam, że:\n"
                    "– uczestniczę w zajęciach {nazwa_klubu} dobrowolnie (art. 18 ust. 3 u.z.s.);\n"
                    "– realizuję kontrakt socjalny zawarty z ośrodkiem pomocy społecznej (art. 18 ust. 4 u.z.s.);\n"
                    "– znam regulamin klubu i będę go przestrzegać;\n"
                    "– dane podane wyżej są prawdziwe."
                ),
            )
    # A year of certificates of the first club, made at once (the task worker may not run yet).
    certificate = Certificate.objects.filter(club__in=clubs).order_by("club_id", "year").first()
    leader = (
        Grant.objects.active().filter(role=Role.LEADER, club_id=certificate.club_id).first() if certificate else None
    )
    if certificate is None or leader is None:
        return
    batch, _created = batches.start(
        club=certificate.club,
        kind=DocumentBatch.Kind.CERTIFICATES_YEAR,
        period=date(certificate.year, 1, 1),
        by=leader.user,
    )
    batches.run(batch.pk)
