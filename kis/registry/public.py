"""The public register (no login): the list per voivodeship and national, and its open data.

Only the public columns of an entry are read (domain.md §3.4): no person, no contact data.
Open data fields are stable and documented in README.md and docs/users/voivode.md.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kis.accounts.decorators import public
from kis.lib.teryt import Voivodeship
from kis.lib.text import fold
from kis.lib.xlsx import FORMULA_PREFIXES
from kis.registry.models import RegisterEntry

PAGE = 50
SLUGS = {fold(str(label)): code for code, label in Voivodeship.choices}
SLUG_OF = {code: slug for slug, code in SLUGS.items()}
SLUG_PATTERN = "|".join(sorted(SLUGS))
PUBLIC_COLUMNS = (
    "id",
    "voivodeship",
    "number",
    "entered_on",
    "club_name",
    "club_address",
    "club_city",
    "operator_name",
    "operator_address",
    "struck_off_on",
)
# Open data: field names are part of the published format; change them only with a new version.
OPEN_FIELDS = [
    "wojewodztwo_kod",
    "wojewodztwo",
    "numer_wpisu",
    "data_wpisu",
    "nazwa_klubu",
    "adres_klubu",
    "miejscowosc",
    "podmiot_prowadzacy",
    "adres_podmiotu",
    "data_wykreslenia",
    "status",
]
FORMAT_VERSION = "1"


def _term(request: HttpRequest) -> str:
    return request.GET.get("q", "").replace("\x00", "").strip()[:100]


def public_entries(*, voivodeship: str = "", term: str = "", status: str = "") -> Any:
    entries = RegisterEntry.objects.in_voivodeship(voivodeship).only(*PUBLIC_COLUMNS)
    if term:
        entries = entries.search(term)
    if status == "wpisane":
        entries = entries.filter(struck_off_on__isnull=True)
    elif status == "wykreslone":
        entries = entries.filter(struck_off_on__isnull=False)
    return entries.order_by("name_sort", "pk")


@public
def register(request: HttpRequest, slug: str = "") -> HttpResponse:
    """The register as published: national at /rejestr/, one voivodeship at /rejestr/<name>/ or ?woj=NN."""
    code = SLUGS.get(slug, "") or (
        request.GET.get("woj", "") if request.GET.get("woj", "") in Voivodeship.values else ""
    )
    term = _term(request)
    status = request.GET.get("stan", "")
    entries = public_entries(voivodeship=code, term=term, status=status)
    page = Paginator(entries, PAGE).get_page(request.GET.get("strona"))
    counts = dict(
        RegisterEntry.objects.filter(struck_off_on__isnull=True).values_list("voivodeship").annotate(n=Count("pk"))
    )
    context = {
        "page": page,
        "code": code,
        "label": Voivodeship(code).label if code else "",
        "term": term,
        "status": status,
        "voivodeships": [(c, label, SLUG_OF[c], counts.get(c, 0)) for c, label in Voivodeship.choices],
        "open_query": f"?woj={code}" if code else "",
    }
    return render(request, "registry/public_register.html", context)


def open_rows(entries: Iterable[RegisterEntry]) -> Iterable[dict[str, str]]:
    for entry in entries:
        yield {
            "wojewodztwo_kod": entry.voivodeship,
            "wojewodztwo": str(Voivodeship(entry.voivodeship).label),
            "numer_wpisu": entry.number,
            "data_wpisu": entry.entered_on.isoformat(),
            "nazwa_klubu": entry.club_name,
            "adres_klubu": entry.club_address,
            "miejscowosc": entry.club_city,
            "podmiot_prowadzacy": entry.operator_name,
            "adres_podmiotu": entry.operator_address,
            "data_wykreslenia": entry.struck_off_on.isoformat() if entry.struck_off_on else "",
            "status": "wykreslony" if entry.struck_off_on else "wpisany",
        }


def _open_filter(request: HttpRequest) -> tuple[str, str | None]:
    code = request.GET.get("woj", "")
    if code and code not in Voivodeship.values:
        return code, _("Unknown voivodeship code: use a TERYT code 02, 04, … 32.")
    return code, None


def _spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@public
def open_csv(request: HttpRequest) -> HttpResponse:
    code, problem = _open_filter(request)
    if problem:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    buffer = io.StringIO()
    buffer.write("\ufeff")  # BOM: Excel then reads UTF-8
    writer = csv.DictWriter(buffer, fieldnames=OPEN_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in open_rows(public_entries(voivodeship=code)):
        writer.writerow({k: _spreadsheet_safe(v) for k, v in row.items()})
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="rejestr-kis{"-" + code if code else ""}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public
def open_json(request: HttpRequest) -> HttpResponse:
    code, problem = _open_filter(request)
    if problem:
        return JsonResponse({"blad": problem}, status=400, json_dumps_params={"ensure_ascii": False})
    rows = list(open_rows(public_entries(voivodeship=code)))
    body = {
        "zrodlo": "Rejestr klubów integracji społecznej prowadzony przez wojewodów (art. 18a u.z.s.)",
        "wersja_formatu": FORMAT_VERSION,
        "wygenerowano": timezone.now().isoformat(timespec="seconds"),
        "wojewodztwo_kod": code or None,
        "liczba": len(rows),
        "pola": OPEN_FIELDS,
        "wpisy": rows,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
