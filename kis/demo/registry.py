"""Demo register: entries with history for the active clubs (some entered years ago), a pending
notification of the planned club (inside its 30 days), an overdue notification of a change, and a
few clubs struck off long ago, so that the public register has something to show.

Dates of pending notifications are relative to the day the demo is loaded.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kis import audit
from kis.accounts.models import Role, User
from kis.clubs.demo import demo_nip, demo_regon
from kis.clubs.models import Club, Operator
from kis.registry import services
from kis.registry.models import Notification, NumberingScheme, RegisterEntry, RegisterEvent


def _pdf(title: str) -> bytes:
    """A one-page PDF with a title line (a stand-in for a scanned founding act)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _data(club: Club, operator: Operator) -> dict[str, str]:
    return {
        "operator_name": operator.name,
        "operator_krs": operator.krs,
        "operator_street": operator.street,
        "operator_postal_code": operator.postal_code,
        "operator_city": operator.city,
        "operator_phone": operator.phone,
        "operator_fax": "",
        "operator_email": operator.email,
        "club_name": club.name,
        "club_street": club.street,
        "club_postal_code": club.postal_code,
        "club_city": club.city,
        "club_gmina": club.gmina_id,
        "created_on": club.created_on.isoformat(),
        "started_on": club.started_on.isoformat() if club.started_on else "",
        "manager_name": club.manager_name,
        "club_phone": club.phone,
        "club_email": club.email,
        "operator_type": operator.type,
    }


def _entry(club: Club, number: str, notified_on: date, entered_on: date, officer: str) -> RegisterEntry:
    data = _data(club, club.operator)
    notification = Notification(
        club=club,
        operator=club.operator,
        voivodeship=club.voivodeship,
        kind=Notification.Kind.NEW,
        state=Notification.State.RECORDED,
        received_on=notified_on,
        deadline=Notification.deadline_from(notified_on),
        data=data,
        act_kind=Notification.ActKind.GMINA_RESOLUTION
        if club.operator.type == Operator.Type.GMINA
        else Notification.ActKind.OPS_ORDER
        if club.operator.type == Operator.Type.OPS
        else Notification.ActKind.BOARD_RESOLUTION,
        act_number=f"{club.pk}/{club.created_on.year}",
        act_date=club.created_on,
        act_original_name="akt.pdf",
        act_content_type="application/pdf",
        decided_on=entered_on,
    )
    content = _pdf(f"Akt o utworzeniu: {club.name}")
    notification.act_size = len(content)
    notification.act_file.save("akt.pdf", ContentFile(content), save=False)
    notification.save()
    entry = RegisterEntry(
        club=club,
        voivodeship=club.voivodeship,
        number=number,
        entered_on=entered_on,
        notification=notification,
        data=data,
    )
    entry.set_public_columns(data)
    entry.save()
    RegisterEvent.objects.create(
        club=club, entry=entry, notification=notification, kind="notified", on=notified_on, by_label=club.operator.name
    )
    RegisterEvent.objects.create(
        club=club,
        entry=entry,
        notification=notification,
        kind="entered",
        on=entered_on,
        by_label=officer,
        details={"number": number, "days_late": 0},
    )
    audit.record(None, "register.entered", entry, actor_label="demo", number=number)
    return entry


STRUCK_OFF = [
    # name, operator key or new gmina operator, gmina, street, postal, city, manager, created, number, entered,
    # struck off, basis, reason
    (
        "Klub Integracji Społecznej w Gorlicach",
        "gorlice",
        "1205011",
        "ul. Biecka 2",
        "38-300",
        "Gorlice",
        "Teresa Gil",
        date(2013, 3, 1),
        "KIS/12/3/2013",
        date(2013, 4, 15),
        date(2019, 12, 31),
        RegisterEntry.Basis.OPERATOR_NOTICE,
        "Zakończenie projektu EFS, podmiot zgłosił zaprzestanie działalności.",
    ),
    (
        "Klub Integracji Społecznej „Nadzieja” w Wołominie",
        "wolomin",
        "1434123",
        "ul. Lipińska 1",
        "05-200",
        "Wołomin",
        "Marian Pąk",
        date(2012, 9, 3),
        "14/KIS/2/2012",
        date(2012, 10, 1),
        date(2017, 3, 15),
        RegisterEntry.Basis.VOIVODE_FINDING,
        "Kontrola z 2.03.2017: klub nie prowadzi działalności od 2016 r.",
    ),
    (
        "Klub Integracji Społecznej – filia Zawada",
        "mops",
        "1262011",
        "ul. Zawadzka 40",
        "33-300",
        "Nowy Sącz",
        "Anna Rąb",
        date(2014, 1, 2),
        "KIS/12/1/2014",
        date(2014, 2, 3),
        date(2020, 6, 30),
        RegisterEntry.Basis.OPERATOR_NOTICE,
        "Połączenie z klubem „Przystań”.",
    ),
]


def is_loaded() -> bool:
    return RegisterEntry.objects.exists()


@transaction.atomic
def load(today: date | None = None) -> None:
    """Load the demo register entries and notifications (idempotent: called when ``is_loaded()`` is false)."""
    today = today or timezone.localdate()
    officer = User.objects.filter(grants__role=Role.VOIVODE, grants__voivodeship="12").first()
    officer_name = officer.full_name if officer else "urząd wojewódzki"
    clubs = {club.email.split("@")[1].split(".")[0]: club for club in Club.objects.select_related("operator")}
    operators = {op.email.split("@")[1].split(".")[0]: op for op in Operator.objects.all() if op.email}

    przystan = _entry(clubs["przystan"], "KIS/12/2/2019", date(2019, 3, 4), date(2019, 3, 20), officer_name)
    _entry(clubs["stary_sacz"], "KIS/12/7/2021", date(2021, 9, 6), date(2021, 9, 27), officer_name)
    _entry(clubs["limanowa"], "KIS/12/1/2023", date(2023, 1, 18), date(2023, 2, 1), officer_name)
    _entry(clubs["krok"], "14/KIS/3/2018", date(2018, 5, 7), date(2018, 5, 28), "Mazowiecki Urząd Wojewódzki")
    # A change recorded years ago: the club moved.
    RegisterEvent.objects.create(
        club=przystan.club,
        entry=przystan,
        kind="changed",
        on=date(2022, 9, 12),
        by_label=officer_name,
        details={"changes": {"club_street": ["ul. Kościelna 4", przystan.data["club_street"]]}},
    )
    for code, pattern in (
        ("12", "KIS/{woj}/{n}/{rok}"),
        ("14", "{woj}/KIS/{n}/{rok}"),
        ("02", "KIS-{woj}-{n:03d}/{rok}"),
    ):
        NumberingScheme.objects.create(voivodeship=code, pattern=pattern, next_number=1, counter_year=today.year)

    # The planned club in Wrocław: notified five days ago by its leader, inside the 30 days.
    warsztat = clubs["warsztat"]
    leader = User.objects.filter(grants__club=warsztat, grants__role=Role.LEADER).first()
    if leader is not None:
        services.notify_club(
            club=warsztat,
            data=_data(warsztat, warsztat.operator),
            act=services.Attachment(
                upload=SimpleUploadedFile("uchwala.pdf", _pdf("Uchwala zarzadu nr 3/2026"), "application/pdf"),
                content_type="application/pdf",
                kind=Notification.ActKind.BOARD_RESOLUTION,
                number="Uchwała zarządu nr 3/2026",
                on=today - timedelta(days=20),
            ),
            note="Prosimy o wpis przed planowanym otwarciem klubu.",
            by=leader,
            today=today - timedelta(days=5),
        )
    # Stary Sącz notified a new manager 40 days ago: overdue in the officer's inbox.
    stary_sacz = clubs["stary_sacz"]
    stary_entry = RegisterEntry.objects.get(club=stary_sacz)
    leader = User.objects.filter(grants__club=stary_sacz, grants__role=Role.LEADER).first()
    if leader is not None:
        services.notify_change(
            entry=stary_entry,
            data={**stary_entry.data, "manager_name": "Czesława Kruk-Nowak", "club_phone": "18 446 10 20"},
            act=None,
            note="Zmiana osoby kierującej klubem od 1 października.",
            by=leader,
            today=today - timedelta(days=40),
        )

    # Clubs struck off long ago, for the public register.
    for (
        name,
        op_key,
        gmina,
        street,
        postal,
        city,
        manager,
        created,
        number,
        entered,
        struck,
        basis,
        reason,
    ) in STRUCK_OFF:
        operator = operators.get(op_key)
        if operator is None:
            operator = Operator(
                type=Operator.Type.GMINA,
                name="Gmina Miasta Gorlice",
                gmina_id=gmina,
                street="Rynek 2",
                postal_code=postal,
                city=city,
                nip=demo_nip("738101601"),
                regon=demo_regon("49101600"),
                email="urzad@gorlice.example",
                phone="+48 18 355 12 00",
            )
            operator.save()
            audit.record(None, "operator.created", operator, actor_label="demo")
            operators[op_key] = operator
        club = Club(
            operator=operator,
            name=name,
            gmina_id=gmina,
            street=street,
            postal_code=postal,
            city=city,
            manager_name=manager,
            manager_title="kierownik klubu",
            created_on=created,
            started_on=created,
            status=Club.Status.CLOSED,
        )
        club.save()
        audit.record(None, "club.created", club, actor_label="demo")
        entry = _entry(club, number, created + timedelta(days=7), entered, officer_name)
        entry.struck_off_on, entry.strike_off_basis, entry.strike_off_reason = struck, basis, reason
        entry.save(update_fields=["struck_off_on", "strike_off_basis", "strike_off_reason"])
        RegisterEvent.objects.create(
            club=club,
            entry=entry,
            kind="struck_off",
            on=struck,
            by_label=officer_name,
            comment=reason,
            details={"basis": basis},
        )
