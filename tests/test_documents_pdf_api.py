"""The reusable PDF API (kis.documents.pdf): other apps render their PDFs through it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kis.documents.pdf import pdf_response, render_pdf, safe_filename
from kis.lib.testing_documents import pdf_facts, pdf_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zaświadczenie KIS/1/2026/0003 – Łukasz Żółć", "Zaświadczenie-KIS-1-2026-0003-Łukasz-Żółć.pdf"),
        ("../../etc/passwd", "etc-passwd.pdf"),
        ('Lista "obecności" <spotkanie>; rm -rf', "Lista-obecności-spotkanie-rm-rf.pdf"),
        ("   ", "dokument.pdf"),
        ("Gęślą\x00jaźń\r\nnowa linia", "Gęślą-jaźń-nowa-linia.pdf"),
    ],
)
def test_safe_filename_keeps_polish_letters_and_drops_the_rest(text: str, expected: str) -> None:
    assert safe_filename(text) == expected


@given(st.text(max_size=300))
def test_safe_filename_is_always_safe(text: str) -> None:
    name = safe_filename(text)
    assert name.endswith(".pdf") and len(name) <= 124
    assert not name.startswith((".", "-"))
    assert not any(ch in name for ch in '/\\:*?"<>|\x00\r\n\t')


def test_pdf_response_is_an_attachment_with_a_utf8_name() -> None:
    response = pdf_response(b"%PDF-1.7", "Rozliczenie PSU 2026/02.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Rozliczenie-PSU-2026-02.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def report_template(tmp_path: Any, settings: Any) -> str:
    directory = tmp_path / "templates"
    (directory / "reports").mkdir(parents=True)
    (directory / "reports" / "snapshot.html").write_text(
        '{% extends "documents/pdf/base.html" %}{% block content %}<h1>Sprawozdanie {{ year }}</h1>'
        "<p>Uczestnicy: Łucja Ćwierć, Żaneta Ślęzak.</p>"
        '{% for n in rows %}<p class="page-break">Część {{ n }}</p>{% endfor %}{% endblock %}',
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(directory)]},
    ]
    return "reports/snapshot.html"


def test_render_pdf_gives_a_tagged_polish_pdf_with_page_numbers(report_template: str) -> None:
    content = render_pdf(report_template, {"year": 2026, "rows": [1, 2]}, title="Sprawozdanie za 2026 r.")
    facts = pdf_facts(content)
    assert facts["pages"] == 3
    assert facts["title"] == "Sprawozdanie za 2026 r."
    assert (facts["lang"], facts["marked"], facts["struct_tree"], facts["pdfua"]) == ("pl", True, True, True)
    text = pdf_text(content)
    assert "Uczestnicy: Łucja Ćwierć, Żaneta Ślęzak." in text
    assert "Strona 1 z 3" in text and "Strona 3 z 3" in text


def test_no_resource_outside_the_app_is_fetched(tmp_path: Any, settings: Any) -> None:
    """A remote or local file outside the fonts directory stops the rendering (no network, no leaks)."""
    from weasyprint.urls import FatalURLFetchingError

    directory = tmp_path / "templates"
    directory.mkdir()
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    for source in (
        '<img src="http://169.254.169.254/latest/meta-data/" alt="">',
        f'<img src="file://{secret}" alt="">',
    ):
        (directory / "probe.html").write_text(
            '{% extends "documents/pdf/base.html" %}{% block content %}' + source + "{% endblock %}", encoding="utf-8"
        )
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(directory)]}]
        with pytest.raises(FatalURLFetchingError):
            render_pdf("probe.html", {}, title="Próba")
