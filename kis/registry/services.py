"""Register workflows (art. 18a u.z.s.): each one atomic, audited, with the acting user named.

The register writes to clubs in two places only, both audited: a notified new club is created
as "awaiting register entry", and its status becomes active on entry and closed on strike-off
(with the notified data applied to the club record when the entry or a change is recorded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from kis import audit
from kis.accounts.models import User
from kis.clubs.models import Club, Operator
from kis.registry.models import (
    CESSATION_NOTICE_DAYS,
    FORM_FIELDS,
    Notification,
    NumberingScheme,
    RegisterEntry,
    RegisterEvent,
)

DEFAULT_MANAGER_TITLE = "kierownik klubu"


class RegisterError(Exception):
    """A step that the state of the notification or entry does not allow (shown as a message)."""


@dataclass(frozen=True)
class Attachment:
    """The founding act (or the act closing a club) as uploaded."""

    upload: UploadedFile[bytes]
    content_type: str
    kind: str = ""
    number: str = ""
    on: date | None = None


def _attach(notification: Notification, act: Attachment | None) -> None:
    if act is None:
        return
    notification.act_kind, notification.act_number, notification.act_date = act.kind, act.number, act.on
    notification.act_original_name = get_valid_filename(act.upload.name or "")[:200] or "akt"
    notification.act_content_type, notification.act_size = act.content_type, act.upload.size or 0
    notification.act_file = act.upload


def _event(
    club: Club,
    kind: str,
    *,
    on: date,
    by: User | None,
    entry: RegisterEntry | None = None,
    notification: Notification | None = None,
    comment: str = "",
    by_label: str = "",
    **details: Any,
) -> RegisterEvent:
    return RegisterEvent.objects.create(
        club=club,
        entry=entry,
        notification=notification,
        kind=kind,
        on=on,
        by=by,
        by_label=by_label or (by.full_name if by is not None else ""),
        comment=comment,
        details=details,
    )


def _apply_to_club(club: Club, data: dict[str, Any], *, status: str | None, by: User) -> None:
    """Bring the club record in line with what the register holds (audited)."""
    values: dict[str, Any] = {
        "name": data["club_name"],
        "street": data["club_street"],
        "postal_code": data["club_postal_code"],
        "city": data["club_city"],
        "gmina_id": data["club_gmina"],
        "created_on": date.fromisoformat(data["created_on"]),
        "started_on": date.fromisoformat(data["started_on"]) if data.get("started_on") else None,
        "manager_name": data["manager_name"],
        "phone": data.get("club_phone", ""),
        "email": data.get("club_email", ""),
    }
    if status is not None:
        values["status"] = status
    changes = {}
    for name, value in values.items():
        old = getattr(club, name)
        if old != value:
            changes[name] = [str(old) if old is not None else None, str(value) if value is not None else None]
            setattr(club, name, value)
    if changes:
        club.version += 1
        club.save(update_fields=[*values, "version"])
        audit.record(by, "club.updated_from_register", club, changes=changes)


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [old.get(name, ""), new.get(name, "")] for name in FORM_FIELDS if old.get(name, "") != new.get(name, "")
    }


# --------------------------------------------------------------------------- the operator


@transaction.atomic
def notify_new_club(
    *, operator: Operator, data: dict[str, Any], act: Attachment, note: str = "", by: User, today: date | None = None
) -> Notification:
    """A new club: its record is created as awaiting entry, and the notification goes to the voivode."""
    today = today or timezone.localdate()
    club = Club(
        operator=operator,
        name=data["club_name"],
        street=data["club_street"],
        postal_code=data["club_postal_code"],
        city=data["club_city"],
        gmina_id=data["club_gmina"],
        phone=data.get("club_phone", ""),
        email=data.get("club_email", ""),
        manager_name=data["manager_name"],
        manager_title=DEFAULT_MANAGER_TITLE,
        created_on=date.fromisoformat(data["created_on"]),
        started_on=date.fromisoformat(data["started_on"]) if data.get("started_on") else None,
        status=Club.Status.PLANNED,
    )
    club.save()
    audit.record(by, "club.created", club, via="register notification")
    return _notify(club=club, kind=Notification.Kind.NEW, data=data, act=act, note=note, by=by, today=today)


@transaction.atomic
def notify_club(
    *, club: Club, data: dict[str, Any], act: Attachment, note: str = "", by: User, today: date | None = None
) -> Notification:
    """A club already recorded (awaiting entry) is notified for entry."""
    if club.notifications.open().filter(kind=Notification.Kind.NEW).exists() or hasattr(club, "register_entry"):
        raise RegisterError("already_notified")
    return _notify(club=club, kind=Notification.Kind.NEW, data=data, act=act, note=note, by=by, today=today)


def _notify(
    *,
    club: Club,
    kind: str,
    data: dict[str, Any],
    act: Attachment | None,
    note: str,
    by: User,
    today: date | None,
    ceased_on: date | None = None,
) -> Notification:
    today = today or timezone.localdate()
    # The competent voivode is the one where the club operates (art. 18a ust. 2).
    voivodeship = str(data.get("club_gmina") or club.gmina_id)[:2]
    notification = Notification(
        club=club,
        operator_id=club.operator_id,
        voivodeship=voivodeship,
        kind=kind,
        received_on=today,
        deadline=Notification.deadline_from(today),
        data=data,
        note=note,
        ceased_on=ceased_on,
        submitted_by=by,
    )
    _attach(notification, act)
    notification.save()
    entry = getattr(club, "register_entry", None)
    event_kind = {
        Notification.Kind.NEW: RegisterEvent.Kind.NOTIFIED,
        Notification.Kind.CHANGE: RegisterEvent.Kind.CHANGE_NOTIFIED,
        Notification.Kind.CESSATION: RegisterEvent.Kind.CESSATION_NOTIFIED,
    }[Notification.Kind(kind)]
    details: dict[str, Any] = {}
    if kind == Notification.Kind.CHANGE and entry is not None:
        details["changes"] = changes_between(entry_data(entry), data)
    if ceased_on is not None:
        details["ceased_on"] = ceased_on.isoformat()
        details["late"] = (today - ceased_on).days > CESSATION_NOTICE_DAYS
    _event(club, event_kind, on=today, by=by, entry=entry, notification=notification, comment=note, **details)
    audit.record(by, f"register.notified_{kind}", notification, deadline=notification.deadline.isoformat())
    return notification


@transaction.atomic
def notify_change(
    *,
    entry: RegisterEntry,
    data: dict[str, Any],
    act: Attachment | None,
    note: str = "",
    by: User,
    today: date | None = None,
) -> Notification:
    if entry.is_struck_off:
        raise RegisterError("struck_off")
    if not changes_between(entry_data(entry), data):
        raise RegisterError("no_changes")
    return _notify(club=entry.club, kind=Notification.Kind.CHANGE, data=data, act=act, note=note, by=by, today=today)


@transaction.atomic
def notify_cessation(
    *, entry: RegisterEntry, ceased_on: date, note: str, act: Attachment | None, by: User, today: date | None = None
) -> Notification:
    if entry.is_struck_off:
        raise RegisterError("struck_off")
    if entry.club.notifications.open().filter(kind=Notification.Kind.CESSATION).exists():
        raise RegisterError("already_notified")
    data = {**entry_data(entry), "ceased_on": ceased_on.isoformat()}
    return _notify(
        club=entry.club,
        kind=Notification.Kind.CESSATION,
        data=data,
        act=act,
        note=note,
        by=by,
        today=today,
        ceased_on=ceased_on,
    )


@transaction.atomic
def resubmit(
    *,
    notification: Notification,
    data: dict[str, Any],
    act: Attachment | None,
    note: str,
    by: User,
    today: date | None = None,
) -> Notification:
    """The corrected notification: the 30 days run again from today (the missing data arrive now)."""
    today = today or timezone.localdate()
    if notification.state != Notification.State.CORRECTIONS:
        raise RegisterError("not_awaiting_corrections")
    changes = changes_between(notification.data, data)
    notification.data = {**notification.data, **data}
    notification.note = note
    notification.state = Notification.State.RESUBMITTED
    notification.deadline = Notification.deadline_from(today)
    notification.version += 1
    fields = ["data", "note", "state", "deadline", "version"]
    if act is not None:
        _attach(notification, act)
        fields += [
            "act_kind",
            "act_number",
            "act_date",
            "act_file",
            "act_original_name",
            "act_content_type",
            "act_size",
        ]
    notification.save(update_fields=fields)
    entry = getattr(notification.club, "register_entry", None)
    _event(
        notification.club,
        RegisterEvent.Kind.RESUBMITTED,
        on=today,
        by=by,
        entry=entry,
        notification=notification,
        comment=note,
        changes=changes,
        new_act=act is not None,
    )
    audit.record(by, "register.resubmitted", notification, changes=changes, new_act=act is not None)
    return notification


# --------------------------------------------------------------------------- the voivode


def _decide(notification: Notification, *, on: date, by: User) -> None:
    notification.state = Notification.State.RECORDED
    notification.decided_on, notification.decided_by = on, by
    notification.version += 1
    notification.save(update_fields=["state", "decided_on", "decided_by", "version"])


def _require_open(notification: Notification, kind: str) -> None:
    if notification.kind != kind:
        raise RegisterError("wrong_kind")
    if not notification.awaits_officer:
        raise RegisterError("not_awaiting_decision")


@transaction.atomic
def request_corrections(*, notification: Notification, comment: str, by: User, today: date | None = None) -> None:
    today = today or timezone.localdate()
    if not notification.awaits_officer:
        raise RegisterError("not_awaiting_decision")
    notification.state = Notification.State.CORRECTIONS
    notification.corrections = comment
    notification.version += 1
    notification.save(update_fields=["state", "corrections", "version"])
    entry = getattr(notification.club, "register_entry", None)
    _event(
        notification.club,
        RegisterEvent.Kind.CORRECTIONS,
        on=today,
        by=by,
        entry=entry,
        notification=notification,
        comment=comment,
    )
    audit.record(by, "register.corrections_requested", notification, comment=comment)


@transaction.atomic
def enter(*, notification: Notification, number: str, entered_on: date, by: User) -> RegisterEntry:
    """Enter the notified club: the entry, its history, the numbering counter, the club's status."""
    _require_open(notification, Notification.Kind.NEW)
    club = Club.objects.select_for_update().get(pk=notification.club_id)
    if RegisterEntry.objects.filter(club=club).exists():
        raise RegisterError("already_entered")
    scheme = NumberingScheme.objects.select_for_update().filter(voivodeship=notification.voivodeship).first()
    if scheme is None:
        scheme = NumberingScheme.for_voivodeship(notification.voivodeship)
    proposed = scheme.propose(entered_on)
    entry = RegisterEntry(
        club=club,
        voivodeship=notification.voivodeship,
        number=number,
        entered_on=entered_on,
        notification=notification,
        data=dict(notification.data),
    )
    entry.set_public_columns(notification.data)
    entry.full_clean(exclude=["club", "notification"])
    entry.save()
    if number == proposed:
        scheme.advance(entered_on)
    _decide(notification, on=entered_on, by=by)
    late = (entered_on - notification.deadline).days
    _event(
        club,
        RegisterEvent.Kind.ENTERED,
        on=entered_on,
        by=by,
        entry=entry,
        notification=notification,
        number=number,
        days_late=max(late, 0),
    )
    # History before the entry (the notification and any corrections) now belongs to it too.
    RegisterEvent.objects.filter(club=club, entry=None).update(entry=entry)
    _apply_to_club(club, notification.data, status=Club.Status.ACTIVE, by=by)
    audit.record(
        by, "register.entered", entry, number=number, entered_on=entered_on.isoformat(), days_late=max(late, 0)
    )
    return entry


@transaction.atomic
def record_change(*, notification: Notification, on: date, by: User) -> RegisterEntry:
    _require_open(notification, Notification.Kind.CHANGE)
    entry = RegisterEntry.objects.select_for_update().get(club_id=notification.club_id)
    if entry.is_struck_off:
        raise RegisterError("struck_off")
    changes = changes_between(entry_data(entry), notification.data)
    entry.data = {**entry_data(entry), **{k: notification.data[k] for k in FORM_FIELDS if k in notification.data}}
    entry.set_public_columns(entry.data)
    entry.save()
    _decide(notification, on=on, by=by)
    _event(
        entry.club, RegisterEvent.Kind.CHANGED, on=on, by=by, entry=entry, notification=notification, changes=changes
    )
    _apply_to_club(entry.club, entry.data, status=None, by=by)
    audit.record(by, "register.changed", entry, changes=changes)
    return entry


@transaction.atomic
def strike_off(
    *,
    entry: RegisterEntry,
    on: date,
    basis: str,
    reason: str,
    by: User,
    notification: Notification | None = None,
) -> RegisterEntry:
    """Strike the club off (art. 18a ust. 5), on the operator's notice or the voivode's finding."""
    entry = RegisterEntry.objects.select_for_update().select_related("club").get(pk=entry.pk)
    if entry.is_struck_off:
        raise RegisterError("struck_off")
    if notification is not None:
        _require_open(notification, Notification.Kind.CESSATION)
        basis = RegisterEntry.Basis.OPERATOR_NOTICE
        entry.ceased_on = notification.ceased_on
    entry.struck_off_on, entry.strike_off_basis, entry.strike_off_reason = on, basis, reason
    entry.full_clean(exclude=["club", "notification"])
    entry.save(update_fields=["ceased_on", "struck_off_on", "strike_off_basis", "strike_off_reason"])
    if notification is not None:
        _decide(notification, on=on, by=by)
    _event(
        entry.club,
        RegisterEvent.Kind.STRUCK_OFF,
        on=on,
        by=by,
        entry=entry,
        notification=notification,
        comment=reason,
        basis=basis,
    )
    club = entry.club
    if club.status != Club.Status.CLOSED:
        old = club.status
        club.status = Club.Status.CLOSED
        club.version += 1
        club.save(update_fields=["status", "version"])
        audit.record(by, "club.updated_from_register", club, changes={"status": [old, club.status]})
    audit.record(by, "register.struck_off", entry, basis=basis, reason=reason, on=on.isoformat())
    return entry


@transaction.atomic
def save_numbering(*, scheme: NumberingScheme, changes: dict[str, Any], by: User) -> None:
    scheme.save()
    audit.record(by, "register.numbering_changed", scheme, changes=changes)


def entry_data(entry: RegisterEntry) -> dict[str, Any]:
    """What the register holds about the club now (the last recorded notification's data)."""
    return dict(entry.data or {})
