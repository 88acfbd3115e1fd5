"""What each document contains: the data gathered from the other apps, what is missing, the title.

Every ``*_document`` function returns a ``Prepared``: the template, its context, the PDF's title
and file name, and ``missing`` (what must be filled in before the PDF can be made). The data come
from the participants, contracts and activities apps through their own services; nothing here
recomputes what those apps already compute (attendance sheets, hours cards, settlements).

Special-category data (statutory groups, health, benefits) are not printed on any document: the
declaration and the file leave them out on purpose (docs/users/staff.md, "Printing documents").
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import qrcode  # type: ignore[import-untyped]
from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from qrcode.image.svg import SvgPathImage  # type: ignore[import-untyped]

from kis.activities import services as activity_services
from kis.activities import services_work
from kis.activities.models import Activity, Attendance, Enrolment, HoursEntry, Placement, Session
from kis.clubs.models import Club
from kis.contracts.models import ReintegrationPlan, SocialContract
from kis.documents import texts
from kis.documents.models import DocumentKind, FundingLogo, Letterhead
from kis.documents.pdf import safe_filename
from kis.participants import attendance
from kis.participants.models import Certificate, Participant
from kis.registry.models import RegisterEntry

# --------------------------------------------------------------------------- the result


@dataclass
class Prepared:
    kind: str
    template: str
    title: str
    filename: str
    club: Club
    target: models.Model
    context: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def day(value: date | None) -> str:
    """dd.mm.rrrr, the way the users write dates (ux.md)."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


# --------------------------------------------------------------------------- letterhead


def _data_uri(file: Any, content_type: str) -> str:
    try:
        with file.open("rb") as handle:
            payload = handle.read()
    except (FileNotFoundError, ValueError):
        return ""
    return f"data:{content_type};base64,{base64.b64encode(payload).decode('ascii')}"


def letterhead_for(club: Club) -> dict[str, Any]:
    """The top of every document of ``club``: logo, club, operator, funding logos (two queries)."""
    head = Letterhead.objects.filter(club=club).first()
    operator = club.operator
    show_ids = head.show_operator_ids if head else True
    show_contact = head.show_contact if head else True
    operator_lines = [operator.name, operator.address_line]
    if show_ids:
        ids = [f"NIP {operator.nip}"]
        if operator.regon:
            ids.append(f"REGON {operator.regon}")
        if operator.krs:
            ids.append(f"KRS {operator.krs}")
        operator_lines.append(", ".join(ids))
    club_contact = ", ".join(part for part in (club.phone, club.email) if part) if show_contact else ""
    logos = [
        {"uri": _data_uri(logo.image, logo.content_type), "alt": logo.label}
        for logo in FundingLogo.objects.filter(club=club)
    ]
    return {
        "club_name": club.name,
        "club_address": club.address_line,
        "club_contact": club_contact,
        "operator_lines": operator_lines,
        "logo_uri": _data_uri(head.logo, head.logo_content_type) if head and head.logo else "",
        "logo_alt": _("Logo of %(club)s") % {"club": club.name},
        "funding_logos": [logo for logo in logos if logo["uri"]],
        "project_line": head.project_line if head else "",
    }


# --------------------------------------------------------------------------- placeholder values


def club_values(club: Club, on: date) -> dict[str, str]:
    operator = club.operator
    return {
        "nazwa_klubu": club.name,
        "adres_klubu": club.address_line,
        "podmiot_prowadzacy": operator.name,
        "adres_podmiotu": operator.address_line,
        # Art. 13(1)(a) GDPR asks for the controller's contact details: the address when nothing else is known.
        "kontakt_podmiotu": ", ".join(part for part in (operator.email, operator.phone) if part)
        or operator.address_line,
        "kierownik": club.manager_name,
        "miejscowosc": club.city,
        "data": day(on),
    }


def person_values(participant: Participant) -> dict[str, str]:
    return {
        "imie_nazwisko": participant.full_name,
        "imie": participant.first_name,
        "nazwisko": participant.last_name,
        "data_urodzenia": day(participant.birth_date),
    }


def _common(club: Club, kind: str, values: dict[str, str], letterhead: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "letterhead": letterhead if letterhead is not None else letterhead_for(club),
        "blocks": texts.blocks_for(club, kind, values),
        "club": club,
        "printed_on": day(timezone.localdate()),
    }


def _address(participant: Participant) -> str:
    if not (participant.street and participant.postal_code and participant.city):
        return ""
    return f"{participant.street}, {participant.postal_code} {participant.city}"


# --------------------------------------------------------------------------- case documents


def declaration(participant: Participant, *, letterhead: dict[str, Any] | None = None) -> Prepared:
    """Deklaracja uczestnictwa: who applies, their contact data and statements, to be signed."""
    club = participant.club
    missing = []
    if not _address(participant):
        missing.append(_("the participant's address (street, postal code and town)"))
    prepared = Prepared(
        kind=DocumentKind.DECLARATION,
        template="documents/pdf/declaration.html",
        title=_("Participation declaration – %(name)s") % {"name": participant.full_name},
        filename=_("Declaration") + f" {participant.full_name}",
        club=club,
        target=participant,
        missing=missing,
    )
    if missing:
        return prepared
    values = {**club_values(club, participant.applied_on), **person_values(participant)}
    prepared.context = {
        **_common(club, DocumentKind.DECLARATION, values, letterhead),
        "participant": participant,
        "address": _address(participant),
        # PESEL is printed on the declaration only: the club's own record of who applied.
        "pesel": participant.pesel or "",
        "signed_on": day(participant.applied_on),
    }
    return prepared


def notice(participant: Participant, *, letterhead: dict[str, Any] | None = None) -> Prepared:
    """The art. 13 GDPR information notice, with a line to sign its acknowledgement."""
    club = participant.club
    prepared = Prepared(
        kind=DocumentKind.NOTICE,
        template="documents/pdf/notice.html",
        title=_("Information notice (art. 13 GDPR) – %(name)s") % {"name": participant.full_name},
        filename=_("Information notice") + f" {participant.full_name}",
        club=club,
        target=participant,
    )
    on = participant.notice_acknowledged_on or timezone.localdate()
    values = {**club_values(club, on), **person_values(participant)}
    common = _common(club, DocumentKind.NOTICE, values, letterhead)
    prepared.context = {
        **common,
        "participant": participant,
        "sections": [
            (str(b.label), common["blocks"][b.key])
            for b in texts.BLOCKS[DocumentKind.NOTICE]
            if b.key != "acknowledgement"
        ],
    }
    return prepared


def printable_contract(participant: Participant, contract_pk: int | None = None) -> SocialContract | None:
    """The contract to print: the one asked for, else the one in force today, else the latest signed."""
    contracts = participant.contracts.exclude(status=SocialContract.Status.DRAFT)
    if contract_pk is not None:
        return participant.contracts.filter(pk=contract_pk).first()
    today = timezone.localdate()
    return contracts.covering(today).first() or contracts.order_by("-valid_from", "-pk").first()


def contract(
    participant: Participant, chosen: SocialContract | None, *, letterhead: dict[str, Any] | None = None
) -> Prepared:
    """The club's copy of the social contract: parties, dates and clauses."""
    club = participant.club
    missing = []
    if chosen is None or chosen.status == SocialContract.Status.DRAFT or chosen.signed_on is None:
        missing.append(_("a social contract signed by the OPS/CUS (record the signing on the contract page)"))
    prepared = Prepared(
        kind=DocumentKind.CONTRACT,
        template="documents/pdf/contract.html",
        title=_("Social contract – %(name)s") % {"name": participant.full_name},
        filename=_("Social contract") + f" {participant.full_name}",
        club=club,
        target=participant,
        missing=missing,
    )
    if missing or chosen is None:
        return prepared
    values = {**club_values(club, chosen.signed_on or timezone.localdate()), **person_values(participant)}
    prepared.context = {
        **_common(club, DocumentKind.CONTRACT, values, letterhead),
        **contract_context(participant, chosen),
    }
    return prepared


def contract_context(participant: Participant, chosen: SocialContract) -> dict[str, Any]:
    return {
        "participant": participant,
        "address": _address(participant),
        "contract": chosen,
        "clauses": list(chosen.clauses.select_related("goal")),
    }


def plan(participant: Participant, *, letterhead: dict[str, Any] | None = None) -> Prepared:
    """The current version of the reintegration plan: diagnosis, goals, steps and reviews."""
    club = participant.club
    current = (
        ReintegrationPlan.objects.filter(participant=participant, is_current=True).select_related("created_by").first()
    )
    missing = [] if current else [_("a reintegration plan (write it on the plan page)")]
    prepared = Prepared(
        kind=DocumentKind.PLAN,
        template="documents/pdf/plan.html",
        title=_("Reintegration plan – %(name)s") % {"name": participant.full_name},
        filename=_("Reintegration plan") + f" {participant.full_name}",
        club=club,
        target=participant,
        missing=missing,
    )
    if current is None:
        return prepared
    values = {**club_values(club, current.agreed_on or timezone.localdate()), **person_values(participant)}
    prepared.context = {**_common(club, DocumentKind.PLAN, values, letterhead), **plan_context(participant, current)}
    return prepared


def plan_context(participant: Participant, current: ReintegrationPlan) -> dict[str, Any]:
    return {
        "participant": participant,
        "plan": current,
        "goals": [(goal, list(goal.steps.all())) for goal in current.goals.prefetch_related("steps")],
        "reviews": list(current.reviews.select_related("reviewed_by")),
    }


def verification_url(certificate: Certificate) -> str:
    query = urlencode({"numer": certificate.number, "kod": certificate.verification_code})
    return f"{settings.SITE_URL.rstrip('/')}{reverse('documents:verify')}?{query}"


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG ``data:`` URI (vector, so it prints sharp)."""
    image = qrcode.make(text, image_factory=SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def certificate(participant: Participant, *, letterhead: dict[str, Any] | None = None) -> Prepared:
    """Zaświadczenie o zakończeniu uczestnictwa (art. 18 ust. 5a) with its number and verification code."""
    club = participant.club
    issued = Certificate.objects.filter(participant=participant).first()
    missing = []
    if issued is None:
        missing.append(_("a completion certificate: it is issued when participation ends (Ending and follow-up)"))
    if participant.joined_on is None:
        missing.append(_("the date participation started"))
    if participant.left_on is None:
        missing.append(_("the date participation ended"))
    number = issued.number if issued else ""
    prepared = Prepared(
        kind=DocumentKind.CERTIFICATE,
        template="documents/pdf/certificate.html",
        title=_("Completion certificate %(number)s – %(name)s") % {"number": number, "name": participant.full_name},
        filename=_("Certificate") + f" {number} {participant.full_name}",
        club=club,
        target=participant,
        missing=missing,
    )
    if missing or issued is None:
        return prepared
    values = {
        **club_values(club, issued.issued_on),
        **person_values(participant),
        "data_rozpoczecia": day(participant.joined_on),
        "data_zakonczenia": day(participant.left_on),
        "numer_zaswiadczenia": number,
    }
    prepared.context = {
        **_common(club, DocumentKind.CERTIFICATE, values, letterhead),
        **certificate_context(participant, issued),
    }
    return prepared


def certificate_context(participant: Participant, issued: Certificate) -> dict[str, Any]:
    activities = sorted(
        {e.activity.name for e in Enrolment.objects.filter(participant=participant).select_related("activity")}
    )
    url = verification_url(issued)
    entry = RegisterEntry.objects.filter(club_id=issued.club_id, struck_off_on__isnull=True).first()
    return {
        "participant": participant,
        "certificate": issued,
        "register_entry": {"number": entry.number, "entered_on": day(entry.entered_on)} if entry else None,
        "issued_on": day(issued.issued_on),
        "activities": activities,
        "verification_url": url,
        "verification_page": f"{settings.SITE_URL.rstrip('/')}{reverse('documents:verify')}",
        "qr_uri": qr_data_uri(url),
    }


# --------------------------------------------------------------------------- attendance lists

STATUS_MARK: dict[str, str] = {
    Attendance.Status.PRESENT: "O",
    Attendance.Status.EXCUSED: "U",
    Attendance.Status.UNEXCUSED: "N",
}


def session_list(session: Session, *, letterhead: dict[str, Any] | None = None) -> Prepared:
    """Lista obecności of one session: everyone enrolled that day, their mark and a signature column."""
    club = session.activity.club
    sheet = services_work.attendance_sheet(session)
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    rows = []
    for participant in sheet.participants:
        mark = sheet.saved.get(participant.pk)
        rows.append(
            {
                "name": participant.full_name,
                "status": mark.get_status_display() if mark else "",
                "hours": mark.hours if mark and mark.status == Attendance.Status.PRESENT else None,
            }
        )
    title = _("Attendance list – %(activity)s, %(day)s") % {"activity": session.activity.name, "day": day(starts)}
    values = club_values(club, starts.date())
    return Prepared(
        kind=DocumentKind.ATTENDANCE,
        template="documents/pdf/session_list.html",
        title=title,
        filename=_("Attendance list") + f" {starts:%Y-%m-%d} {session.activity.name}",
        club=club,
        target=session,
        context={
            **_common(club, DocumentKind.ATTENDANCE, values, letterhead),
            "session": session,
            "activity": session.activity,
            "day": day(starts),
            "time": f"{starts:%H:%M}–{ends:%H:%M}",
            "rows": rows,
            "present": sheet.present,
        },
    )


def month_sessions(activity: Activity, month: date) -> list[Session]:
    first, last = services_work.month_bounds(month.year, month.month)
    start, end = services_work.day_range(first, last)
    return list(
        Session.objects.filter(activity=activity, starts_at__gte=start, starts_at__lt=end, cancelled=False)
        .select_related("room", "staff")
        .order_by("starts_at", "pk")
    )


def activity_month_list(
    activity: Activity, month: date, *, letterhead: dict[str, Any] | None = None, sessions: list[Session] | None = None
) -> Prepared:
    """Lista obecności of an activity for a month: one column per session, marks, a signature column."""
    club = activity.club
    first, last = services_work.month_bounds(month.year, month.month)
    sessions = month_sessions(activity, month) if sessions is None else sessions
    marks: dict[tuple[int, int], Attendance] = {}
    for mark in Attendance.objects.filter(session__in=sessions).only("session_id", "participant_id", "status", "hours"):
        marks[(mark.participant_id, mark.session_id)] = mark
    enrolled = Participant.objects.filter(
        Q(enrolments__activity=activity, enrolments__enrolled_on__lte=last)
        & (Q(enrolments__left_on__isnull=True) | Q(enrolments__left_on__gte=first))
    )
    marked = Participant.objects.filter(pk__in={participant_id for participant_id, _s in marks})
    people = (
        (enrolled | marked)
        .distinct()
        .only("pk", "first_name", "last_name", "name_sort", "club_id")
        .order_by("name_sort", "pk")
    )
    rows = []
    for person in people:
        cells = [marks.get((person.pk, s.pk)) for s in sessions]
        rows.append(
            {
                "name": person.full_name,
                "cells": [STATUS_MARK.get(m.status, "") if m else "" for m in cells],
                "present": sum(1 for m in cells if m and m.status == Attendance.Status.PRESENT),
                "hours": sum((m.hours for m in cells if m and m.status == Attendance.Status.PRESENT), Decimal(0)),
            }
        )
    values = club_values(club, last)
    with override("pl"):
        month_label = date_format(first, "F Y").lower()
    return Prepared(
        kind=DocumentKind.ATTENDANCE,
        template="documents/pdf/activity_month.html",
        title=_("Attendance list – %(activity)s, %(month)s") % {"activity": activity.name, "month": month_label},
        filename=_("Attendance list") + f" {first:%Y-%m} {activity.name}",
        club=club,
        target=activity,
        context={
            **_common(club, DocumentKind.ATTENDANCE, values, letterhead),
            "activity": activity,
            "month_label": month_label,
            "sessions": [(s, timezone.localtime(s.starts_at)) for s in sessions],
            "rows": rows,
            "landscape": len(sessions) > 8,
        },
    )


# --------------------------------------------------------------------------- hours


def hours_card(placement: Placement, month: date, *, letterhead: dict[str, Any] | None = None) -> Prepared:
    """The monthly hours card of one placement (from the activities app's ``hours_card``)."""
    participant = placement.participant
    club = participant.club
    card = services_work.hours_card(placement, month.year, month.month)
    with override("pl"):
        month_label = date_format(card.first, "F Y").lower()
    values = {**club_values(club, card.last), **person_values(participant)}
    return Prepared(
        kind=DocumentKind.HOURS_CARD,
        template="documents/pdf/hours_card.html",
        title=_("Hours card – %(name)s, %(month)s") % {"name": participant.full_name, "month": month_label},
        filename=_("Hours card") + f" {card.first:%Y-%m} {participant.full_name}",
        club=club,
        target=placement,
        context={
            **_common(club, DocumentKind.HOURS_CARD, values, letterhead),
            "participant": participant,
            "placement": placement,
            "card": card,
            "month_label": month_label,
        },
    )


def settlement(club: Club, month: date, *, letterhead: dict[str, Any] | None = None) -> Prepared:
    """The monthly PSU settlement per gmina (from the activities app's ``monthly_settlement``)."""
    rows = activity_services.monthly_settlement(club_id=club.pk, year=month.year, month=month.month)
    groups = services_work.settlement_by_gmina(rows)
    first, last = services_work.month_bounds(month.year, month.month)
    with override("pl"):
        month_label = date_format(first, "F Y").lower()
    values = club_values(club, timezone.localdate())
    return Prepared(
        kind=DocumentKind.SETTLEMENT,
        template="documents/pdf/settlement.html",
        title=_("PSU settlement – %(club)s, %(month)s") % {"club": club.name, "month": month_label},
        filename=_("PSU settlement") + f" {first:%Y-%m} {club.name}",
        club=club,
        target=club,
        context={
            **_common(club, DocumentKind.SETTLEMENT, values, letterhead),
            "month_label": month_label,
            "groups": groups,
            "total": services_work.GminaTotal(None, list(rows)),
        },
    )


# --------------------------------------------------------------------------- the whole file


def _hours_by_month(placements: Iterable[Placement]) -> list[dict[str, Any]]:
    result = []
    for placement in placements:
        months = (
            HoursEntry.objects.filter(placement=placement)
            .annotate(month=TruncMonth("day"))
            .values("month")
            .annotate(hours=Sum("hours"))
            .order_by("month")
        )
        result.append({"placement": placement, "months": [(row["month"], row["hours"]) for row in months]})
    return result


def participant_file(participant: Participant) -> Prepared:
    """Teczka uczestnika: every document of the person in one PDF, in the order of the work."""
    club = participant.club
    head = letterhead_for(club)
    parts = [
        declaration(participant, letterhead=head),
        notice(participant, letterhead=head),
    ]
    missing = [item for part in parts for item in part.missing]
    prepared = Prepared(
        kind=DocumentKind.FILE,
        template="documents/pdf/file.html",
        title=_("Participant file – %(name)s") % {"name": participant.full_name},
        filename=_("Participant file") + f" {participant.full_name}",
        club=club,
        target=participant,
        missing=missing,
    )
    if missing:
        return prepared
    contracts = [
        contract(participant, chosen, letterhead=head)
        for chosen in participant.contracts.exclude(status=SocialContract.Status.DRAFT).order_by("valid_from", "pk")
    ]
    parts += contracts
    plan_part = plan(participant, letterhead=head)
    if not plan_part.missing:
        parts.append(plan_part)
    # The same rates and bands as the participant's attendance page (one query each).
    required = attendance.threshold(participant)
    rates = attendance.by_activity(participant, required=required)
    # Month by month per activity: the sessions one by one are on the attendance lists.
    attended = (
        Attendance.objects.filter(participant=participant)
        .annotate(month=TruncMonth("session__starts_at"))
        .values("month", "session__activity__name")
        .annotate(
            marked=Count("pk"),
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
            hours=Sum("hours", filter=Q(status=Attendance.Status.PRESENT)),
        )
        .order_by("month", "session__activity__name")
    )
    placements = list(participant.placements.select_related("gmina").order_by("starts_on", "pk"))
    certificate_part = certificate(participant, letterhead=head)
    if not certificate_part.missing:
        parts.append(certificate_part)
    values = {**club_values(club, timezone.localdate()), **person_values(participant)}
    prepared.context = {
        **_common(club, DocumentKind.FILE, values, head),
        "participant": participant,
        "address": _address(participant),
        "consents": list(participant.consents.all()),
        "parts": [(part.template.replace("documents/pdf/", "documents/pdf/parts/"), part.context) for part in parts],
        "rates": rates,
        "overall": attendance.overall(rates, required=required),
        "attended": list(attended),
        "hours": _hours_by_month(placements),
        "follow_ups": list(participant.follow_ups.all()),
        "contents": [part.title for part in parts],
    }
    return prepared


PARTICIPANT_KINDS = {
    "deklaracja": DocumentKind.DECLARATION,
    "klauzula-informacyjna": DocumentKind.NOTICE,
    "kontrakt": DocumentKind.CONTRACT,
    "plan": DocumentKind.PLAN,
    "zaswiadczenie": DocumentKind.CERTIFICATE,
    "teczka": DocumentKind.FILE,
}

SLUGS = {
    **{kind: slug for slug, kind in PARTICIPANT_KINDS.items()},
    DocumentKind.ATTENDANCE: "lista-obecnosci",
    DocumentKind.HOURS_CARD: "karta-godzin",
    DocumentKind.SETTLEMENT: "rozliczenie-psu",
}
KINDS_BY_SLUG = {slug: kind for kind, slug in SLUGS.items()}


def for_participant(participant: Participant, kind: str, *, contract_pk: int | None = None) -> Prepared:
    if kind == DocumentKind.DECLARATION:
        return declaration(participant)
    if kind == DocumentKind.NOTICE:
        return notice(participant)
    if kind == DocumentKind.CONTRACT:
        return contract(participant, printable_contract(participant, contract_pk))
    if kind == DocumentKind.PLAN:
        return plan(participant)
    if kind == DocumentKind.CERTIFICATE:
        return certificate(participant)
    return participant_file(participant)


def file_name(prepared: Prepared) -> str:
    return safe_filename(prepared.filename)
