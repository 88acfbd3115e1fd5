"""Letterhead and text blocks: a club's own wording with fixed placeholders, never template code."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kis.audit.models import AuditEvent
from kis.documents import texts
from kis.documents.models import DocumentKind, FundingLogo, Letterhead, TextBlock
from kis.lib.testing_documents import give_address, pdf_figures, pdf_text


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


@pytest.fixture(autouse=True)
def _jan_has_an_address(world: Any) -> None:
    give_address(world.jan)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def png(width: int = 40, height: int = 20, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_leader_rewords_a_block_and_the_pdf_uses_it(world: Any) -> None:
    client = login(world.alicja)
    url = f"/kluby/{world.club_a.pk}/wzory/deklaracja/intro/"
    assert client.get(url).status_code == 200
    text = "Ja, {imie_nazwisko} (ur. {data_urodzenia}), zgłaszam się do {nazwa_klubu} – Gęślą jaźń."
    response = client.post(url, {"text": text})
    assert response.status_code == 302
    block = TextBlock.objects.get(club=world.club_a, kind="declaration", key="intro")
    assert block.text == text and block.updated_by == world.alicja
    assert AuditEvent.objects.filter(action="template.updated", target_id=str(block.pk)).exists()
    pdf = login(world.bartek).get(f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/deklaracja/")
    assert "Ja, Jan Nowak (ur. 17.05.1980), zgłaszam się do KIS Przystań – Gęślą jaźń." in flat(pdf_text(pdf.content))


def test_an_unknown_placeholder_is_refused_with_its_name(world: Any) -> None:
    url = f"/kluby/{world.club_a.pk}/wzory/zaswiadczenie/body/"
    response = login(world.alicja).post(url, {"text": "Zaświadcza się, że {imie_nazwisko} ma {pesel}."})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("text", code="unknown_placeholder")
    assert "Nieznane pole {pesel}." in response.text
    assert "{numer_zaswiadczenia}" in response.text  # the list of what is allowed
    assert not TextBlock.objects.filter(club=world.club_a, kind="certificate", key="body").exists()


def test_template_code_is_not_interpreted(world: Any) -> None:
    """Anything in braces that is not a placeholder is refused; HTML is printed as typed."""
    url = f"/kluby/{world.club_a.pk}/wzory/deklaracja/statements/"
    client = login(world.alicja)
    for code in ("Oświadczam: {{ participant.pesel }}", "Rok {% now 'Y' %}"):
        response = client.post(url, {"text": code})
        assert response.status_code == 400
        assert "Nieznane pole" in response.text
    response = client.post(url, {"text": "Oświadczam: <b>pogrubione</b> <script>alert(1)</script>"})
    assert response.status_code == 302
    pdf = login(world.bartek).get(f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/deklaracja/")
    assert "Oświadczam: <b>pogrubione</b> <script>alert(1)</script>" in flat(pdf_text(pdf.content))


def test_a_block_can_be_reset_to_the_default(world: Any) -> None:
    url = f"/kluby/{world.club_a.pk}/wzory/zaswiadczenie/legal_basis/"
    response = login(world.alicja).post(url, {"reset": "1"})
    assert response.status_code == 302
    assert not TextBlock.objects.filter(pk=world.template_a.pk).exists()
    assert AuditEvent.objects.filter(action="template.reset").exists()
    pdf = login(world.alicja).get(f"/uczestnicy/{world.ewa.pk}/dokumenty-pdf/zaswiadczenie/")
    assert "Zaświadczenie wydaje się na podstawie art. 18 ust. 5a ustawy z dnia 13 czerwca 2003 r." in flat(
        pdf_text(pdf.content)
    )


def test_the_list_shows_own_and_default_wording(world: Any) -> None:
    page = login(world.alicja).get(f"/kluby/{world.club_a.pk}/wzory/")
    assert page.status_code == 200
    assert "Zaświadczenie wydano na podstawie art. 18 ust. 5a" in page.text  # template_a
    assert "własne klubu, od" in page.text
    assert "domyślne" in page.text


def test_staff_and_outsiders_cannot_edit_texts(world: Any) -> None:
    url = f"/kluby/{world.club_a.pk}/wzory/deklaracja/intro/"
    assert login(world.bartek).post(url, {"text": "x"}).status_code == 403
    assert login(world.celina).post(url, {"text": "x"}).status_code == 404
    assert login(world.alicja).get(f"/kluby/{world.club_a.pk}/wzory/deklaracja/nie-ma/").status_code == 404
    assert login(world.alicja).get(f"/kluby/{world.club_a.pk}/wzory/nie-ma/intro/").status_code == 404
    assert not TextBlock.objects.filter(kind="declaration").exists()


def test_every_default_text_uses_known_placeholders_in_polish_too() -> None:
    from django.utils import translation

    for kind, blocks in texts.BLOCKS.items():
        for block in blocks:
            for language in ("en", "pl"):
                with translation.override(language):
                    assert texts.unknown_placeholders(kind, str(block.default)) == [], (kind, block.key, language)
    assert set(texts.BLOCKS) == set(DocumentKind.values)


def test_fill_replaces_only_known_names() -> None:
    assert texts.fill("{imie} i {nieznane} i {{imie}}", {"imie": "Łucja"}) == "Łucja i {nieznane} i {Łucja}"


def test_the_leader_sets_a_logo_and_funding_logos_that_print(world: Any) -> None:
    client = login(world.alicja)
    url = f"/kluby/{world.club_a.pk}/papier-firmowy/"
    response = client.post(
        url,
        {
            "action": "save",
            "show_operator_ids": "on",
            "project_line": "Projekt „Razem łatwiej” współfinansowany z EFS+",
            "new_logo": SimpleUploadedFile("logo.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    head = Letterhead.objects.get(club=world.club_a)
    assert head.logo and head.logo_content_type == "image/png" and head.show_contact is False
    response = client.post(
        url,
        {
            "action": "add_logo",
            "label": "Fundusze Europejskie dla Małopolski",
            "position": "1",
            "upload": SimpleUploadedFile("efs.jpg", png(fmt="JPEG"), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    assert FundingLogo.objects.get(club=world.club_a).content_type == "image/jpeg"
    assert AuditEvent.objects.filter(action="letterhead.updated").exists()
    pdf = login(world.bartek).get(f"/uczestnicy/{world.jan.pk}/dokumenty-pdf/deklaracja/")
    assert "Projekt „Razem łatwiej” współfinansowany z EFS+" in flat(pdf_text(pdf.content))
    assert pdf_figures(pdf.content) == ["Logo: KIS Przystań", "Fundusze Europejskie dla Małopolski"]
    page = client.get(url)
    assert "Fundusze Europejskie dla Małopolski" in page.text
    logo = FundingLogo.objects.get(club=world.club_a)
    assert client.post(url, {"action": "delete_logo", "logo": str(logo.pk)}).status_code == 302
    assert not FundingLogo.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("logo.gif", b"GIF89a" + b"\x00" * 40, "file_type"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"not really a png", "broken"),
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "file_type"),
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 1), "too_large"),
    ],
)
def test_a_bad_logo_is_refused(world: Any, name: str, content: bytes, code: str) -> None:
    response = login(world.alicja).post(
        f"/kluby/{world.club_a.pk}/papier-firmowy/",
        {"action": "save", "new_logo": SimpleUploadedFile(name, content, content_type="image/png")},
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("new_logo", code=code)
    assert not Letterhead.objects.filter(club=world.club_a).exists()


def test_a_huge_image_is_refused(world: Any) -> None:
    response = login(world.alicja).post(
        f"/kluby/{world.club_a.pk}/papier-firmowy/",
        {
            "action": "add_logo",
            "label": "Za duże",
            "position": "1",
            "upload": SimpleUploadedFile("huge.png", png(5000, 10), content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert response.context["logo_form"].has_error("upload", code="too_big")


def test_only_the_leader_edits_the_letterhead(world: Any) -> None:
    url = f"/kluby/{world.club_a.pk}/papier-firmowy/"
    assert login(world.bartek).post(url, {"action": "save"}).status_code == 403
    assert login(world.dorota).get(url).status_code == 403
    assert login(world.celina).get(url).status_code == 404
    assert login(world.alicja).post(url, {"action": "delete_logo", "logo": "999999"}).status_code == 404


def test_the_club_page_links_to_letterhead_texts_and_batches(world: Any) -> None:
    leader = login(world.alicja).get(f"/kluby/{world.club_a.pk}/").text
    assert f"/kluby/{world.club_a.pk}/papier-firmowy/" in leader
    assert f"/kluby/{world.club_a.pk}/wzory/" in leader
    assert f"/kluby/{world.club_a.pk}/paczki/" in leader
    staff = login(world.bartek).get(f"/kluby/{world.club_a.pk}/").text
    assert "/papier-firmowy/" not in staff and f"/kluby/{world.club_a.pk}/paczki/" in staff


def test_a_replaced_or_removed_image_leaves_storage(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = login(world.alicja)
    url = f"/kluby/{world.club_a.pk}/papier-firmowy/"
    client.post(url, {"action": "save", "new_logo": SimpleUploadedFile("a.png", png(), content_type="image/png")})
    first = Letterhead.objects.get(club=world.club_a).logo
    assert first.storage.exists(first.name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "save", "new_logo": SimpleUploadedFile("b.png", png(30), content_type="image/png")})
    second = Letterhead.objects.get(club=world.club_a).logo
    assert second.name != first.name and second.storage.exists(second.name)
    assert not first.storage.exists(first.name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "save", "remove_logo": "on"})
    assert not Letterhead.objects.get(club=world.club_a).logo
    assert not second.storage.exists(second.name)
    client.post(
        url,
        {
            "action": "add_logo",
            "label": "EFS+",
            "position": "1",
            "upload": SimpleUploadedFile("e.png", png(), content_type="image/png"),
        },
    )
    logo = FundingLogo.objects.get(club=world.club_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "delete_logo", "logo": str(logo.pk)})
    assert not logo.image.storage.exists(logo.image.name)
    assert AuditEvent.objects.filter(action="letterhead.funding_logo_removed").exists()


def test_the_default_text_is_offered_in_polish_even_in_the_english_ui(world: Any) -> None:
    client = login(world.alicja)
    client.post("/jezyk/", {"language": "en", "next": "/"})
    page = client.get(f"/kluby/{world.club_a.pk}/wzory/zaswiadczenie/body/")
    assert "Placeholders you can use" in page.text  # the UI is in English
    assert "Zaświadcza się, że {imie_nazwisko}" in page.text
    assert "This certifies" not in page.text
    listing = client.get(f"/kluby/{world.club_a.pk}/wzory/")
    assert "Ja, niżej podpisana/podpisany {imie_nazwisko}" in listing.text
