"""The annual report's workflow: draft → checked by the leader → submitted → accepted or returned.

Every transition is one atomic function that takes the acting user and writes the audit trail.
Submitting freezes the figures (a snapshot of counts, never of people) with its PDF and
replaces the club's rollup cells; nothing edited later changes a submitted report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kis import audit
from kis.activities.models import ActivityType
from kis.clubs.models import Club
from kis.lib.teryt import Voivodeship
from kis.reports import layout
from kis.reports.compute import CodeLists, Figures, compute, labels_of, year_bounds
from kis.reports.models import (
    AnnualReport,
    FundingKind,
    ReportCell,
    ReportDeadline,
    ReportGrant,
    ReportSubmission,
)

SCHEMA = 1


def small_cell_threshold() -> int:
    """Above club level, counts of people below this are suppressed (docs/privacy.md)."""
    return settings.REPORT_SMALL_CELL_THRESHOLD


# --------------------------------------------------------------------------- the document


def club_meta(club: Club) -> dict[str, str]:
    """Identification data of the club and its operator (CAS 01 variable 9)."""
    operator = club.operator
    entry = _register_entry(club)
    return {
        "name": club.name,
        "address": f"{club.street}, {club.postal_code} {club.city}",
        "gmina": club.gmina_id,
        "gmina_name": club.gmina.name if club.gmina_id else "",
        "voivodeship": club.voivodeship,
        "voivodeship_name": str(Voivodeship(club.voivodeship).label) if club.voivodeship else "",
        "manager": club.manager_name,
        "email": club.email,
        "phone": club.phone,
        "register_number": entry,
        "operator": operator.name,
        "operator_type": str(operator.get_type_display()),
        "nip": operator.nip,
        "regon": operator.regon,
        "krs": operator.krs,
    }


def _register_entry(club: Club) -> str:
    entry = getattr(club, "register_entry", None) if _has_register() else None
    return str(getattr(entry, "number", "")) if entry is not None else ""


def _has_register() -> bool:
    try:
        apps.get_model("registry", "RegisterEntry")
    except LookupError:
        return False
    return True


def grant_values(report: AnnualReport | None, codes: CodeLists) -> dict[str, Decimal]:
    values: dict[str, Decimal] = {}
    rows = {g.funding.code: g for g in report.grants.select_related("funding")} if report and report.pk else {}
    for part in ("received", "spent", "returned"):
        total = Decimal(0)
        for code, _label in codes.funding:
            amount = getattr(rows[code], part) if code in rows else Decimal(0)
            values[f"grant.{code}.{part}"] = amount
            total += amount
        values[f"grant.total.{part}"] = total
    return values


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def build_document(club: Club, year: int, report: AnnualReport | None) -> tuple[dict[str, Any], Figures]:
    """The report as the records stand now: figures, grants, narratives and identification."""
    codes = CodeLists.load()
    with translation.override("pl"):
        figures = compute(club, year, codes=codes)
        meta = club_meta(club)
    values: dict[str, Any] = {**figures.values, **grant_values(report, codes)}
    document = {
        "schema": SCHEMA,
        "year": year,
        "computed_at": timezone.now().isoformat(),
        "club": meta,
        "values": {key: _plain(value) for key, value in values.items()},
        "labels": figures.labels,
        "narratives": narratives_of(report),
        "notes": {
            "staff": report.staff_note if report else "",
            "effects": report.effects_note if report else "",
            "grants": report.grants_note if report else "",
        },
    }
    return document, figures


def narratives_of(report: AnnualReport | None) -> list[dict[str, str]]:
    """The narrative per activity type, in the order of the types, as ``{"type", "actions", "effects"}``."""
    stored = (report.narratives if report else {}) or {}
    result = []
    for code in ActivityType.values:
        entry = stored.get(code) or {}
        actions, effects = str(entry.get("actions", "")).strip(), str(entry.get("effects", "")).strip()
        if actions or effects:
            result.append({"type": code, "actions": actions, "effects": effects})
    return result


# --------------------------------------------------------------------------- transitions


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _state_error(report: AnnualReport) -> ValidationError:
    """Why ``report`` cannot be submitted or changed now, in words for the user."""
    values = {
        "year": report.year,
        "number": report.submission_count,
        "date": date_format(timezone.localtime(report.submitted_at), "SHORT_DATETIME_FORMAT")
        if report.submitted_at
        else "",
    }
    if report.state == AnnualReport.State.SUBMITTED:
        return _refuse(
            _(
                "The report for %(year)s was already submitted (version %(number)s, %(date)s) and awaits the "
                "voivode office. Nothing was changed."
            )
            % values,
            "already_submitted",
        )
    if report.state == AnnualReport.State.ACCEPTED:
        return _refuse(
            _("The report for %(year)s was already accepted by the voivode office. Nothing was changed.") % values,
            "already_accepted",
        )
    return _refuse(
        _("The report for %(year)s is not submitted: there is nothing to review. Nothing was changed.") % values,
        "not_submitted",
    )


def get_or_start(*, club: Club, year: int, by: Any) -> AnnualReport:
    report = AnnualReport.objects.filter(club=club, year=year).first()
    if report is None:
        with transaction.atomic():
            report, created = AnnualReport.objects.get_or_create(club=club, year=year)
            if created:
                audit.record(by, "report.started", report, year=year)
    return report


@transaction.atomic
def save_texts(
    *,
    report: AnnualReport,
    expected_version: int,
    fields: dict[str, Any],
    grants: dict[str, dict[str, Decimal]],
    by: Any,
) -> None:
    """Save the narratives, notes and grant amounts; a checked report goes back to draft.

    Raises ``ValidationError`` (code ``not_editable`` or ``conflict``) and saves nothing.
    """
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if not locked.is_editable:
        raise _refuse(
            _("The report was submitted: it can be edited again only if the voivode office returns it."),
            "not_editable",
        )
    if locked.version != expected_version:
        raise _refuse(
            _(
                "Someone else saved this report after you opened it. Your changes were not saved: reload the "
                "page to see the current data, then enter your changes again."
            ),
            "conflict",
        )
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name, value in fields.items():
        setattr(locked, name, value)
    kinds = {kind.code: kind for kind in FundingKind.objects.filter(code__in=list(grants))}
    existing = {g.funding.code: g for g in locked.grants.select_related("funding")}
    for code, amounts in grants.items():
        row = existing.get(code) or ReportGrant(report=locked, funding=kinds[code])
        before = (row.received, row.spent, row.returned) if row.pk else (Decimal(0),) * 3
        after = (amounts["received"], amounts["spent"], amounts["returned"])
        if row.pk is None and not any(after):
            continue
        if before != after:
            row.received, row.spent, row.returned = after
            row.full_clean(exclude=["report", "funding"])
            row.save()
            changed.append(f"grant.{code}")
    update = ["version", *[name for name in fields if name in changed]]
    locked.version += 1
    if locked.state == AnnualReport.State.CHECKED and changed:
        locked.state, locked.checked_at, locked.checked_by = AnnualReport.State.DRAFT, None, None
        update += ["state", "checked_at", "checked_by"]
    locked.save(update_fields=update)
    audit.record(by, "report.edited", locked, changed=sorted(changed))
    report.refresh_from_db()


@transaction.atomic
def mark_checked(*, report: AnnualReport, by: Any) -> None:
    updated = AnnualReport.objects.filter(
        pk=report.pk, state__in=[AnnualReport.State.DRAFT, AnnualReport.State.RETURNED]
    ).update(state=AnnualReport.State.CHECKED, checked_at=timezone.now(), checked_by=by)
    report.refresh_from_db()
    if not updated:
        if report.state == AnnualReport.State.CHECKED:
            raise _refuse(_("The report is already marked as checked. Nothing was changed."), "already_checked")
        raise _state_error(report)
    audit.record(by, "report.checked", report, year=report.year)


def submit(*, report: AnnualReport, by: Any) -> ReportSubmission:
    """Freeze the report: snapshot, PDF, rollup cells. Submitting twice is refused, nothing changes."""
    with transaction.atomic():
        locked = (
            AnnualReport.objects.select_for_update().select_related("club__operator", "club__gmina").get(pk=report.pk)
        )
        if locked.state != AnnualReport.State.CHECKED:
            if locked.state in (AnnualReport.State.DRAFT, AnnualReport.State.RETURNED):
                raise _refuse(
                    _("The leader must mark the report as checked before submitting it. Nothing was changed."),
                    "not_checked",
                )
            raise _state_error(locked)
        document, _figures = build_document(locked.club, locked.year, locked)
        number = locked.submission_count + 1
        now = timezone.now()
        document["submission"] = {"number": number, "submitted_at": now.isoformat(), "submitted_by": str(by)}
        # A conditional update: of two concurrent submits only one finds the report still checked.
        won = AnnualReport.objects.filter(
            pk=locked.pk, state=AnnualReport.State.CHECKED, submission_count=locked.submission_count
        ).update(
            state=AnnualReport.State.SUBMITTED,
            submission_count=number,
            snapshot=document,
            submitted_at=now,
            submitted_by=by,
            reviewed_at=None,
            reviewed_by=None,
            review_comment="",
        )
        if not won:
            locked.refresh_from_db()
            raise _state_error(locked)
        locked.refresh_from_db()
        submission = ReportSubmission.objects.create(
            report=locked, number=number, submitted_at=now, submitted_by=by, snapshot=document
        )
        # The PDF is made from the frozen snapshot alone, after the commit, by a task; ensure_pdf()
        # makes it on first download if the task has not run yet.
        transaction.on_commit(lambda: _enqueue_pdf(submission.pk))
        write_cells(locked, document["values"])
        audit.record(by, "report.submitted", locked, year=locked.year, version=number)
    report.refresh_from_db()
    return submission


@transaction.atomic
def accept(*, report: AnnualReport, by: Any) -> None:
    updated = AnnualReport.objects.filter(pk=report.pk, state=AnnualReport.State.SUBMITTED).update(
        state=AnnualReport.State.ACCEPTED, reviewed_at=timezone.now(), reviewed_by=by, review_comment=""
    )
    report.refresh_from_db()
    if not updated:
        raise _state_error(report)
    report.submissions.filter(number=report.submission_count).update(
        outcome=ReportSubmission.Outcome.ACCEPTED, reviewed_at=report.reviewed_at, reviewed_by=by
    )
    audit.record(by, "report.accepted", report, year=report.year, version=report.submission_count)


@transaction.atomic
def return_for_correction(*, report: AnnualReport, comment: str, by: Any) -> None:
    comment = comment.strip()
    if not comment:
        raise _refuse(_("Write what the club must correct."), "comment_required")
    updated = AnnualReport.objects.filter(pk=report.pk, state=AnnualReport.State.SUBMITTED).update(
        state=AnnualReport.State.RETURNED,
        reviewed_at=timezone.now(),
        reviewed_by=by,
        review_comment=comment,
        checked_at=None,
        checked_by=None,
    )
    report.refresh_from_db()
    if not updated:
        raise _state_error(report)
    report.submissions.filter(number=report.submission_count).update(
        outcome=ReportSubmission.Outcome.RETURNED, reviewed_at=report.reviewed_at, reviewed_by=by, comment=comment
    )
    # A returned report no longer counts in regional totals until it is submitted again.
    ReportCell.objects.filter(report=report).delete()
    audit.record(by, "report.returned", report, year=report.year, version=report.submission_count)


def write_cells(report: AnnualReport, values: dict[str, Any]) -> None:
    """Replace the report's rollup cells with its snapshot's non-zero figures."""
    ReportCell.objects.filter(report=report).delete()
    ReportCell.objects.bulk_create(
        [
            ReportCell(
                report=report,
                club_id=report.club_id,
                year=report.year,
                voivodeship=report.club.voivodeship,
                key=key,
                value=Decimal(str(value)),
            )
            for key, value in values.items()
            if Decimal(str(value)) != 0
        ]
    )


def _enqueue_pdf(submission_id: int) -> None:
    from kis.reports.tasks import render_submission_pdf

    render_submission_pdf.enqueue(submission_id)


def ensure_pdf(submission: ReportSubmission) -> ReportSubmission:
    """The submission with its PDF, rendering it from the frozen snapshot if it is not there yet."""
    if not submission.pdf:
        content = render_snapshot_pdf(submission.report, submission)
        with transaction.atomic():
            locked = ReportSubmission.objects.select_for_update().get(pk=submission.pk)
            if not locked.pdf:
                locked.pdf.save(f"{submission.report.year}-v{submission.number}.pdf", ContentFile(content), save=False)
                locked.save(update_fields=["pdf"])
            submission.pdf = locked.pdf
    return submission


def render_snapshot_pdf(report: AnnualReport, submission: ReportSubmission) -> bytes:
    from kis.documents.pdf import render_pdf

    document = submission.snapshot
    with translation.override("pl"):
        sections = layout.build(document)
        title = _("Annual report of %(club)s for %(year)s") % {"club": report.club.name, "year": report.year}
    with translation.override("pl"):
        narratives = [
            {
                **entry,
                "label": str(ActivityType(entry["type"]).label)
                if entry["type"] in ActivityType.values
                else entry["type"],
            }
            for entry in document.get("narratives", [])
        ]
    context = {
        "narratives": narratives,
        "doc": {"club": report.club, "landscape": False},
        "report": report,
        "submission": submission,
        "document": document,
        "sections": sections,
        "title": title,
    }
    return render_pdf("reports/pdf/report.html", context, title=title)


# --------------------------------------------------------------------------- deadlines and the region


def deadline_settings(voivodeships: Iterable[str]) -> dict[str, ReportDeadline]:
    """The office's settings, or the statutory defaults (not saved) where an office set nothing."""
    codes = sorted(set(voivodeships))
    found = {d.voivodeship: d for d in ReportDeadline.objects.filter(voivodeship__in=codes)}
    return {
        code: found.get(code)
        or ReportDeadline(
            voivodeship=code,
            month=ReportDeadline.DEFAULT_MONTH,
            day=ReportDeadline.DEFAULT_DAY,
            remind_days=ReportDeadline.DEFAULT_REMIND_DAYS,
        )
        for code in codes
    }


def clubs_due(voivodeships: Iterable[str], year: int) -> list[Club]:
    """Clubs that report for ``year``: entered in the register by its end and not struck off before it.

    Clubs that already have a report for the year are listed too, whatever the register says.
    Without the register app: clubs past the "awaiting entry" status, created by the year's end.
    """
    codes = sorted(set(voivodeships))
    first, last = year_bounds(year)
    with_report = Q(annual_reports__year=year)
    if _has_register():
        in_register = Q(register_entry__voivodeship__in=codes, register_entry__entered_on__lte=last) & (
            Q(register_entry__struck_off_on__isnull=True) | Q(register_entry__struck_off_on__gte=first)
        )
    else:
        in_register = Q(voivodeship__in=codes, created_on__lte=last) & ~Q(status=Club.Status.PLANNED)
    clubs = Club.objects.filter(in_register | (with_report & Q(voivodeship__in=codes))).distinct()
    return list(clubs.select_related("operator").order_by("name_sort", "pk"))


@dataclass
class ClubStatus:
    club: Club
    report: AnnualReport | None
    deadline: date
    late: bool

    @property
    def state(self) -> str:
        return self.report.state if self.report else "missing"


def region_status(voivodeships: Iterable[str], year: int, *, today: date | None = None) -> list[ClubStatus]:
    """Every club due to report for ``year`` with its report's state; late = past the deadline, never submitted."""
    today = today or timezone.localdate()
    codes = sorted(set(voivodeships))
    deadlines = deadline_settings(codes)
    clubs = clubs_due(codes, year)
    reports = {
        r.club_id: r
        for r in AnnualReport.objects.filter(club__in=[c.pk for c in clubs], year=year).only(
            "pk", "club_id", "year", "state", "submitted_at", "submission_count", "reviewed_at"
        )
    }
    rows = []
    for club in clubs:
        report = reports.get(club.pk)
        deadline = (
            deadlines[club.voivodeship].for_year(year) if club.voivodeship in deadlines else date(year + 1, 3, 31)
        )
        never_submitted = report is None or report.submission_count == 0
        rows.append(ClubStatus(club, report, deadline, late=never_submitted and today > deadline))
    return rows


def totals(year: int, voivodeships: Iterable[str] | None = None) -> tuple[dict[str, Decimal], int]:
    """Figures summed over the counted (submitted or accepted) reports of ``year``, and how many reports."""
    cells = ReportCell.objects.filter(year=year, report__state__in=AnnualReport.COUNTED)
    if voivodeships is not None:
        cells = cells.filter(voivodeship__in=sorted(set(voivodeships)))
    summed = {row["key"]: row["total"] for row in cells.values("key").annotate(total=Sum("value")).order_by()}
    reports = AnnualReport.objects.counted().filter(year=year)
    if voivodeships is not None:
        reports = reports.filter(club__voivodeship__in=sorted(set(voivodeships)))
    return summed, reports.count()


def totals_document(year: int, voivodeships: Iterable[str] | None = None) -> tuple[dict[str, Any], int]:
    """A snapshot-shaped document of summed figures, labelled with the code lists as they are now."""
    summed, count = totals(year, voivodeships)
    with translation.override("pl"):
        labels = compute_labels()
    return {"year": year, "values": summed, "labels": labels}, count


def compute_labels() -> dict[str, dict[str, str]]:
    return labels_of(CodeLists.load())


def regional_sections(year: int, voivodeships: Iterable[str] | None = None) -> tuple[list[layout.Section], int]:
    document, count = totals_document(year, voivodeships)
    sections = layout.build(document)
    layout.suppress(sections, small_cell_threshold())
    return sections, count


def counts_by_state(rows: Iterable[ClubStatus]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.state] += 1
        if row.late:
            counts["late"] += 1
    return dict(counts)


@dataclass
class VoivodeshipRow:
    code: str
    name: str
    due: int
    counted: int
    accepted: int


def national_status(year: int) -> list[VoivodeshipRow]:
    """Per voivodeship: clubs due to report, reports counted (submitted or accepted), accepted."""
    codes = [code for code, _name in Voivodeship.choices]
    due: dict[str, int] = defaultdict(int)
    for club in clubs_due(codes, year):
        due[club.voivodeship] += 1
    counted: dict[str, int] = defaultdict(int)
    accepted: dict[str, int] = defaultdict(int)
    for voivodeship, state in (
        AnnualReport.objects.counted().filter(year=year).values_list("club__voivodeship", "state")
    ):
        counted[voivodeship] += 1
        if state == AnnualReport.State.ACCEPTED:
            accepted[voivodeship] += 1
    return [
        VoivodeshipRow(code, str(name), due[code], counted[code], accepted[code]) for code, name in Voivodeship.choices
    ]
