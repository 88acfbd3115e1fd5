"""Pages of the annual report: the club's report and its workflow, drill-down, the voivode's view."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kis import audit
from kis.accounts.decorators import scoped
from kis.accounts.models import Role
from kis.accounts.policy import Can, access
from kis.activities.models import ActivityType, Session
from kis.clubs.access import deny, get_club_for
from kis.clubs.models import Club, StaffMember
from kis.documents.pdf import safe_filename
from kis.lib import xlsx
from kis.lib.http import AuthenticatedHttpRequest
from kis.participants.models import Participant
from kis.reports import exports, layout, services
from kis.reports.access import check_year, get_report_for, may_read_code_lists, region_of, require_analyst
from kis.reports.compute import Figures
from kis.reports.forms import CODE_LISTS, DeadlineForm, ReportTextsForm, ReturnForm
from kis.reports.models import AnnualReport, FundingKind, ReportDeadline

CLUB_SIDE = frozenset({Role.LEADER, Role.STAFF, Role.OPERATOR})


def _sees_drafts(request: AuthenticatedHttpRequest, club: Club) -> bool:
    """The club's team and its operator see the live figures; the voivode office only what was submitted."""
    return bool(access(request).roles_in_club(club) & CLUB_SIDE)


def _document(
    request: AuthenticatedHttpRequest, club: Club, year: int, report: AnnualReport | None
) -> tuple[dict[str, Any] | None, Figures | None]:
    if report is not None and report.is_counted:
        return report.snapshot, None
    if _sees_drafts(request, club):
        return services.build_document(club, year, report)
    if report is not None and report.state == AnnualReport.State.RETURNED:
        return report.snapshot, None
    return None, None


def _link_records(sections: list[layout.Section], club: Club, year: int, figures: Figures) -> None:
    for cell in (cell for section in sections for cell in section.cells()):
        if cell.value and cell.key in figures.records:
            cell.link = reverse("reports:records", args=[club.pk, year, cell.key])


def _narratives(document: dict[str, Any]) -> list[dict[str, str]]:
    labels = document.get("labels", {}).get("activity", {})
    return [
        {
            **entry,
            "label": str(ActivityType(entry["type"]).label)
            if entry["type"] in ActivityType.values
            else labels.get(entry["type"], entry["type"]),
        }
        for entry in document.get("narratives", [])
    ]


# --------------------------------------------------------------------------- the club's reports


@scoped
def club_reports(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.VIEW_REPORT)
    today = timezone.localdate()
    reports = {r.year: r for r in AnnualReport.objects.filter(club=club)}
    deadline = services.deadline_settings([club.voivodeship])[club.voivodeship]
    first = min([club.created_on.year, *reports]) if reports else club.created_on.year
    years = [
        {"year": year, "report": reports.get(year), "deadline": deadline.for_year(year)}
        for year in range(today.year, max(first, today.year - 10) - 1, -1)
    ]
    return render(request, "reports/club_reports.html", {"club": club, "years": years, "today": today})


@scoped
def report_detail(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.VIEW_REPORT)
    check_year(year)
    user_access = access(request)
    report = AnnualReport.objects.filter(club=club, year=year).select_related("submitted_by", "reviewed_by").first()
    document, figures = _document(request, club, year, report)
    sections = layout.build(document) if document else []
    has_links = figures is not None and user_access.can(Can.VIEW_CASE, club)
    if figures is not None and has_links:
        _link_records(sections, club, year, figures)
    state = report.state if report else AnnualReport.State.DRAFT
    deadline = services.deadline_settings([club.voivodeship])[club.voivodeship].for_year(year)
    context = {
        "club": club,
        "year": year,
        "report": report,
        "state": state,
        "state_label": AnnualReport.State(state).label,
        "live": figures is not None,
        "document": document,
        "art_sections": [s for s in sections if not s.id.startswith("cas")],
        "cas_sections": [s for s in sections if s.id.startswith("cas")],
        "has_links": has_links,
        "narratives": _narratives(document) if document else [],
        "meta": (document or {}).get("club", {}),
        "notes": (document or {}).get("notes", {}),
        "deadline": deadline,
        "late": (report is None or report.submission_count == 0) and timezone.localdate() > deadline,
        "submissions": list(report.submissions.select_related("submitted_by", "reviewed_by")) if report else [],
        "can_edit": user_access.can(Can.EDIT_REPORT, club) and (report is None or report.is_editable),
        "can_check": user_access.can(Can.SUBMIT_REPORT, club)
        and state in (AnnualReport.State.DRAFT, AnnualReport.State.RETURNED),
        "can_submit": user_access.can(Can.SUBMIT_REPORT, club) and state == AnnualReport.State.CHECKED,
        "can_review": report is not None
        and user_access.can(Can.REVIEW_REPORT, club)
        and state == AnnualReport.State.SUBMITTED,
        "return_form": ReturnForm(),
    }
    return render(request, "reports/report_detail.html", context)


@scoped
def report_edit(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.EDIT_REPORT)
    check_year(year)
    report = AnnualReport.objects.filter(club=club, year=year).first()
    if report is not None and not report.is_editable:
        messages.error(
            request, _("The report was submitted: it can be edited again only if the voivode office returns it.")
        )
        return redirect("reports:report", pk=club.pk, year=year)
    shown = report or AnnualReport(club=club, year=year)
    document, _figures = services.build_document(club, year, report)
    values = document["values"]
    types = [
        code
        for code in ActivityType.values
        if any(Decimal(str(values.get(f"act.{code}.{c}", 0))) for c in ("sessions", "people", "placements", "consult"))
        or code in (shown.narratives or {})
    ]
    funding = list(FundingKind.objects.filter(is_active=True))
    amounts = {
        kind.code: {
            part: Decimal(str(values.get(f"grant.{kind.code}.{part}", 0))) for part in ("received", "spent", "returned")
        }
        for kind in funding
    }
    form = ReportTextsForm(
        request.POST if request.method == "POST" else None,
        report=shown,
        activity_types=types,
        funding=funding,
        amounts=amounts,
    )
    if request.method == "POST" and form.is_valid():
        report = services.get_or_start(club=club, year=year, by=request.user)
        try:
            services.save_texts(
                report=report,
                expected_version=form.cleaned_data["version"],
                fields=form.texts(),
                grants=form.grants(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect("reports:report", pk=club.pk, year=year)
    status = 409 if form.non_field_errors() else 400 if form.errors else 200
    context = {"club": club, "year": year, "report": report, "form": form}
    return render(request, "reports/report_edit.html", context, status=status)


def _transition(request: AuthenticatedHttpRequest, action: Any, success: str, **kwargs: Any) -> bool:
    try:
        action(by=request.user, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@scoped
@require_POST
def report_check(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.SUBMIT_REPORT)
    check_year(year)
    report = services.get_or_start(club=club, year=year, by=request.user)
    _transition(
        request, services.mark_checked, _("The report is marked as checked: it can be submitted now."), report=report
    )
    return redirect("reports:report", pk=club.pk, year=year)


@scoped
@require_POST
def report_submit(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.SUBMIT_REPORT)
    check_year(year)
    report = AnnualReport.objects.filter(club=club, year=year).first()
    if report is None:
        messages.error(
            request, _("The leader must mark the report as checked before submitting it. Nothing was changed.")
        )
    else:
        _transition(request, services.submit, _("The report was submitted to the voivode office."), report=report)
    return redirect("reports:report", pk=club.pk, year=year)


@scoped
@require_POST
def report_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request, pk, need=Can.REVIEW_REPORT)
    _transition(request, services.accept, _("The report was accepted."), report=report)
    return redirect(report)


@scoped
@require_POST
def report_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request, pk, need=Can.REVIEW_REPORT)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(report)
    _transition(
        request,
        services.return_for_correction,
        _("The report was returned to the club with your comments."),
        report=report,
        comment=form.cleaned_data["comment"],
    )
    return redirect(report)


@scoped
def submission_pdf(request: AuthenticatedHttpRequest, pk: int, number: int) -> FileResponse:
    report = get_report_for(request, pk)
    submission = services.ensure_pdf(
        get_object_or_404(report.submissions.select_related("submitted_by"), number=number)
    )
    audit.record(request.user, "report.pdf_downloaded", report, version=number)
    name = safe_filename(f"Sprawozdanie {report.club.name} {report.year} v{number}")
    response = FileResponse(
        submission.pdf.open("rb"), content_type="application/pdf", as_attachment=True, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@scoped
def report_xlsx(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.VIEW_REPORT)
    check_year(year)
    report = AnnualReport.objects.filter(club=club, year=year).first()
    document, _figures = _document(request, club, year, report)
    if document is None:
        raise Http404
    audit.record(request.user, "report.exported", club, year=year, format="xlsx")
    content = exports.report_workbook(document, layout.build(document))
    return xlsx.response(f"sprawozdanie-kis-{club.pk}-{year}.xlsx", content)


# --------------------------------------------------------------------------- drill-down (club staff only)


@scoped
def report_records(request: AuthenticatedHttpRequest, pk: int, year: int, key: str) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.VIEW_CASE)
    check_year(year)
    _document_values, figures = services.build_document(club, year, None)
    if key not in figures.records:
        raise Http404
    kind, ids = figures.records[key]
    audit.record(request.user, "report.records_viewed", club, year=year, key=key, count=len(ids))
    sections = layout.build(_document_values)
    title = next(
        (
            f"{section.title} – {row.label}"
            for section in sections
            for row in section.rows
            for cell in row.cells
            if cell.key == key
        ),
        key,
    )
    context: dict[str, Any] = {"club": club, "year": year, "key": key, "kind": kind, "title": title, "count": len(ids)}
    if kind == "participants":
        context["rows"] = (
            Participant.objects.visible_to(access(request))
            .filter(club=club, pk__in=sorted(ids))
            .order_by("name_sort", "pk")
        )
    elif kind == "sessions":
        context["rows"] = (
            Session.objects.visible_to(access(request))
            .filter(pk__in=sorted(ids))
            .select_related("activity", "room")
            .order_by("starts_at")
        )
    else:
        context["rows"] = StaffMember.objects.filter(club=club, pk__in=sorted(ids))
    return render(request, "reports/records.html", context)


# --------------------------------------------------------------------------- the voivode office


def _status_rows(rows: list[services.ClubStatus], year: int) -> list[dict[str, Any]]:
    """The list's cells as text, built once in Python: a voivodeship may have hundreds of clubs."""
    base = reverse("reports:report", args=[0, year]).replace("/0/", "/{}/", 1)
    result = []
    for row in rows:
        report = row.report
        if report is None:
            state = _("not started")
        elif report.submission_count > 1:
            state = f"{report.get_state_display()} ({_('version %(number)s') % {'number': report.submission_count}})"
        else:
            state = str(report.get_state_display())
        submitted = report.submitted_at if report is not None else None
        result.append(
            {
                "name": row.club.name,
                "url": base.format(row.club.pk),
                "operator": row.club.operator.name,
                "state": state,
                "late": row.late,
                "submitted": date_format(timezone.localtime(submitted), "SHORT_DATETIME_FORMAT") if submitted else "—",
                "deadline": date_format(row.deadline, "SHORT_DATE_FORMAT"),
            }
        )
    return result


@scoped
def region(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    codes = region_of(request)
    check_year(year)
    rows = services.region_status(codes, year)
    sections, counted = services.regional_sections(year, codes)
    context = {
        "year": year,
        "rows": _status_rows(rows, year),
        "counts": services.counts_by_state(rows),
        "sections": sections,
        "counted": counted,
        "deadlines": services.deadline_settings(codes),
        "hidden_max": services.small_cell_threshold() - 1,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
    }
    return render(request, "reports/region.html", context)


@scoped
def region_xlsx(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    codes = region_of(request)
    check_year(year)
    rows = services.region_status(codes, year)
    sections, _counted = services.regional_sections(year, codes)
    audit.record(request.user, "report.region_exported", None, voivodeships=codes, year=year, format="xlsx")
    return xlsx.response(
        f"sprawozdania-kis-{'-'.join(codes)}-{year}.xlsx", exports.region_workbook(year, rows, sections)
    )


@scoped
def deadlines(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = region_of(request)
    current = services.deadline_settings(codes)
    code = request.POST.get("voivodeship", codes[0]) if request.method == "POST" else ""
    forms = {}
    for voivodeship, setting in current.items():
        bound = request.method == "POST" and voivodeship == code
        forms[voivodeship] = DeadlineForm(request.POST if bound else None, instance=setting, prefix=f"w{voivodeship}")
    if request.method == "POST":
        if code not in current:
            deny(request, ReportDeadline, code, status=404)
            raise Http404
        form = forms[code]
        if form.is_valid():
            setting = form.save(commit=False)
            setting.updated_at, setting.updated_by = timezone.now(), request.user
            audit.save_form(form, "report.deadline_set", by=request.user)
            messages.success(request, _("The deadline was saved."))
            return redirect("reports:deadlines")
    year = timezone.localdate().year - 1
    context = {"forms": [(v, forms[v], current[v].for_year(year)) for v in codes], "year": year}
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render(request, "reports/deadlines.html", context, status=status)


# --------------------------------------------------------------------------- the ministry


@scoped
def national(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    require_analyst(request)
    check_year(year)
    sections, counted = services.regional_sections(year)
    context = {
        "year": year,
        "sections": sections,
        "counted": counted,
        "by_voivodeship": services.national_status(year),
        "hidden_max": services.small_cell_threshold() - 1,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
    }
    return render(request, "reports/national.html", context)


@scoped
def national_xlsx(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    require_analyst(request)
    check_year(year)
    sections, _counted = services.regional_sections(year)
    audit.record(request.user, "report.national_exported", None, year=year, format="xlsx")
    return xlsx.response(f"sprawozdania-kis-kraj-{year}.xlsx", exports.totals_workbook(year, sections))


@scoped
def code_lists(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_read_code_lists(request):
        deny(request, FundingKind, "lists", status=403)
        raise PermissionDenied
    lists = [
        (slug, title, form_class._meta.model._default_manager.all()) for slug, (form_class, title) in CODE_LISTS.items()
    ]
    can_edit = access(request).has_role(Role.ANALYST)
    return render(request, "reports/code_lists.html", {"lists": lists, "can_edit": can_edit})


@scoped
def code_edit(request: AuthenticatedHttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    require_analyst(request)
    if slug not in CODE_LISTS:
        raise Http404
    form_class, title = CODE_LISTS[slug]
    model = form_class._meta.model
    instance = get_object_or_404(model, pk=pk) if pk is not None else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        audit.save_form(form, "report.code_list_changed" if instance else "report.code_list_added", by=request.user)
        messages.success(request, _("The code list was saved. Submitted reports keep the codes they were made with."))
        return redirect("reports:code_lists")
    context = {"form": form, "title": title, "instance": instance, "slug": slug}
    return render(request, "reports/code_edit.html", context, status=400 if form.errors else 200)
