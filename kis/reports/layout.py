"""The tables of a report, built from a snapshot-shaped document (live, frozen or summed).

The same layout serves the club's live draft, a submitted snapshot, regional and national
totals, the PDF and the XLSX export, so they can never disagree. Above club level small cells
are suppressed (docs/privacy.md): a count of people from 1 to ``threshold - 1`` is hidden, and so
is a second cell wherever the hidden one could be recovered by subtraction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kis.activities.models import ActivityType
from kis.clubs.models import StaffMember
from kis.participants.models import TargetGroup
from kis.reports.compute import ANY, REFUSED, UNMAPPED, UNSTATED

SUPPRESSED = "•"
SEX_COLUMNS = [_("Total"), _("Women"), _("Men")]
MONEY_PREFIXES = ("grant.",)
DECIMAL_SUFFIXES = (".fte", ".hours", ".phours")


@dataclass
class Cell:
    key: str
    value: int | Decimal
    suppressed: bool = False
    link: str = ""

    @property
    def is_money(self) -> bool:
        return self.key.startswith(MONEY_PREFIXES)

    @property
    def text(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.is_money or self.key.endswith(DECIMAL_SUFFIXES):
            return number_format(self.value, decimal_pos=2, use_l10n=True, force_grouping=True)
        return number_format(self.value, decimal_pos=0, use_l10n=True, force_grouping=True)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    total: bool = False


@dataclass
class Section:
    id: str
    title: str
    source: str
    columns: list[Any]
    rows: list[Row]
    note: Any = ""
    # Columns that count people (suppressed above club level) and columns whose rows add up to the total.
    people: set[int] = field(default_factory=set)
    additive: set[int] = field(default_factory=set)
    sex_split: bool = False

    def cells(self) -> Iterable[Cell]:
        for row in self.rows:
            yield from row.cells


class Values:
    def __init__(self, values: dict[str, Any]) -> None:
        self.raw = values

    def __call__(self, key: str) -> Cell:
        raw = self.raw.get(key, 0)
        value: int | Decimal = Decimal(str(raw)) if isinstance(raw, (str, float, Decimal)) else int(raw)
        return Cell(key, value)

    def any(self, *keys: str) -> bool:
        return any(Decimal(str(self.raw.get(key, 0))) != 0 for key in keys)


def _label(labels: dict[str, dict[str, str]], kind: str, code: str, enum: Any = None) -> str:
    """The current translation for codes of our enums, else the label frozen into the snapshot."""
    if enum is not None and code in enum.values:
        return str(enum(code).label)
    return labels.get(kind, {}).get(code, code)


def _sex_row(label: Any, values: Values, key: str, *, total: bool = False) -> Row:
    return Row(str(label), [values(f"{key}.T"), values(f"{key}.F"), values(f"{key}.M")], total=total)


def build(document: dict[str, Any]) -> list[Section]:
    values = Values(document.get("values", {}))
    labels: dict[str, dict[str, str]] = document.get("labels", {})

    def codes_of(kind: str) -> list[str]:
        return list(labels.get(kind, {}))

    sections: list[Section] = []

    # 1. Staff
    basis_rows = [
        Row(_label(labels, "basis", code, StaffMember.Basis), [values(f"staff.{code}.n"), values(f"staff.{code}.fte")])
        for code in codes_of("basis")
    ]
    basis_rows.append(Row(str(_("Total")), [values("staff.total.n"), values("staff.total.fte")], total=True))
    sections.append(
        Section(
            "staff",
            str(_("Staff of the club")),
            "art. 18a ust. 6 pkt 1 u.z.s.",
            [_("People"), _("Working time (FTE)")],
            basis_rows,
            note=_(
                "Everyone in the staff register on at least one day of the year, with the working time entered "
                "for them. The bases of employment are a working list [U]: the statute does not name them."
            ),
        )
    )

    # 2. Participants
    participant_rows = [
        _sex_row(_("Participants in the year"), values, "p.total"),
        _sex_row(_("of whom started in the year"), values, "p.started"),
        _sex_row(_("Left in the year"), values, "p.left"),
        _sex_row(_("of whom completed"), values, "p.completed"),
        _sex_row(_("Achieved social reintegration effects"), values, "eff.social"),
        _sex_row(_("Achieved vocational reintegration effects"), values, "eff.vocational"),
        _sex_row(_("Achieved reintegration effects (social or vocational)"), values, "eff.any"),
        _sex_row(_("Employed after completing"), values, "eff.employed"),
    ]
    sections.append(
        Section(
            "participants",
            str(_("Participants and reintegration effects")),
            "art. 18a ust. 6 pkt 2 u.z.s.",
            SEX_COLUMNS,
            participant_rows,
            note=_(
                "Participants in the year: participation started on or before 31 December and did not end before "
                "1 January. Completed: ended for a reason listed in a form of activity after completing (code "
                "list of CAS 01). Social reintegration effect: a social goal of the reintegration plan achieved "
                "in the year (every step of the goal done, the last one in the year). Vocational reintegration "
                "effect: a vocational goal achieved in the year, or leaving for work, a social integration centre "
                "or a social cooperative. Employed after completing: completed for work, or a follow-up after "
                "completing recorded them as employed."
            ),
            people={0, 1, 2},
            sex_split=True,
        )
    )

    # 3. Groups of art. 1 ust. 2
    group_codes = [*TargetGroup.values, REFUSED, UNSTATED]
    group_labels = {REFUSED: str(_("refused to answer")), UNSTATED: str(_("groups not entered"))}
    group_rows = []
    for code in group_codes:
        keys = [f"g.{tally}.{code}.{part}" for tally in ("all", "pri") for part in ("n", "eff", "emp")]
        if code in (REFUSED, UNSTATED) and not values.any(*keys):
            continue
        label = group_labels.get(code) or _label(labels, "target_group", code, TargetGroup)
        group_rows.append(Row(label, [values(key) for key in keys]))
    totals = [values("p.total.T"), values("eff.any.T"), values("eff.employed.T")]
    group_rows.append(Row(str(_("All participants")), [*totals, *[Cell(c.key, c.value) for c in totals]], total=True))
    sections.append(
        Section(
            "groups",
            str(_("Participants by the groups of art. 1 ust. 2")),
            "art. 18a ust. 6 pkt 2 u.z.s.",
            [
                _("All groups: participants"),
                _("All groups: with effects"),
                _("All groups: employed after completing"),
                _("Primary group: participants"),
                _("Primary group: with effects"),
                _("Primary group: employed after completing"),
            ],
            group_rows,
            note=_(
                'Counting rule: a person belongs to every group entered for them. "All groups" counts a person '
                "once in each of their groups, so its column adds up to more than the number of participants "
                'when people belong to several groups. "Primary group" counts each person once, in the first '
                "group entered for them, so its column adds up to the number of participants. People who refused "
                "to answer, and people without groups entered, are counted in rows of their own."
            ),
            people=set(range(6)),
            additive={3, 4, 5},
        )
    )

    # 4. Actions per activity type
    activity_rows = []
    for code in codes_of("activity"):
        keys = [
            f"act.{code}.{column}"
            for column in ("sessions", "hours", "people", "attend", "phours", "consult", "placements")
        ]
        if values.any(*keys):
            activity_rows.append(Row(_label(labels, "activity", code, ActivityType), [values(key) for key in keys]))
    sections.append(
        Section(
            "activities",
            str(_("Social and vocational reintegration actions")),
            "art. 18a ust. 6 pkt 3 u.z.s.",
            [
                _("Sessions held"),
                _("Hours of sessions"),
                _("Participants"),
                _("Attendances"),
                _("Participant hours"),
                _("Individual consultations"),
                _("Placements (PSU, public works, traineeships)"),
            ],
            activity_rows,
            note=_(
                "Sessions held in the year and not cancelled, by the type of their activity. Participants: people "
                "present at least once, on a placement during the year or at a consultation that took place. "
                "Participant hours: hours of attendance plus hours worked on placements. Socially useful work, "
                "public works and traineeships are counted under their own type, temporary jobs under help in "
                "finding work, consultations under legal counselling, psychological support, career counselling "
                "or self-help (social worker)."
            ),
            people={2},
        )
    )

    # 5. Grants
    grant_rows = [
        Row(
            labels.get("funding", {}).get(code, code),
            [values(f"grant.{code}.received"), values(f"grant.{code}.spent"), values(f"grant.{code}.returned")],
        )
        for code in codes_of("funding")
    ]
    grant_rows.append(
        Row(
            str(_("Total")),
            [values("grant.total.received"), values("grant.total.spent"), values("grant.total.returned")],
            total=True,
        )
    )
    sections.append(
        Section(
            "grants",
            str(_("Settlement of grants (PLN)")),
            "art. 18a ust. 6 pkt 4 u.z.s.",
            [_("Received"), _("Spent"), _("Returned")],
            grant_rows,
            note=_("Amounts entered by the club for the year of the report."),
        )
    )

    # CAS 01
    sections.append(
        Section(
            "cas1",
            str(_("1. Sources of funding of the club (PLN)")),
            "MRiPS CAS 01",
            [_("Amount")],
            [
                *[
                    Row(labels.get("funding", {}).get(code, code), [values(f"grant.{code}.spent")])
                    for code in codes_of("funding")
                ],
                Row(str(_("Total")), [values("grant.total.spent")], total=True),
            ],
            note=_("The amounts spent from each source, as entered in the settlement of grants."),
        )
    )
    sections.append(
        Section(
            "cas2",
            str(_("2. Employment in the club")),
            "MRiPS CAS 01",
            [_("People")],
            [Row(str(_("Staff without volunteers")), [values("staff.employed.n")])],
        )
    )
    sections.append(
        Section(
            "cas3",
            str(_("3. Volunteers")),
            "MRiPS CAS 01",
            SEX_COLUMNS,
            [_sex_row(_("Volunteers"), values, "staff.volunteers")],
        )
    )
    cas4_rows = [
        _sex_row(labels.get("group", {}).get(code, code), values, f"cas4.{code}") for code in codes_of("group")
    ]
    extra: list[tuple[str, Any]] = [
        (UNSTATED, _("refused to answer or groups not entered")),
        (UNMAPPED, _("group not in the code list")),
    ]
    for code, label in extra:
        if values.any(f"cas4.{code}.T"):
            cas4_rows.append(_sex_row(label, values, f"cas4.{code}"))
    cas4_rows.append(_sex_row(_("Total"), values, "p.started", total=True))
    sections.append(
        Section(
            "cas4",
            str(_("4. Participants who started in the year, by group")),
            "MRiPS CAS 01",
            SEX_COLUMNS,
            cas4_rows,
            note=_(
                "Each person once, in their primary group (the first group entered), mapped through the code list of groups."
            ),
            people={0, 1, 2},
            additive={0, 1, 2},
            sex_split=True,
        )
    )
    sections.append(
        Section(
            "cas5",
            str(_("5. Participants")),
            "MRiPS CAS 01",
            SEX_COLUMNS,
            [_sex_row(_("Participants in the year"), values, "p.total")],
            people={0, 1, 2},
            sex_split=True,
        )
    )
    sections.append(
        Section(
            "cas6",
            str(_("6. Participants who completed, by what they took up after completing")),
            "MRiPS CAS 01",
            SEX_COLUMNS,
            [
                *[
                    _sex_row(labels.get("form", {}).get(code, code), values, f"cas6.{code}")
                    for code in codes_of("form")
                ],
                _sex_row(_("Total"), values, "p.completed", total=True),
            ],
            note=_("The first form (in the order of the code list) whose reasons for ending and kinds of work match."),
            people={0, 1, 2},
            additive={0, 1, 2},
            sex_split=True,
        )
    )
    cas78: list[tuple[str, str, Any]] = [
        ("cas7", "social", _("7. Participants covered by social reintegration, by category of services")),
        ("cas8", "vocational", _("8. Participants covered by vocational reintegration, by category of services")),
    ]
    for variable, kind, title in cas78:
        sections.append(
            Section(
                variable,
                str(title),
                "MRiPS CAS 01",
                SEX_COLUMNS,
                [
                    *[
                        _sex_row(labels.get(kind, {}).get(code, code), values, f"{variable}.{code}")
                        for code in codes_of(kind)
                    ],
                    _sex_row(_("People covered by any category"), values, f"{variable}.{ANY}", total=True),
                ],
                note=_(
                    "A person is counted in a category when they took part in the year in an activity of a type the "
                    "code list maps to it; in the last row once, however many categories they used."
                ),
                people={0, 1, 2},
                sex_split=True,
            )
        )
    return sections


def suppress(sections: list[Section], threshold: int) -> None:
    """Hide counts of 1 … threshold − 1 people, then every cell that would give one of them away."""
    if threshold <= 1:
        return
    for section in sections:
        people_cells = [
            (row, index, cell)
            for row in section.rows
            for index, cell in enumerate(row.cells)
            if index in section.people
        ]
        for _row, _index, cell in people_cells:
            if 0 < cell.value < threshold:
                cell.suppressed = True
        for _round in range(10):
            changed = False
            for index in section.additive:
                column = [row.cells[index] for row in section.rows if not row.total]
                hidden = [cell for cell in column if cell.suppressed]
                if len(hidden) == 1:
                    others = [cell for cell in column if not cell.suppressed and cell.value > 0]
                    if others:
                        min(others, key=lambda cell: cell.value).suppressed = True
                        changed = True
            if section.sex_split:
                for row in section.rows:
                    total, women, men = row.cells[:3]
                    if total.suppressed:
                        continue
                    if women.suppressed != men.suppressed:
                        other = men if women.suppressed else women
                        if other.value > 0:
                            other.suppressed = True
                            changed = True
            if not changed:
                break
