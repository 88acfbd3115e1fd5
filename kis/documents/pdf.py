"""Render Django templates to PDF with WeasyPrint: the one entry point for every PDF of ``kis``.

Stable API (other apps import it, e.g. the reports app for the annual report snapshot):

- ``render_pdf(template_name, context, *, request=None, title)`` → PDF bytes. The template should
  extend ``documents/pdf/base.html`` (bundled DejaVu fonts, A4, "Strona X z Y" in the footer).
  The PDF is tagged PDF/UA-1 (screen readers), its language is Polish and its title is ``title``.
- ``pdf_response(content, filename)`` → an attachment ``HttpResponse`` with a safe file name.
- ``safe_filename(text)`` → a file name that keeps Polish letters and drops everything unsafe.
- ``render_html(template_name, context)`` → the HTML a PDF is made from (for debugging and tests).

The base template offers ``{% block style %}`` and ``{% block content %}``; it reads
``doc.club.name`` (the PDF's author) and ``doc.landscape`` (page orientation) from the context if
present, and ``<p class="running">…</p>`` in the content becomes the footer text at the bottom left.

Rendering never touches the network: the URL fetcher only serves ``data:`` URIs and files from
this app's ``fonts/`` and ``static/`` directories. Images (logos, QR codes) go in as ``data:`` URIs
or inline SVG. Whatever the UI language, the PDF is rendered in Polish.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header

APP_DIR = Path(__file__).resolve().parent
FONTS_DIR = APP_DIR / "fonts"
PDF_VARIANT = "pdf/ua-1"
_ALLOWED_DIRS = (FONTS_DIR, APP_DIR / "static")

# WeasyPrint reports every rendering step at INFO; keep the server log for requests.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("weasyprint").setLevel(logging.WARNING)


@functools.cache
def _fetcher_class() -> Any:
    # WeasyPrint is imported on first use: it is heavy, and it logs at import.
    from weasyprint.urls import FatalURLFetchingError, URLFetcher  # type: ignore[import-untyped]

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serve ``data:`` URIs and files under the app's fonts/static directories; refuse the rest."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(allowed) for allowed in _ALLOWED_DIRS) and path.is_file():
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"Resource not allowed in a PDF: {url[:80]}")

    return LocalOnlyFetcher


def render_html(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> str:
    """The HTML a PDF is made from (Polish, whatever the user's UI language is)."""
    with translation.override("pl"):
        return render_to_string(template_name, {"pdf_title": "", **context}, request=request)


def render_pdf(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None, title: str) -> bytes:
    """Render ``template_name`` with ``context`` to a tagged (PDF/UA-1) A4 PDF titled ``title``.

    ``request`` is passed to the template engine only (context processors); the output does not
    depend on it. Raises ``weasyprint.urls.FatalURLFetchingError`` if the template refers to a
    resource outside the allowed local directories.
    """
    with translation.override("pl"):
        html = render_to_string(template_name, {**context, "pdf_title": title}, request=request)
    from weasyprint import HTML  # type: ignore[import-untyped]

    document = HTML(string=html, base_url=str(APP_DIR) + "/", url_fetcher=_fetcher_class()())
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, custom_metadata=False)
    return pdf


_UNSAFE = re.compile(r"[^\w\- .]", re.UNICODE)
_SPACES = re.compile(r"[\s_]+")


def safe_filename(text: str, *, extension: str = "pdf", max_length: int = 120) -> str:
    """``"Zaświadczenie 3/2026 – Łukasz Żółć"`` → ``"Zaświadczenie-3-2026-Łukasz-Żółć.pdf"``.

    Polish letters stay; slashes, quotes, control and other unsafe characters become dashes;
    no leading dots; never empty.
    """
    normalized = unicodedata.normalize("NFC", text)
    cleaned = _UNSAFE.sub("-", normalized)
    cleaned = _SPACES.sub("-", cleaned)
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip("-.")
    cleaned = cleaned[:max_length].rstrip("-.") or "dokument"
    return f"{cleaned}.{extension}"


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """An attachment response for ``content``; ``filename`` is made safe (see ``safe_filename``)."""
    name = filename[:-4] if filename.lower().endswith(".pdf") else filename
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(name))
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    return response
