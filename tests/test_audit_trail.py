"""The audit trail: append-only, hash-chained, verified by `kis audit_verify`."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from kis import audit
from kis.audit.models import AuditEvent
from kis.audit.trail import verify


def _tamper(sql: str, params: list[Any]) -> None:
    """Change a stored event behind the application's back, as an attacker with SQL access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute(sql, params)
            cursor.execute(
                "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
            )


def test_it_chains_each_event_to_the_previous_one(world: Any) -> None:
    first = audit.record(world.alicja, "club.updated", world.club_a, changes={"name": ["A", "B"]})
    second = audit.record(world.alicja, "room.created", world.room_a)
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    assert second.club_id == world.club_a.pk
    assert second.operator_id == world.operator_a.pk
    assert second.voivodeship == "12"
    assert list(verify()) == []


def test_it_refuses_updates_in_the_application_and_the_database(world: Any) -> None:
    event = audit.record(world.alicja, "club.updated", world.club_a)
    event.action = "something.else"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")


def test_verify_finds_a_changed_event(world: Any) -> None:
    audit.record(world.alicja, "club.updated", world.club_a)
    victim = audit.record(world.bartek, "room.created", world.room_a)
    audit.record(world.alicja, "room.updated", world.room_a)
    _tamper("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["someone@else.pl", victim.pk])
    breaks = list(verify())
    assert [b.seq for b in breaks] == [victim.seq]
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    assert error.value.returncode == 1


def test_verify_finds_a_removed_event(world: Any) -> None:
    audit.record(world.alicja, "club.updated", world.club_a)
    victim = audit.record(world.bartek, "room.created", world.room_a)
    audit.record(world.alicja, "room.updated", world.room_a)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update")
    reasons = [b.reason for b in verify()]
    assert any("missing" in reason for reason in reasons)


def test_audit_verify_passes_on_an_intact_trail(world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    audit.record(world.alicja, "club.updated", world.club_a)
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


def test_redacted_fields_never_reach_the_trail(world: Any) -> None:
    from django import forms

    from kis.clubs.models import Room

    class SensitiveRoomForm(forms.ModelForm):  # type: ignore[type-arg]
        class Meta:
            model = Room
            fields = ["name", "notes"]

    Room.AUDIT_REDACTED_FIELDS = ("notes",)  # type: ignore[attr-defined]
    try:
        form = SensitiveRoomForm({"name": "Sala 1", "notes": "uzależnienie od alkoholu"}, instance=world.room_a)
        assert form.is_valid()
        saved = audit.save_form(form, "room.updated", by=world.alicja)
    finally:
        del Room.AUDIT_REDACTED_FIELDS  # type: ignore[attr-defined]
    stored = AuditEvent.objects.get(action="room.updated")
    assert "uzależnienie" not in str(stored.details)
    assert stored.details["changes"]["notes"] == "[redacted]"
    assert saved.notes == "uzależnienie od alkoholu"
    assert stored.target_id == str(world.room_a.pk)


def test_events_carry_the_request_id_and_client_address(world: Any, settings: Any) -> None:
    from django.test import Client

    settings.REQUIRE_MFA = False
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = Client()
    client.force_login(world.celina)
    response = client.get(
        f"/kluby/{world.club_a.pk}/", HTTP_X_FORWARDED_FOR="203.0.113.7", HTTP_X_REQUEST_ID="req-12345678"
    )
    assert response.status_code == 404
    denial = AuditEvent.objects.get(action="access.denied")
    assert (denial.ip, denial.request_id, denial.actor_id) == ("203.0.113.7", "req-12345678", world.celina.pk)
    assert denial.details["status"] == 404


def test_verify_finds_an_emptied_trail(world: Any) -> None:
    audit.record(world.alicja, "club.updated", world.club_a)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
        cursor.execute("DELETE FROM audit_auditevent")
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update")
    assert [b.reason for b in verify()] == ["all events are missing"]
