"""Import of an existing register list (CSV or XLSX) kept by a voivode office.

``check()`` reads the file and reports, row by row, what is wrong (row number, column, a Polish
message) and what would be created. ``run()`` checks again and imports every row in one
transaction, or nothing. Operators are matched by NIP; clubs and their entries are always new.
The columns are documented on the import page, in the template and in docs/users/voivode.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kis import audit
from kis.accounts.models import User
from kis.clubs.models import Club, Operator, Territory
from kis.lib import ids, xlsx
from kis.lib.teryt import Voivodeship
from kis.lib.text import fold
from kis.registry.models import ImportBatch, RegisterEntry, RegisterEvent
from kis.registry.services import DEFAULT_MANAGER_TITLE

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    name: str
    label: Any
    required: bool = False
    example: str = ""


COLUMNS = [
    Column("numer_wpisu", gettext_lazy("entry number"), True, "KIS/12/1/2015"),
    Column("data_wpisu", gettext_lazy("date of entry (dd.mm.rrrr)"), True, "15.04.2015"),
    Column("nazwa_klubu", gettext_lazy("full name of the club"), True, "Klub Integracji Społecznej w Bochni"),
    Column("ulica_klubu", gettext_lazy("club: street and number"), True, "ul. Kościuszki 3"),
    Column("kod_pocztowy_klubu", gettext_lazy("club: postal code"), True, "32-700"),
    Column("miejscowosc_klubu", gettext_lazy("club: town"), True, "Bochnia"),
    Column("gmina_klubu", gettext_lazy("club: gmina (TERYT code or name)"), True, "1201011"),
    Column("data_utworzenia", gettext_lazy("date the club was created"), True, "01.03.2015"),
    Column("data_rozpoczecia", gettext_lazy("date activity started"), False, "01.05.2015"),
    Column("kierujacy", gettext_lazy("person managing the club"), True, "Jan Kowalski"),
    Column("telefon_klubu", gettext_lazy("club: phone"), False, "14 612 00 00"),
    Column("email_klubu", gettext_lazy("club: e-mail"), False, "kis@bochnia.example"),
    Column("podmiot_nazwa", gettext_lazy("operator: full name"), True, "Gmina Miasta Bochnia"),
    Column(
        "podmiot_typ",
        gettext_lazy("operator: type (gmina, OPS, NGO, kościelna osoba prawna, spółdzielnia socjalna)"),
        True,
        "gmina",
    ),
    Column("podmiot_nip", gettext_lazy("operator: NIP"), True, "8681012345"),
    Column("podmiot_regon", gettext_lazy("operator: REGON"), False, ""),
    Column("podmiot_krs", gettext_lazy("operator: KRS number (NGO, social cooperative)"), False, ""),
    Column("podmiot_ulica", gettext_lazy("operator: street and number"), True, "ul. Kazimierza Wielkiego 31"),
    Column("podmiot_kod_pocztowy", gettext_lazy("operator: postal code"), True, "32-700"),
    Column("podmiot_miejscowosc", gettext_lazy("operator: town"), True, "Bochnia"),
    Column("podmiot_gmina", gettext_lazy("operator: gmina (TERYT code or name; empty = the club's)"), False, ""),
    Column("podmiot_telefon", gettext_lazy("operator: phone"), False, ""),
    Column("podmiot_email", gettext_lazy("operator: e-mail"), False, ""),
    Column("data_wykreslenia", gettext_lazy("date of strike-off (if struck off)"), False, ""),
    Column(
        "podstawa_wykreslenia",
        gettext_lazy("basis of strike-off: zgłoszenie (operator's notice) or ustalenie (voivode's finding)"),
        False,
        "",
    ),
    Column("przyczyna_wykreslenia", gettext_lazy("reason of strike-off"), False, ""),
]
COLUMN_NAMES = [c.name for c in COLUMNS]
BY_NAME = {c.name: c for c in COLUMNS}

OPERATOR_TYPES = [
    # folded prefix → type
    ("gmina", Operator.Type.GMINA),
    ("miasto", Operator.Type.GMINA),
    ("ops", Operator.Type.OPS),
    ("mops", Operator.Type.OPS),
    ("gops", Operator.Type.OPS),
    ("cus", Operator.Type.OPS),
    ("osrodek pomocy", Operator.Type.OPS),
    ("ngo", Operator.Type.NGO),
    ("organizacja pozarzadowa", Operator.Type.NGO),
    ("stowarzyszenie", Operator.Type.NGO),
    ("fundacja", Operator.Type.NGO),
    ("koscielna", Operator.Type.CHURCH),
    ("church", Operator.Type.CHURCH),
    ("spoldzielnia", Operator.Type.SOCIAL_COOPERATIVE),
    ("social", Operator.Type.SOCIAL_COOPERATIVE),
]
BASES = [
    ("zgloszenie", RegisterEntry.Basis.OPERATOR_NOTICE),
    ("operator", RegisterEntry.Basis.OPERATOR_NOTICE),
    ("ustalenie", RegisterEntry.Basis.VOIVODE_FINDING),
    ("z urzedu", RegisterEntry.Basis.VOIVODE_FINDING),
    ("voivode", RegisterEntry.Basis.VOIVODE_FINDING),
]


@dataclass
class RowError:
    column: str
    message: str


@dataclass
class Row:
    line: int
    raw: dict[str, str]
    errors: list[RowError] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    existing_operator: Operator | None = None

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(column, message))


@dataclass
class Report:
    voivodeship: str
    rows: list[Row] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(r.errors) for r in self.rows)

    @property
    def ok(self) -> bool:
        return not self.error_count and bool(self.rows)

    @property
    def new_operators(self) -> int:
        return len(
            {r.values["podmiot_nip"] for r in self.rows if r.existing_operator is None and "podmiot_nip" in r.values}
        )

    @property
    def struck_off(self) -> int:
        return sum(1 for r in self.rows if r.values.get("data_wykreslenia"))


# --------------------------------------------------------------------------- reading


def _header_key(text: Any) -> str:
    return fold(str(text or "")).strip().replace(" ", "_").replace("-", "_")


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if value is None:
        return ""
    return value if isinstance(value, date) else str(value).replace("\x00", "").strip()


def _read_rows(content: bytes, name: str) -> Iterator[list[Any]]:
    if content.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in row]
        book.close()
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1250", errors="replace")  # Excel's "CSV" on Polish Windows
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [_cell(v) for v in row]


def read(content: bytes, name: str, voivodeship: str) -> Report:
    report = Report(voivodeship=voivodeship)
    try:
        lines = []
        for row in _read_rows(content, name):
            lines.append(row)
            if len(lines) > MAX_ROWS + 100:  # stop reading a file far too long (or a crafted one)
                break
    except Exception:  # noqa: BLE001 - any unreadable file is the user's input, reported as such
        report.file_errors.append(_("The file cannot be read as CSV or XLSX."))
        return report
    header_at = next((i for i, row in enumerate(lines) if any(str(v).strip() for v in row)), None)
    if header_at is None:
        report.file_errors.append(_("The file is empty."))
        return report
    header = [_header_key(v) for v in lines[header_at]]
    missing = [c.name for c in COLUMNS if c.required and c.name not in header]
    if missing:
        report.file_errors.append(
            _("Columns missing from the first row: %(columns)s. Use the template.") % {"columns": ", ".join(missing)}
        )
        return report
    positions = {name: header.index(name) for name in COLUMN_NAMES if name in header}
    data_lines = [
        (i, row)
        for i, row in enumerate(lines[header_at + 1 :], start=header_at + 2)
        if any(str(v).strip() for v in row)
    ]
    if len(data_lines) > MAX_ROWS:
        report.file_errors.append(_("At most %(count)s rows can be imported at once.") % {"count": MAX_ROWS})
        return report
    for line, values in data_lines:
        raw = {name: (values[pos] if pos < len(values) else "") for name, pos in positions.items()}
        report.rows.append(Row(line=line, raw=raw))
    return report


# --------------------------------------------------------------------------- checking


def _date(row: Row, name: str, value: Any) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    row.error(name, _("Enter a date as dd.mm.rrrr, e.g. 15.04.2015."))
    return None


def _pick(value: str, table: Sequence[tuple[str, str]]) -> str | None:
    folded = fold(value).strip()
    return next((kind for prefix, kind in table if folded.startswith(prefix)), None)


class _Gminas:
    def __init__(self, voivodeship: str) -> None:
        self.voivodeship = voivodeship
        self.by_code: dict[str, Territory] = {}
        self.by_name: dict[str, list[Territory]] = {}
        for territory in Territory.objects.gminas().filter(voivodeship=voivodeship):
            self.by_code[territory.code] = territory
            self.by_name.setdefault(fold(territory.name), []).append(territory)

    def find(self, row: Row, name: str, value: str) -> str | None:
        text = value.strip()
        if text.isdigit():
            if text in self.by_code:
                return text
            if Territory.objects.gminas().filter(code=text).exists():
                row.error(name, _("This gmina lies outside the voivodeship of the register."))
            else:
                row.error(name, _("There is no such gmina in the TERYT register."))
            return None
        found = self.by_name.get(fold(text), [])
        if len(found) == 1:
            return found[0].code
        if found:
            row.error(name, _("Several gminas have this name: give the 7-digit TERYT code."))
        else:
            row.error(name, _("There is no gmina of this name in the voivodeship: give the 7-digit TERYT code."))
        return None


def check(report: Report) -> Report:
    """Fill each row's values and errors; nothing is written."""
    if report.file_errors:
        return report
    gminas = _Gminas(report.voivodeship)
    today = timezone.localdate()
    numbers_taken = set(RegisterEntry.objects.filter(voivodeship=report.voivodeship).values_list("number", flat=True))
    seen_numbers: dict[str, int] = {}
    nips: set[str] = set()
    for row in report.rows:
        raw = {k: (v if isinstance(v, date) else str(v).strip()) for k, v in row.raw.items()}
        values = row.values
        for column in COLUMNS:
            value = raw.get(column.name, "")
            if column.required and (value == "" or value is None):
                row.error(column.name, _("This column is required."))
            elif not isinstance(value, date):
                values[column.name] = str(value)
        number = " ".join(str(raw.get("numer_wpisu", "")).split())
        if number:
            values["numer_wpisu"] = number
            if number in numbers_taken:
                row.error("numer_wpisu", _("The register of this voivodeship already has an entry with this number."))
            elif number in seen_numbers:
                row.error(
                    "numer_wpisu", _("The same number is in row %(line)s of the file.") % {"line": seen_numbers[number]}
                )
            seen_numbers.setdefault(number, row.line)
        for name in ("data_wpisu", "data_utworzenia", "data_rozpoczecia", "data_wykreslenia"):
            values[name] = _date(row, name, raw.get(name, ""))
        entered, created, started, struck = (
            values["data_wpisu"],
            values["data_utworzenia"],
            values["data_rozpoczecia"],
            values["data_wykreslenia"],
        )
        if entered and entered > today:
            row.error("data_wpisu", _("The date of entry cannot be in the future."))
        if created and started and started < created:
            row.error("data_rozpoczecia", _("Activity cannot start before the club was created."))
        if struck and entered and struck < entered:
            row.error("data_wykreslenia", _("A club cannot be struck off before it was entered."))
        if struck and struck > today:
            row.error("data_wykreslenia", _("The date cannot be in the future."))
        basis_text = str(raw.get("podstawa_wykreslenia", ""))
        values["podstawa_wykreslenia"] = _pick(basis_text, BASES) if basis_text else ""
        if basis_text and not values["podstawa_wykreslenia"]:
            row.error(
                "podstawa_wykreslenia", _("Write zgłoszenie (operator's notice) or ustalenie (voivode's finding).")
            )
        if struck and not basis_text:
            row.error("podstawa_wykreslenia", _("Give the basis of the strike-off."))
        if basis_text and not struck and "data_wykreslenia" not in {e.column for e in row.errors}:
            row.error("data_wykreslenia", _("Give the date of the strike-off."))
        for name in ("kod_pocztowy_klubu", "podmiot_kod_pocztowy"):
            if raw.get(name):
                try:
                    values[name] = ids.validate_postal_code(str(raw[name]))
                except ValidationError as error:
                    row.error(name, str(error.message))
        for name in ("email_klubu", "podmiot_email"):
            if raw.get(name):
                try:
                    validate_email(str(raw[name]))
                except ValidationError:
                    row.error(name, _("Enter a valid e-mail address."))
        if raw.get("gmina_klubu"):
            values["gmina_klubu"] = gminas.find(row, "gmina_klubu", str(raw["gmina_klubu"]))
        if raw.get("podmiot_gmina"):
            code = str(raw["podmiot_gmina"]).strip()
            if code.isdigit() and Territory.objects.gminas().filter(code=code).exists():
                values["podmiot_gmina"] = code
            else:
                values["podmiot_gmina"] = gminas.find(row, "podmiot_gmina", code)
        else:
            values["podmiot_gmina"] = values.get("gmina_klubu")
        _check_operator(row, raw, nips)
    return report


def _check_operator(row: Row, raw: dict[str, Any], nips: set[str]) -> None:
    values = row.values
    kind_text = str(raw.get("podmiot_typ", ""))
    kind = _pick(kind_text, OPERATOR_TYPES) if kind_text else None
    if kind_text and kind is None:
        row.error(
            "podmiot_typ", _("Unknown type: write gmina, OPS, NGO, kościelna osoba prawna or spółdzielnia socjalna.")
        )
    values["podmiot_typ"] = kind
    if raw.get("podmiot_nip"):
        try:
            values["podmiot_nip"] = ids.validate_nip(str(raw["podmiot_nip"]))
        except ValidationError as error:
            row.error("podmiot_nip", str(error.message))
            return
        row.existing_operator = Operator.objects.filter(nip=values["podmiot_nip"]).first()
        nips.add(values["podmiot_nip"])
    if row.existing_operator is not None:
        return  # matched by NIP: the operator's record stays as it is
    if raw.get("podmiot_regon"):
        try:
            values["podmiot_regon"] = ids.validate_regon(str(raw["podmiot_regon"]))
        except ValidationError as error:
            row.error("podmiot_regon", str(error.message))
    krs = str(raw.get("podmiot_krs", ""))
    if krs:
        try:
            values["podmiot_krs"] = ids.validate_krs(krs)
        except ValidationError as error:
            row.error("podmiot_krs", str(error.message))
    if kind in Operator.KRS_TYPES and not krs:
        row.error("podmiot_krs", _("A non-governmental organisation or social cooperative must have its KRS number."))
    if kind in (Operator.Type.GMINA, Operator.Type.OPS) and krs:
        row.error("podmiot_krs", _("A gmina or OPS has no KRS number."))


# --------------------------------------------------------------------------- importing


def data_of(values: dict[str, Any]) -> dict[str, Any]:
    """An import row as the register's record of a club (the notification form's keys)."""

    def iso(value: date | None) -> str:
        return value.isoformat() if value else ""

    return {
        "operator_name": values["podmiot_nazwa"],
        "operator_krs": values.get("podmiot_krs", ""),
        "operator_street": values["podmiot_ulica"],
        "operator_postal_code": values["podmiot_kod_pocztowy"],
        "operator_city": values["podmiot_miejscowosc"],
        "operator_phone": values.get("podmiot_telefon", ""),
        "operator_fax": "",
        "operator_email": values.get("podmiot_email", ""),
        "club_name": values["nazwa_klubu"],
        "club_street": values["ulica_klubu"],
        "club_postal_code": values["kod_pocztowy_klubu"],
        "club_city": values["miejscowosc_klubu"],
        "club_gmina": values["gmina_klubu"],
        "created_on": iso(values["data_utworzenia"]),
        "started_on": iso(values["data_rozpoczecia"]),
        "manager_name": values["kierujacy"],
        "club_phone": values.get("telefon_klubu", ""),
        "club_email": values.get("email_klubu", ""),
        "operator_type": values.get("podmiot_typ") or "",
    }


class ImportRefused(Exception):
    def __init__(self, report: Report) -> None:
        super().__init__("import refused")
        self.report = report


def load(batch: ImportBatch) -> Report:
    if not batch.file:
        message = _("The uploaded file is no longer kept (files are deleted two days after upload): upload it again.")
        return Report(voivodeship=batch.voivodeship, file_errors=[message])
    with batch.file.open("rb") as handle:
        content = handle.read()
    return check(read(content, batch.original_name, batch.voivodeship))


@transaction.atomic
def run(*, batch: ImportBatch, by: User) -> Report:
    """Import every row of the batch, or nothing (``ImportRefused`` with the report)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != ImportBatch.State.CHECKED:
        raise ImportRefused(Report(voivodeship=batch.voivodeship, file_errors=[_("This file was already imported.")]))
    report = load(batch)
    if not report.ok:
        raise ImportRefused(report)
    operators: dict[str, Operator] = {}
    for row in report.rows:
        values = row.values
        operator = row.existing_operator or operators.get(values["podmiot_nip"])
        if operator is None:
            operator = Operator(
                type=values["podmiot_typ"],
                name=values["podmiot_nazwa"],
                nip=values["podmiot_nip"],
                regon=values.get("podmiot_regon", ""),
                krs=values.get("podmiot_krs", ""),
                street=values["podmiot_ulica"],
                postal_code=values["podmiot_kod_pocztowy"],
                city=values["podmiot_miejscowosc"],
                gmina_id=values["podmiot_gmina"],
                phone=values.get("podmiot_telefon", ""),
                email=values.get("podmiot_email", ""),
            )
            operator.save()
            audit.record(by, "operator.created", operator, via="register import", batch=batch.pk)
        operators[values["podmiot_nip"]] = operator
        struck = values["data_wykreslenia"]
        club = Club(
            operator=operator,
            name=values["nazwa_klubu"],
            street=values["ulica_klubu"],
            postal_code=values["kod_pocztowy_klubu"],
            city=values["miejscowosc_klubu"],
            gmina_id=values["gmina_klubu"],
            phone=values.get("telefon_klubu", ""),
            email=values.get("email_klubu", ""),
            manager_name=values["kierujacy"],
            manager_title=DEFAULT_MANAGER_TITLE,
            created_on=values["data_utworzenia"],
            started_on=values["data_rozpoczecia"],
            status=Club.Status.CLOSED if struck else Club.Status.ACTIVE,
        )
        club.save()
        audit.record(by, "club.created", club, via="register import", batch=batch.pk)
        data = data_of(values)
        entry = RegisterEntry(
            club=club,
            voivodeship=batch.voivodeship,
            number=values["numer_wpisu"],
            entered_on=values["data_wpisu"],
            struck_off_on=struck,
            strike_off_basis=values["podstawa_wykreslenia"] if struck else "",
            strike_off_reason=values.get("przyczyna_wykreslenia", "") if struck else "",
            imported=True,
            data=data,
        )
        entry.set_public_columns(data)
        entry.save()
        label = by.full_name
        RegisterEvent.objects.create(
            club=club,
            entry=entry,
            kind=RegisterEvent.Kind.ENTERED,
            on=entry.entered_on,
            by_label=_("earlier register (imported)"),
            details={"number": entry.number, "batch": batch.pk},
        )
        RegisterEvent.objects.create(
            club=club,
            entry=entry,
            kind=RegisterEvent.Kind.IMPORTED,
            on=timezone.localdate(),
            by=by,
            by_label=label,
            comment=batch.original_name,
            details={"batch": batch.pk, "line": row.line},
        )
        if struck:
            RegisterEvent.objects.create(
                club=club,
                entry=entry,
                kind=RegisterEvent.Kind.STRUCK_OFF,
                on=struck,
                by_label=_("earlier register (imported)"),
                comment=entry.strike_off_reason,
                details={"basis": entry.strike_off_basis, "batch": batch.pk},
            )
        audit.record(by, "register.imported", entry, batch=batch.pk, line=row.line, number=entry.number)
    batch.state, batch.imported_at, batch.rows = ImportBatch.State.IMPORTED, timezone.now(), len(report.rows)
    batch.save(update_fields=["state", "imported_at", "rows"])
    audit.record(by, "register.import_finished", batch, rows=len(report.rows), voivodeship=batch.voivodeship)
    return report


def template_workbook() -> bytes:
    header = [c.name for c in COLUMNS]
    explanation = [f"{'*' if c.required else ''}{c.label}" for c in COLUMNS]
    example = [c.example for c in COLUMNS]
    return xlsx.workbook(
        [
            xlsx.Sheet(title="rejestr", header=header, rows=[example]),
            xlsx.Sheet(
                title="objasnienia",
                header=[_("column"), _("meaning (* required)")],
                rows=list(zip(header, explanation, strict=True)),
            ),
        ]
    )


def voivodeship_label(code: str) -> str:
    return str(Voivodeship(code).label)


KEEP_FILES_DAYS = 2


def purge_old_files(*, now: datetime | None = None) -> int:
    """Delete uploaded register lists (they name the clubs' managers) two days after upload; keep the rows."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_FILES_DAYS)
    old = list(ImportBatch.objects.filter(uploaded_at__lt=cutoff).exclude(file=""))
    for batch in old:
        batch.file.delete(save=False)
        batch.save(update_fields=["file"])
    return len(old)
