"""The public check of a completion certificate: number + code → club and date, nothing else.

The lookup is public on purpose (an employer or an office checks a paper certificate), so it is
throttled per client address and it answers only whether the pair exists, which club issued it
and when. No name, no date of birth, no audit row (the trail would tie an address to a person).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from allauth.core.internal.httpkit import get_client_ip
from django.core.cache import cache
from django.http import HttpRequest

from kis.participants.models import Certificate

# Lookups per client address and window: enough for an office checking a pile, too few to guess codes.
LIMIT = 20
WINDOW_SECONDS = 10 * 60


@dataclass(frozen=True)
class Confirmation:
    number: str
    club: str
    operator: str
    issued_on: date


def find(number: str, code: str) -> Confirmation | None:
    """The certificate with this number and code, as the few facts the public may see."""
    parsed = Certificate.parse_number(number)
    if parsed is None or not code.isalnum():
        return None
    club_id, year, serial = parsed
    # Public by design: the number and the code together are the credential; the answer has no personal data.
    found = (
        Certificate.objects.filter(club_id=club_id, year=year, serial=serial, verification_code=code)
        .select_related("club", "club__operator")
        .first()
    )
    if found is None:
        return None
    return Confirmation(found.number, found.club.name, found.club.operator.name, found.issued_on)


def throttled(request: HttpRequest) -> bool:
    """Count one lookup for the client's address; true once it passed ``LIMIT`` in the window."""
    key = f"kis:certificate-check:{get_client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count > LIMIT
