"""Staff management: invitations by e-mail, accepting them, removal that ends sessions at once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from kis.accounts.models import Grant, Role, User
from kis.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_staff_list_shows_the_clubs_people_only(world: Any, django_assert_max_num_queries: Any) -> None:
    client = client_for(world.alicja)
    with django_assert_max_num_queries(10):
        response = client.get(f"/kluby/{world.club_a.pk}/pracownicy/")
    body = response.content.decode()
    assert "Bartek Nowak" in body
    assert "Dorota Wiśniewska" in body
    assert "Celina Kruk" not in body


def test_the_staff_list_query_count_does_not_grow_with_staff(world: Any, django_assert_num_queries: Any) -> None:
    client = client_for(world.alicja)
    url = f"/kluby/{world.club_a.pk}/pracownicy/"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(30):
        user = User.objects.create_user(email=f"p{number}@example.pl", password=None, full_name=f"Osoba {number}")
        Grant.objects.create(user=user, role=Role.STAFF, club=world.club_a)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_leader_invites_a_new_person_who_sets_a_password(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(world.alicja)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/kluby/{world.club_a.pk}/pracownicy/zapros/",
            {"email": "Ewa.Nowa@Example.pl", "full_name": "Ewa Nowa", "role": "staff", "title": "psychologist"},
        )
    assert response.status_code == 302
    ewa = User.objects.get(email="ewa.nowa@example.pl")
    grant = ewa.grants.get()
    assert (grant.role, grant.title, grant.club) == ("staff", "psychologist", world.club_a)
    assert not ewa.has_usable_password()
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/zaproszenie/\S+/", mail.outbox[0].body)
    assert link is not None
    path = link.group(0).split("8000", 1)[1] if "8000" in link.group(0) else link.group(0)
    anonymous = Client()
    weak = anonymous.post(path, {"new_password1": "ewa", "new_password2": "ewa"})
    assert weak.status_code == 200
    assert weak.context["form"].has_error("new_password2")
    strong = anonymous.post(path, {"new_password1": "Zielony-Parasol-77", "new_password2": "Zielony-Parasol-77"})
    assert strong.status_code == 302
    ewa.refresh_from_db()
    assert ewa.check_password("Zielony-Parasol-77")
    assert anonymous.get(path).status_code == 404  # the link works once
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"user.invited", "grant.created", "user.invitation_accepted"} <= actions


def test_inviting_an_existing_account_adds_a_grant_only(world: Any) -> None:
    client = client_for(world.olek)
    response = client.post(
        f"/kluby/{world.club_a.pk}/pracownicy/zapros/",
        {"email": "celina@example.pl", "full_name": "Celina Kruk", "role": "leader", "title": ""},
    )
    assert response.status_code == 302
    assert set(world.celina.grants.values_list("role", "club_id")) == {
        ("staff", world.club_b.pk),
        ("leader", world.club_a.pk),
    }


def test_a_leader_cannot_hand_out_the_leader_role(world: Any) -> None:
    client = client_for(world.alicja)
    response = client.post(
        f"/kluby/{world.club_a.pk}/pracownicy/zapros/",
        {"email": "x@example.pl", "full_name": "X", "role": "leader", "title": ""},
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("role", code="invalid_choice")
    assert not User.objects.filter(email="x@example.pl").exists()


def test_bad_invitation_input_gets_field_errors_and_saves_nothing(world: Any) -> None:
    client = client_for(world.alicja)
    response = client.post(
        f"/kluby/{world.club_a.pk}/pracownicy/zapros/",
        {"email": "not-an-email", "full_name": "", "role": "desk", "title": "psychologist"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("email", code="invalid")
    assert form.has_error("full_name", code="required")
    assert form.has_error("title", code="title_not_staff")
    assert User.objects.count() == 10
    assert len(mail.outbox) == 0


def test_removing_a_person_ends_their_sessions_at_once(world: Any) -> None:
    bartek = client_for(world.bartek)
    assert bartek.get(f"/kluby/{world.club_a.pk}/").status_code == 200
    grant = world.bartek.grants.get()
    response = client_for(world.alicja).post(f"/kluby/{world.club_a.pk}/pracownicy/{grant.pk}/usun/")
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert grant.revoked_by == world.alicja
    next_request = bartek.get(f"/kluby/{world.club_a.pk}/")
    assert next_request.status_code == 302
    assert next_request["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action="grant.revoked", club_id=world.club_a.pk).exists()


def test_a_leader_cannot_remove_themselves(world: Any) -> None:
    grant = world.alicja.grants.get()
    response = client_for(world.alicja).post(f"/kluby/{world.club_a.pk}/pracownicy/{grant.pk}/usun/")
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_an_operator_admin_removes_a_leader_but_a_leader_cannot_remove_another_leader(world: Any) -> None:
    second = User.objects.create_user(email="druga@example.pl", password=None, full_name="Druga Liderka")
    grant = Grant.objects.create(user=second, role=Role.LEADER, club=world.club_a)
    url = f"/kluby/{world.club_a.pk}/pracownicy/{grant.pk}/usun/"
    assert client_for(world.alicja).post(url).status_code == 403
    assert client_for(world.olek).post(url).status_code == 302


def test_a_grant_of_another_club_is_404_even_through_ones_own_club(world: Any) -> None:
    celina_grant = world.celina.grants.get()
    response = client_for(world.alicja).post(f"/kluby/{world.club_a.pk}/pracownicy/{celina_grant.pk}/usun/")
    assert response.status_code == 404
    celina_grant.refresh_from_db()
    assert celina_grant.revoked_at is None


def test_outsiders_cannot_invite_into_another_club(world: Any) -> None:
    response = client_for(world.celina).post(
        f"/kluby/{world.club_a.pk}/pracownicy/zapros/",
        {"email": "spy@example.pl", "full_name": "Spy", "role": "staff", "title": ""},
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="spy@example.pl").exists()
