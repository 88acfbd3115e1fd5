"""Small XLSX exports with openpyxl, safe against formula injection.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be
run as a formula by a spreadsheet program (OWASP "CSV injection"). Such text is written as
text with a leading apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils.text import get_valid_filename

# openpyxl ships no type hints.
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY = "#,##0.00"
HOURS = "0.00"


def safe(value: Any) -> Any:
    """The value as a cell may hold it: numbers and dates as they are, risky text neutralised."""
    if value is None or isinstance(value, (bool, int, float, Decimal, date, datetime)):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    # Column index (0-based) → number format, e.g. {3: HOURS, 5: MONEY}.
    formats: dict[int, str] = field(default_factory=dict)
    # Rows written in bold after the data (totals).
    footer: Iterable[Sequence[Any]] = ()


def workbook(sheets: Iterable[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(title=str(safe(spec.title)).lstrip("'")[:31] or "-")
        sheet.append([safe(h) for h in spec.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        count = 1
        for bold, rows in ((False, spec.rows), (True, spec.footer)):
            for row in rows:
                sheet.append([safe(v) for v in row])
                count += 1
                for index, cell in enumerate(sheet[count]):
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
                    elif index in spec.formats:
                        cell.number_format = spec.formats[index]
                    if bold:
                        cell.font = Font(bold=True)
        for index, heading in enumerate(spec.header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(heading)) + 4))
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    content: bytes = buffer.getvalue()
    return content


def response(filename: str, content: bytes) -> HttpResponse:
    name = get_valid_filename(filename) or "export.xlsx"
    result = HttpResponse(content, content_type=CONTENT_TYPE)
    result["Content-Disposition"] = f'attachment; filename="{name}"'
    result["X-Content-Type-Options"] = "nosniff"
    return result
