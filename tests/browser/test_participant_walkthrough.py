"""A club worker walks a participant's whole file: intake, contract, plan, start, eligibility, ending.

Bartek (staff, Club A) does everything through the pages, in a desktop viewport; every page he
lands on gets axe-core and a clean console (check_page). The database is checked at the end.
"""

from __future__ import annotations

import importlib
import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_page as _check_page

pytestmark = pytest.mark.browser

_DUPLICATE_IDS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}"""


def check_page(page: Page) -> None:
    """check_page, and no id twice on a page: a label's for= would point at the wrong field."""
    _check_page(page)
    duplicates = page.evaluate(_DUPLICATE_IDS)
    assert not duplicates, f"duplicate ids on {page.url}: {duplicates}"


FIRST, LAST = "Marta", "Kwiatkowska"
PESEL = "92071314764"  # 13.07.1992, a woman; checksum verified below with python-stdnum


def _legal_rules_in_force() -> None:
    """The dated legal rules come from a data migration; an earlier transactional test flushes them."""
    from django.apps import apps

    migration = importlib.import_module("kis.participants.migrations.0002_legal_rules")
    migration.add_rules(apps, None)  # update_or_create: idempotent


def _submit(page: Page, form: str) -> None:
    """Submit one form (by a selector that names it) and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()


def test_a_club_worker_walks_a_participant_file_from_intake_to_certificate(
    page: Page, live_server: Any, world: Any, login_as: Any
) -> None:
    from django.utils import timezone
    from stdnum.pl import pesel as stdnum_pesel

    from kis.audit.models import AuditEvent
    from kis.participants.models import Certificate, FollowUp, Participant

    assert stdnum_pesel.is_valid(PESEL)
    _legal_rules_in_force()
    club = world.club_a
    base = live_server.url
    today = timezone.localdate()
    iso = today.isoformat()
    certificates_this_year = Certificate.objects.filter(club=club, year=today.year).count()
    login_as(world.bartek)

    # --- 1. Dashboard → participants → register a person --------------------------------------
    page.goto(base + "/")
    check_page(page)
    page.locator(f"main a[href='/kluby/{club.pk}/uczestnicy/']").first.click()
    expect(page).to_have_url(f"{base}/kluby/{club.pk}/uczestnicy/")
    check_page(page)

    page.locator(f"main a[href='/kluby/{club.pk}/uczestnicy/nowy/']").click()
    expect(page).to_have_url(f"{base}/kluby/{club.pk}/uczestnicy/nowy/")
    check_page(page)
    page.locator("#id_first_name").fill(FIRST)
    page.locator("#id_last_name").fill(LAST)
    page.locator("#id_pesel").fill(PESEL)
    page.locator("#id_labour_status").select_option("registered_unemployed")
    page.locator("#id_referral").select_option("ops")
    page.locator("#id_applied_on").fill(iso)
    page.locator("#id_notice_acknowledged_on").fill(iso)
    page.locator("input[name=groups][value=long_term_unemployed]").check()
    page.locator("#id_general_clause_confirmed").check()
    page.locator("#id_benefits_declared_on").fill(iso)
    _submit(page, "main form[method=post]:has(#id_first_name)")

    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/uczestnicy/\d+/$"))
    pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{FIRST} {LAST}")
    pesel = page.locator("#pesel")
    expect(pesel).to_contain_text("•••••••4764")
    expect(pesel).not_to_contain_text(PESEL)
    check_page(page)
    with page.expect_response(lambda r: r.url.endswith(f"/uczestnicy/{pk}/pesel/")) as revealed:
        pesel.locator("button[type=submit]").click()
    assert revealed.value.status == 200
    expect(page.locator("#pesel")).to_have_text(PESEL)
    expect(page.locator(f"main form[action='/uczestnicy/{pk}/pesel/']")).to_have_count(0)  # swapped with the span
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/")  # htmx swapped the span, no navigation
    check_page(page)

    tabs = page.locator("nav.tabs")

    # --- 2. Social contract: record, add a clause, mark as signed -------------------------------
    tabs.locator(f"a[href='/uczestnicy/{pk}/kontrakty/']").click()
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/kontrakty/")
    check_page(page)
    page.locator("main details:has(#id_ops_name) > summary").click()
    page.locator("#id_number").fill("77/2026")
    page.locator("#id_ops_name").fill("MOPS Nowy Sącz")
    page.locator("#id_social_worker").fill("Patrycja Zając")
    page.locator("#id_valid_from").fill((today - timedelta(days=7)).isoformat())
    page.locator("#id_valid_to").fill((today + timedelta(days=180)).isoformat())
    _submit(page, "main form:has(#id_ops_name)")

    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/kontrakty/\d+/$"))
    contract_pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
    expect(page.locator("main h2")).to_contain_text("77/2026")
    check_page(page)
    page.locator("main details:has(#id_action) > summary").click()
    page.locator("#id_action").fill("Udział w warsztatach kompetencji społecznych")
    page.locator("#id_responsible").select_option("participant")
    page.locator("#id_deadline").fill((today + timedelta(days=90)).isoformat())
    page.locator("#id_verification").fill("lista obecności")
    _submit(page, f"main form[action='/kontrakty/{contract_pk}/klauzule/']")
    expect(page).to_have_url(f"{base}/kontrakty/{contract_pk}/")
    expect(page.locator("main table tbody")).to_contain_text("Udział w warsztatach kompetencji społecznych")
    check_page(page)

    sign = f"main form[action='/kontrakty/{contract_pk}/podpisz/']"
    expect(page.locator(f"{sign} #id_signed_on")).to_have_value(iso)
    _submit(page, sign)
    expect(page).to_have_url(f"{base}/kontrakty/{contract_pk}/")
    expect(page.locator(sign)).to_have_count(0)
    expect(page.locator(f"main form[action='/kontrakty/{contract_pk}/aneks/']")).to_have_count(1)
    check_page(page)

    # --- 3. Reintegration plan: version 1, then version 2 keeps version 1 -----------------------
    due = (today + timedelta(days=60)).strftime("%d.%m.%Y")
    tabs.locator(f"a[href='/uczestnicy/{pk}/plan/']").click()
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/plan/")
    check_page(page)
    page.locator(f"main a[href='/uczestnicy/{pk}/plan/edycja/']").click()
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/plan/edycja/")
    check_page(page)
    page.locator("#id_diagnosis").fill("Długotrwale bezrobotna, chce wrócić do pracy w handlu.")
    page.locator("#id_social_goals").fill(f"Odbudowa kontaktów | Warsztaty grupowe | psycholog | {due}")
    page.locator("#id_vocational_goals").fill(f"Praca w handlu | Kurs kasjera | doradca zawodowy | {due}")
    page.locator("#id_agreed_on").fill(iso)
    page.locator("#id_agreement_witness").fill("Alicja Lis")
    _submit(page, "main form:has(#id_diagnosis)")
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/plan/")
    expect(page.locator("main h2").first).to_contain_text("Wersja 1")
    expect(page.locator("main")).to_contain_text("Kurs kasjera")
    check_page(page)

    page.locator(f"main a[href='/uczestnicy/{pk}/plan/edycja/']").click()
    expect(page.locator("#id_social_goals")).to_have_value(
        f"Odbudowa kontaktów | Warsztaty grupowe | psycholog | {due}"
    )
    check_page(page)
    page.locator("#id_change_note").fill("Dodano staż")
    page.locator("#id_vocational_goals").fill(
        f"Praca w handlu | Kurs kasjera | doradca zawodowy | {due}\n"
        f"Praca w handlu | Staż w sklepie | doradca zawodowy | {due}"
    )
    _submit(page, "main form:has(#id_diagnosis)")
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/plan/")
    expect(page.locator("main h2").first).to_contain_text("Wersja 2")
    expect(page.locator("main")).to_contain_text("Staż w sklepie")
    expect(page.locator("main")).to_contain_text("Wcześniejsze wersje")
    expect(page.locator("main li", has_text="Wersja 1")).to_have_count(1)
    check_page(page)

    # --- 4. Data tab: start participation today --------------------------------------------------
    tabs.locator(f"a[href='/uczestnicy/{pk}/']").click()
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/")
    check_page(page)
    admit = f"main form[action='/uczestnicy/{pk}/przyjecie/']"
    expect(page.locator(f"{admit} #id_joined_on")).to_have_value(iso)
    _submit(page, admit)
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/")
    expect(page.locator(admit)).to_have_count(0)
    expect(page.locator("main .messages")).to_contain_text("Rozpoczęto udział.")
    expect(page.locator("main [role=alert]")).to_have_count(0)  # the signed contract is in force
    check_page(page)

    # --- 5. Eligibility: give a reason, see the special data -------------------------------------
    tabs.locator(f"a[href='/uczestnicy/{pk}/dane-szczegolne/']").click()
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/dane-szczegolne/")
    check_page(page)
    page.locator("#reason").fill("weryfikacja uprawnień przy przyjęciu")
    _submit(page, "main form:has(#reason)")
    expect(page.locator("main")).to_contain_text("Spełnia warunki udziału")
    expect(page.locator("main ul.checks li")).to_have_count(4)
    expect(page.locator("main ul.checks")).not_to_contain_text("✘")
    check_page(page)

    # --- 6. Ending: completed, certificate and follow-ups ----------------------------------------
    tabs.locator(f"a[href='/uczestnicy/{pk}/zakonczenie/']").click()
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/zakonczenie/")
    check_page(page)
    expect(page.locator("#id_left_on")).to_have_value(iso)
    page.locator("#id_reason").select_option("completed")
    _submit(page, "main form:has(#id_left_on)")
    number = f"KIS/{club.pk}/{today.year}/{certificates_this_year + 1:04d}"
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/zakonczenie/")
    certificate_link = page.locator(f"main a[href='/uczestnicy/{pk}/zaswiadczenie/']")
    expect(certificate_link).to_have_text(number)
    expect(page.locator("main table tbody tr")).to_have_count(4)
    expect(page.locator("main form.follow-up")).to_have_count(4)
    check_page(page)

    certificate_link.click()
    expect(page).to_have_url(f"{base}/uczestnicy/{pk}/zaswiadczenie/")
    certificate = page.locator("main article.certificate")
    expect(certificate.get_by_role("heading", level=1)).to_be_visible()
    expect(certificate).to_contain_text(f"{FIRST} {LAST}")
    expect(certificate).to_contain_text(number)
    check_page(page)

    # --- What the server recorded ----------------------------------------------------------------
    participant = Participant.objects.get(pk=pk)
    assert participant.club_id == club.pk
    assert participant.status == Participant.Status.EXITED
    assert participant.joined_on == today and participant.left_on == today
    assert participant.exit_reason == Participant.ExitReason.COMPLETED
    assert participant.pesel == PESEL
    assert participant.groups == ["long_term_unemployed"]
    assert Certificate.objects.get(participant=participant).number == number
    assert FollowUp.objects.filter(participant=participant).count() == 4
    contract = participant.contracts.get()
    assert contract.pk == contract_pk and contract.status == "signed" and contract.signed_on == today
    assert contract.clauses.count() == 1
    assert list(participant.plans.order_by("number").values_list("number", "is_current")) == [(1, False), (2, True)]
    actions = set(AuditEvent.objects.filter(actor=world.bartek).values_list("action", flat=True))
    expected = {
        "participant.registered",
        "participant.pesel_revealed",
        "contract.created",
        "contract.clause_added",
        "contract.signed",
        "plan.version_created",
        "participant.admitted",
        "participant.special_read",
        "participant.exited",
        "certificate.issued",
        "certificate.viewed",
    }
    assert expected <= actions, f"missing audit events: {sorted(expected - actions)}"
