"""XLSX exports of reports: a club's report (art. 18a and CAS 01), the region's list and totals.

Figures are written in a long format, one figure a row (variable, category, breakdown, value),
the shape of the GUS data set "MRiPS CAS 01" (domain.md §12). Text goes through ``kis.lib.xlsx``,
which neutralises formulas.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kis.lib import xlsx
from kis.reports.layout import SUPPRESSED, Section
from kis.reports.services import ClubStatus

ART_18A = ("staff", "participants", "groups", "activities", "grants")


def _header() -> list[str]:
    return [_("Variable"), _("Category"), _("Breakdown"), _("Value")]


def _long_rows(sections: Iterable[Section]) -> Iterable[Sequence[Any]]:
    for section in sections:
        for row in section.rows:
            for column, cell in zip(section.columns, row.cells, strict=False):
                yield [section.title, row.label, str(column), SUPPRESSED if cell.suppressed else cell.value]


def _identification(document: dict[str, Any]) -> Iterable[Sequence[Any]]:
    meta = document.get("club", {})
    title = _("9. Identification data")
    fields = [
        (_("Year"), document.get("year", "")),
        (_("Club"), meta.get("name", "")),
        (_("Address"), meta.get("address", "")),
        (_("Gmina (TERYT)"), f"{meta.get('gmina_name', '')} {meta.get('gmina', '')}".strip()),
        (_("Voivodeship"), meta.get("voivodeship_name", "")),
        (_("Entry in the register"), meta.get("register_number", "")),
        (_("Person managing the club"), meta.get("manager", "")),
        (_("Operator"), meta.get("operator", "")),
        (_("NIP"), meta.get("nip", "")),
        (_("REGON"), meta.get("regon", "")),
        (_("KRS number"), meta.get("krs", "")),
    ]
    for label, value in fields:
        yield [title, str(label), "", value]


def report_workbook(document: dict[str, Any], sections: list[Section]) -> bytes:
    with translation.override("pl"):
        art = [s for s in sections if s.id in ART_18A]
        cas = [s for s in sections if s.id.startswith("cas")]
        narratives = [
            [entry["type"], entry.get("actions", ""), entry.get("effects", "")]
            for entry in document.get("narratives", [])
        ]
        return xlsx.workbook(
            [
                xlsx.Sheet(_("Art. 18a ust. 6"), _header(), list(_long_rows(art))),
                xlsx.Sheet("MRiPS CAS 01", _header(), [*_long_rows(cas), *_identification(document)]),
                xlsx.Sheet(_("Actions and effects"), [_("Activity type"), _("Actions"), _("Effects")], narratives),
            ]
        )


def _when(value: Any) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def region_workbook(year: int, rows: list[ClubStatus], sections: list[Section]) -> bytes:
    with translation.override("pl"):
        clubs = [
            [
                row.club.name,
                row.club.operator.name,
                row.club.city,
                str(_("missing")) if row.report is None else str(row.report.get_state_display()),
                _when(row.report.submitted_at) if row.report else "",
                row.report.submission_count if row.report else 0,
                date_format(row.deadline, "SHORT_DATE_FORMAT"),
                str(_("yes")) if row.late else str(_("no")),
            ]
            for row in rows
        ]
        return xlsx.workbook(
            [
                xlsx.Sheet(
                    _("Clubs %(year)s") % {"year": year},
                    [
                        _("Club"),
                        _("Operator"),
                        _("Town"),
                        _("State"),
                        _("Submitted"),
                        _("Versions"),
                        _("Deadline"),
                        _("Late"),
                    ],
                    clubs,
                ),
                xlsx.Sheet(_("Regional totals"), _header(), list(_long_rows(sections))),
            ]
        )


def totals_workbook(year: int, sections: list[Section]) -> bytes:
    with translation.override("pl"):
        return xlsx.workbook(
            [xlsx.Sheet(_("National totals %(year)s") % {"year": year}, _header(), list(_long_rows(sections)))]
        )
