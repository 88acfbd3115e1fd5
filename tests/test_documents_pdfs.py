"""Every document type: the text extracted from the PDF matches the data (Polish letters exact)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kis.activities.models import Activity, Attendance, Enrolment, HoursEntry, Placement, Session
from kis.audit.models import AuditEvent
from kis.contracts.models import ContractClause, SocialContract
from kis.lib.testing import make_participant
from kis.lib.testing_documents import pdf_facts, pdf_figures, pdf_text
from kis.participants import services


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def flat(text: str) -> str:
    """Extracted text with line breaks and repeated spaces folded (table cells wrap)."""
    return re.sub(r"\s+", " ", text)


def get_pdf(client: Client, url: str) -> tuple[Any, str]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/pdf"
    return response, flat(pdf_text(response.content))


def assert_accessible_pdf(content: bytes, pages: int = 1) -> None:
    facts = pdf_facts(content)
    assert facts["lang"] == "pl"
    assert facts["marked"] is True
    assert facts["struct_tree"] is True
    assert facts["pdfua"] is True
    assert facts["title"]
    assert all("DejaVu-Sans" in str(font) for font in facts["fonts"])  # type: ignore[attr-defined]
    assert facts["pages"] == pages
    text = flat(pdf_text(content))
    for page in range(1, pages + 1):
        assert f"Strona {page} z {pages}" in text


@pytest.fixture
def lukasz(world: Any) -> Any:
    """A participant whose data use every Polish letter, with a signed contract and a plan."""
    from kis.contracts.models import PlanGoal, PlanStep, ReintegrationPlan

    person = make_participant(
        world.club_a,
        "Łukasz",
        "Żółć",
        pesel="85021412345",
        birth_date=date(1985, 2, 14),
        status="active",
        joined_on=date(2026, 2, 2),
        applied_on=date(2026, 1, 26),
        street="ul. Gęślą Jaźń 7/3",
        postal_code="33-300",
        city="Nowy Sącz",
        phone="600 100 200",
        email="lukasz@example.pl",
    )
    contract = SocialContract.objects.create(
        participant=person,
        number="77/2026",
        ops_name="MOPS Nowy Sącz",
        social_worker="Patrycja Zając",
        social_worker_phone="18 443 22 11",
        valid_from=date(2026, 1, 20),
        valid_to=date(2026, 9, 30),
        status="signed",
        signed_on=date(2026, 1, 22),
    )
    plan = ReintegrationPlan.objects.create(
        participant=person,
        number=1,
        diagnosis="Chce wrócić do pracy w ogrodnictwie; źle znosi pracę w hałasie.",
        next_review_on=date(2026, 5, 15),
        agreed_on=date(2026, 2, 3),
        agreement_witness="Bartek Nowak",
        created_by=world.bartek,
    )
    goal = PlanGoal.objects.create(plan=plan, kind="vocational", description="Zatrudnienie w zieleni miejskiej")
    PlanStep.objects.create(goal=goal, description="Kurs pilarza – ścinka", owner="doradca zawodowy")
    ContractClause.objects.create(
        contract=contract,
        action="Udział w warsztatach „Gęślą jaźń” ≥ 80 %",
        responsible="participant",
        deadline=date(2026, 6, 30),
        verification="lista obecności",
    )
    return person


def test_it_prints_the_declaration_with_the_persons_data(world: Any, lukasz: Any) -> None:
    response, text = get_pdf(login(world.bartek), f"/uczestnicy/{lukasz.pk}/dokumenty-pdf/deklaracja/")
    assert "Deklaracja uczestnictwa w klubie integracji społecznej" in text
    assert "Ja, niżej podpisana/podpisany Łukasz Żółć, deklaruję chęć uczestnictwa w zajęciach KIS Przystań" in text
    assert "MOPS w Nowym Sączu" in text
    assert "85021412345" in text
    assert "14.02.1985" in text
    assert "ul. Gęślą Jaźń 7/3, 33-300 Nowy Sącz" in text
    assert "600 100 200" in text and "lukasz@example.pl" in text
    assert "Nowy Sącz, 26.01.2026" in text
    assert "uczestniczę w klubie dobrowolnie (art. 18 ust. 3 u.z.s.)" in text
    # Special-category data are never printed: the test participant is long-term unemployed.
    assert "długotrwale" not in text.lower()
    assert_accessible_pdf(response.content)
    assert (
        response["Content-Disposition"]
        == "attachment; filename*=utf-8''Deklaracja-%C5%81ukasz-%C5%BB%C3%B3%C5%82%C4%87.pdf"
    )


def test_it_prints_the_information_notice(world: Any, lukasz: Any) -> None:
    response, text = get_pdf(login(world.alicja), f"/uczestnicy/{lukasz.pk}/dokumenty-pdf/klauzula-informacyjna/")
    assert "Informacja o przetwarzaniu danych osobowych" in text
    assert "Art. 13 rozporządzenia (UE) 2016/679 (RODO), dla: Łukasz Żółć" in text
    assert "Administratorem Pani/Pana danych osobowych jest MOPS w Nowym Sączu, ul. Testowa 1, 33-300 Nowy Sącz" in text
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in text
    assert "Zapoznałam/zapoznałem się z powyższą informacją. Łukasz Żółć, Nowy Sącz" in text
    assert_accessible_pdf(response.content)


def test_it_prints_the_contract_with_its_clauses(world: Any, lukasz: Any) -> None:
    response, text = get_pdf(login(world.bartek), f"/uczestnicy/{lukasz.pk}/dokumenty-pdf/kontrakt/")
    assert "Kontrakt socjalny Nr 77/2026" in text
    assert "Łukasz Żółć, ur. 14.02.1985" in text
    assert "MOPS Nowy Sącz" in text and "Patrycja Zając, 18 443 22 11" in text
    assert "22.01.2026" in text and "20.01.2026 – 30.09.2026" in text
    assert "Udział w warsztatach „Gęślą jaźń” ≥ 80 %" in text
    assert "30.06.2026" in text
    assert_accessible_pdf(response.content)


def test_it_prints_the_contract_asked_for(world: Any) -> None:
    older = SocialContract.objects.create(
        participant=world.jan,
        number="3/2025",
        ops_name="MOPS Nowy Sącz",
        social_worker="Patrycja Zając",
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 12, 31),
        status="completed_positively",
        signed_on=date(2025, 1, 2),
    )
    _response, text = get_pdf(
        login(world.bartek), f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/kontrakt/?kontrakt={older.pk}"
    )
    assert "Kontrakt socjalny Nr 3/2025" in text
    _response, text = get_pdf(login(world.bartek), f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/kontrakt/")
    assert "Kontrakt socjalny Nr 12/2026" in text


def test_it_prints_the_current_plan(world: Any, lukasz: Any) -> None:
    response, text = get_pdf(login(world.bartek), f"/uczestnicy/{lukasz.pk}/dokumenty-pdf/plan/")
    assert "Indywidualny plan reintegracji" in text
    assert "Chce wrócić do pracy w ogrodnictwie; źle znosi pracę w hałasie." in text
    assert "Zatrudnienie w zieleni miejskiej" in text
    assert "Kurs pilarza – ścinka" in text
    assert "03.02.2026 (Bartek Nowak)" in text
    assert "15.05.2026" in text
    assert_accessible_pdf(response.content)


def test_it_prints_the_certificate_with_number_code_and_qr(world: Any) -> None:
    certificate = world.ewa.certificate
    response, text = get_pdf(login(world.alicja), f"/uczestnicy/{world.ewa.pk}/dokumenty-pdf/zaswiadczenie/")
    assert "Zaświadczenie o ukończeniu udziału w klubie integracji społecznej" in text
    assert f"Nr {certificate.number}" in text
    assert (
        "Klub jest wpisany do rejestru klubów integracji społecznej prowadzonego przez wojewodę pod numerem KIS/12/1/2020 z dnia 20.01.2020."
        in " ".join(text.split())
    )
    assert "Zaświadcza się, że Ewa Wiśniewska, urodzona/urodzony 02.03.1975" in text
    assert "od 01.03.2025 do 28.11.2025" in text
    assert "Nowy Sącz, 28.11.2025" in text
    assert f"Kod weryfikacyjny: {certificate.verification_code}" in text
    assert "/zaswiadczenia/sprawdz/" in text.replace(" ", "")  # the address may wrap
    # Club A's own wording of the legal basis (world.template_a) replaces the default.
    assert "Zaświadczenie wydano na podstawie art. 18 ust. 5a ustawy o zatrudnieniu socjalnym." in text
    assert "Alicja Lis, kierownik" in text
    assert pdf_figures(response.content) == ["Kod QR z adresem strony sprawdzania zaświadczeń"]
    assert_accessible_pdf(response.content)
    assert "Za%C5%9Bwiadczenie-KIS-" in response["Content-Disposition"]
    assert "/" not in response["Content-Disposition"].split("''")[1].replace("%2F", "/").split("KIS")[0]


def test_it_prints_the_attendance_list_of_a_session(world: Any, lukasz: Any) -> None:
    Enrolment.objects.create(activity=world.activity_a, participant=lukasz, enrolled_on=date(2026, 2, 1))
    Attendance.objects.create(
        session=world.session_a, participant=lukasz, status="present", hours=Decimal(3), updated_by=world.bartek
    )
    Attendance.objects.create(
        session=world.session_a, participant=world.jan, status="excused", hours=Decimal(0), updated_by=world.bartek
    )
    response, text = get_pdf(login(world.dorota), f"/spotkania/{world.session_a.pk}/lista-obecnosci.pdf")
    today = timezone.localdate()
    assert "Lista obecności" in text
    assert "Warsztaty kompetencji społecznych" in text
    assert f"{today:%d.%m.%Y}, 10:00–13:00" in text
    assert "Sala 1" in text and "Bartek Nowak" in text
    assert "1 Jan Nowak nieobecność usprawiedliwiona" in text
    assert "2 Łukasz Żółć obecny 3" in text
    assert "1 osoba obecna" in text
    assert "Podpis" in text
    assert_accessible_pdf(response.content)


def test_it_prints_the_monthly_attendance_list_of_an_activity(world: Any, lukasz: Any) -> None:
    activity = Activity.objects.create(club=world.club_a, name="Gęślą jaźń – warsztaty", type="vocational_workshop")
    Enrolment.objects.create(activity=activity, participant=lukasz, enrolled_on=date(2026, 2, 1))
    Enrolment.objects.create(activity=activity, participant=world.jan, enrolled_on=date(2026, 2, 1))
    sessions = []
    for day in (3, 10, 17):
        start = timezone.make_aware(datetime.combine(date(2026, 2, day), time(10)))
        sessions.append(Session.objects.create(activity=activity, starts_at=start, ends_at=start.replace(hour=12)))
    Attendance.objects.create(
        session=sessions[0], participant=lukasz, status="present", hours=Decimal(2), updated_by=world.bartek
    )
    Attendance.objects.create(
        session=sessions[1], participant=lukasz, status="unexcused", hours=Decimal(0), updated_by=world.bartek
    )
    Attendance.objects.create(
        session=sessions[0], participant=world.jan, status="excused", hours=Decimal(0), updated_by=world.bartek
    )
    response, text = get_pdf(login(world.bartek), f"/zajecia/{activity.pk}/lista-obecnosci/2026-02/")
    assert "Lista obecności · luty 2026" in text
    assert "Gęślą jaźń – warsztaty" in text
    assert "03.02 10.02 17.02" in text
    assert "1 Jan Nowak U 0 0" in text
    assert "2 Łukasz Żółć O N 1 2" in text
    assert "O – obecny, U – nieobecność usprawiedliwiona" in text
    assert_accessible_pdf(response.content)


def test_it_prints_the_hours_card(world: Any) -> None:
    HoursEntry.objects.create(
        placement=world.placement_a, day=date(2026, 2, 3), hours=Decimal("3.5"), recorded_by=world.bartek
    )
    response, text = get_pdf(
        login(world.bartek), f"/uczestnicy/{world.jan.pk}/godziny/{world.placement_a.pk}/2026-02/karta.pdf"
    )
    assert "Karta godzin · luty 2026" in text
    assert "Jan Nowak" in text
    assert "Zakład Gospodarki Komunalnej w Nowym Sączu" in text
    assert "PSU/3/2026 z 1.02.2026" in text
    assert "02.02.2026 4" in text and "03.02.2026 3,50" in text
    assert "Miesiąc 7,50" in text
    assert "7,50 h × 12,20 zł = 91,50 zł" in text
    assert "Potwierdzam przepracowanie wykazanych wyżej godzin. Jan Nowak" in text
    assert_accessible_pdf(response.content)


def test_it_prints_the_psu_settlement(world: Any) -> None:
    response, text = get_pdf(login(world.alicja), f"/kluby/{world.club_a.pk}/rozliczenie-psu/2026-02/pdf/")
    assert "Rozliczenie prac społecznie użytecznych · luty 2026" in text
    assert "Gmina: Nowy Sącz (1262011)" in text
    assert "Jan Nowak" in text
    assert "4 12,20 48,80" in text
    assert_accessible_pdf(response.content)


def test_it_prints_the_whole_file_as_one_pdf(world: Any, lukasz: Any) -> None:
    services.end_participation(
        participant=lukasz, on=date(2026, 8, 31), reason="completed", employment_kind="", note="", by=world.alicja
    )
    Placement.objects.create(
        participant=lukasz,
        kind="psu",
        organiser="Spółdzielnia „Źródło”",
        gmina_id="1262011",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 6, 30),
        planned_hours_week=Decimal(10),
    )
    response, text = get_pdf(login(world.bartek), f"/uczestnicy/{lukasz.pk}/dokumenty-pdf/teczka/")
    facts = pdf_facts(response.content)
    assert facts["pages"] >= 6
    assert_accessible_pdf(response.content, pages=int(facts["pages"]))  # type: ignore[call-overload]
    for expected in (
        "Teczka uczestnika",
        "Deklaracja uczestnictwa w klubie integracji społecznej",
        "Informacja o przetwarzaniu danych osobowych",
        "Kontrakt socjalny Nr 77/2026",
        "Indywidualny plan reintegracji",
        "Zaświadczenie o ukończeniu udziału",
        lukasz.certificate.number,
        "Spółdzielnia „Źródło”",
        "Danych szczególnych kategorii (grupy ustawowe, zdrowie, świadczenia) nie drukuje się.",
    ):
        assert expected in text, expected


def test_printing_is_audited_with_the_kind(world: Any) -> None:
    get_pdf(login(world.bartek), f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/plan/")
    event = AuditEvent.objects.filter(action="document.printed").latest("seq")
    assert event.details == {"kind": "plan"}
    assert event.target_id == str(world.jan.pk)
    assert event.club_id == world.club_a.pk


def test_it_lists_what_is_missing_instead_of_printing(world: Any) -> None:
    person = make_participant(world.club_a, "Zofia", "Bąk", status="candidate")
    client = login(world.bartek)
    response = client.get(f"/uczestnicy/{person.pk}/dokumenty-pdf/deklaracja/")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert "adres uczestnika (ulica, kod pocztowy i miejscowość)" in response.text
    for kind, missing in (
        ("kontrakt", "kontrakt socjalny podpisany przez OPS/CUS"),
        ("plan", "indywidualny plan reintegracji"),
        ("zaswiadczenie", "zaświadczenie o ukończeniu"),
        ("teczka", "adres uczestnika"),
    ):
        response = client.get(f"/uczestnicy/{person.pk}/dokumenty-pdf/{kind}/")
        assert response.status_code == 409, kind
        assert missing in response.text, kind
    assert not AuditEvent.objects.filter(action="document.printed").exists()


def test_a_draft_contract_is_not_printed(world: Any) -> None:
    draft = SocialContract.objects.create(
        participant=world.jan,
        ops_name="MOPS Nowy Sącz",
        social_worker="Patrycja Zając",
        valid_from=date(2027, 1, 1),
        valid_to=date(2027, 6, 30),
    )
    response = login(world.bartek).get(f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/kontrakt/?kontrakt={draft.pk}")
    assert response.status_code == 409
    assert "kontrakt socjalny podpisany przez OPS/CUS" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/uczestnicy/{jan}/dokumenty-pdf/deklaracja/",
        "/uczestnicy/{ewa}/dokumenty-pdf/zaswiadczenie/",
        "/uczestnicy/{jan}/dokumenty-pdf/teczka/",
        "/spotkania/{session}/lista-obecnosci.pdf",
        "/zajecia/{activity}/lista-obecnosci/2026-02/",
        "/uczestnicy/{jan}/godziny/{placement}/2026-02/karta.pdf",
        "/kluby/{club}/rozliczenie-psu/2026-02/pdf/",
    ],
)
def test_outsiders_get_404(world: Any, path: str) -> None:
    url = path.format(
        jan=world.jan.pk,
        ewa=world.ewa.pk,
        session=world.session_a.pk,
        activity=world.activity_a.pk,
        placement=world.placement_a.pk,
        club=world.club_a.pk,
    )
    assert login(world.celina).get(url).status_code == 404


def test_the_front_desk_prints_attendance_lists_but_no_case_documents(world: Any) -> None:
    desk = login(world.dorota)
    assert desk.get(f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/deklaracja/").status_code == 403
    assert desk.get(f"/uczestnicy/{world.jan.pk}/godziny/{world.placement_a.pk}/2026-02/karta.pdf").status_code == 403
    assert desk.get(f"/spotkania/{world.session_a.pk}/lista-obecnosci.pdf").status_code == 200


def test_a_placement_of_another_person_is_404(world: Any) -> None:
    url = f"/uczestnicy/{world.ewa.pk}/godziny/{world.placement_a.pk}/2026-02/karta.pdf"
    assert login(world.bartek).get(url).status_code == 404


def test_an_unknown_kind_is_404(world: Any) -> None:
    assert login(world.bartek).get(f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/cokolwiek/").status_code == 404


def test_the_file_page_links_to_the_pdfs(world: Any) -> None:
    page = login(world.bartek).get(f"/uczestnicy/{world.jan.pk}/").text
    assert f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/deklaracja/" in page
    assert f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/teczka/" in page
    assert "Drukuj (PDF)" in page
