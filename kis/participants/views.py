from __future__ import annotations

import mimetypes
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kis import audit
from kis.accounts.decorators import scoped
from kis.accounts.models import Role
from kis.accounts.policy import Can, access
from kis.clubs.access import get_club_for
from kis.lib.forms import CONFLICT_MESSAGE, Conflict, errors_as_messages
from kis.lib.http import AuthenticatedHttpRequest
from kis.lib.teryt import Voivodeship
from kis.participants import eligibility, services
from kis.participants.access import get_in_file, get_participant_for
from kis.participants.caseload import build_caseload
from kis.participants.forms import (
    AdmitForm,
    ConsentForm,
    DocumentForm,
    ExitForm,
    FollowUpForm,
    HouseholdForm,
    IntakeForm,
    NoteForm,
    ParticipantForm,
    SpecialDataForm,
)
from kis.participants.models import CaseDocument, CaseNote, Consent, FollowUp, Participant, TargetGroup

PAGE = 50
CLUB_NOT_ENTERED = gettext_lazy(
    "This club is not entered in the voivode's register of clubs (or was struck off), so it cannot take "
    "participants (art. 18 ust. 1 u.z.s.). Notify the club to the register first."
)


def _not_entered(club: Any) -> str:
    """Why the club cannot take participants now, or an empty string."""
    return "" if club.status == club.Status.ACTIVE else str(CLUB_NOT_ENTERED)


def _filtered(club_participants: Any, params: Any, today: date) -> Any:
    qs = club_participants
    status = params.get("status", "")
    if status in Participant.Status.values:
        qs = qs.filter(status=status)
    term = params.get("q", "").replace("\x00", "").strip()[:80]
    if term:
        qs = qs.search(term)
    due = params.get("due", "")
    if due == "contract":
        soon = today + timedelta(days=30)
        qs = qs.filter(
            contracts__status__in=eligibility.CONTRACT_IN_FORCE, contracts__valid_to__range=(today, soon)
        ).distinct()
    elif due == "review":
        qs = qs.filter(plans__is_current=True, plans__next_review_on__lte=today)
    elif due == "follow_up":
        qs = qs.filter(
            Exists(FollowUp.objects.filter(participant=OuterRef("pk"), recorded_on__isnull=True, due_on__lte=today))
        )
    return qs


@scoped
def participant_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.VIEW_PARTICIPANT_LIST)
    user_access = access(request)
    names_only = not user_access.can(Can.VIEW_CASE, club)
    today = timezone.localdate()
    # The front desk searches by name only: no filter may reveal anything about a person's file.
    params: Any = {"q": request.GET.get("q", "")} if names_only else request.GET
    qs = _filtered(Participant.objects.visible_to(user_access).filter(club=club), params, today)
    if names_only:
        qs = qs.filter(status=Participant.Status.ACTIVE)
    group = request.GET.get("group", "") if not names_only else ""
    after = request.GET.get("after", "")
    if after and "|" in after:
        sort_key, _sep, last_pk = after.rpartition("|")
        if last_pk.isdigit():
            qs = qs.filter(Q(name_sort__gt=sort_key) | Q(name_sort=sort_key, pk__gt=int(last_pk)))
    fields = ["pk", "first_name", "last_name", "name_sort", "status", "joined_on", "birth_date", "pesel_last4"]
    if group in TargetGroup.values:
        # Groups are encrypted per person: the filter decrypts in the application, and is audited.
        rows = [p for p in qs.only(*fields, "groups") if group in (p.groups or [])]
        audit.record(request.user, "participant.special_filter", club, group=group)
        page = rows[: PAGE + 1]
    else:
        page = list(qs.only(*fields).order_by("name_sort", "pk")[: PAGE + 1])
    has_more = len(page) > PAGE
    page = page[:PAGE]
    context = {
        "club": club,
        "participants": page,
        "names_only": names_only,
        "next_after": f"{page[-1].name_sort}|{page[-1].pk}" if has_more else "",
        "filters": {k: request.GET.get(k, "") for k in ("q", "status", "due", "group")},
        "statuses": Participant.Status.choices,
        "groups": TargetGroup.choices,
        "can_add": not names_only,
    }
    template = "participants/participant_list.html#rows" if request.htmx else "participants/participant_list.html"
    return render(request, template, context)


@scoped
def participant_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.VIEW_CASE)
    not_entered = _not_entered(club)
    if not_entered:
        context: dict[str, Any] = {"form": None, "club": club, "similar": [], "not_entered": not_entered}
        return render(request, "participants/participant_create.html", context, status=409 if request.POST else 200)
    form = IntakeForm(request.POST or None, club=club, initial={"applied_on": timezone.localdate()})
    elsewhere: list[services.ElsewhereNotice] = []
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data}  # type: ignore[union-attr]
        participant = Participant(club=club)
        for name, value in fields.items():
            setattr(participant, name, value)
        form.apply_to(participant)
        values = {name: getattr(participant, name) for name in [*fields, "pesel", "birth_date", "sex"]}
        participant = services.register_participant(club=club, fields=values, by=request.user)
        if participant.pesel:
            elsewhere = services.active_elsewhere(pesel=participant.pesel, club=club)
        for notice in elsewhere:
            messages.warning(
                request,
                _("This person is also active in a club in the %(voivodeship)s voivodeship.")
                % {"voivodeship": Voivodeship(notice.voivodeship).label},
            )
        messages.success(request, _("%(name)s registered.") % {"name": participant})
        return redirect(participant)
    context = {"form": form, "club": club, "similar": getattr(form, "similar", [])}
    return render(request, "participants/participant_create.html", context, status=400 if form.errors else 200)


@scoped
def participant_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    context = {
        "participant": participant,
        "club": participant.club,
        "tab": "data",
        "consents": participant.consents.all(),
        "household": participant.household.all(),
        "household_form": HouseholdForm(participant=participant),
        "consent_form": ConsentForm(participant=participant, initial={"given_on": timezone.localdate()}),
        "admit_form": AdmitForm(initial={"joined_on": timezone.localdate()}),
        "contract_gap": participant.status == Participant.Status.ACTIVE
        and not eligibility.check_contract_in_force(participant, on=timezone.localdate()),
    }
    return render(request, "participants/participant_detail.html", context)


@scoped
def participant_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    form = ParticipantForm(request.POST or None, instance=participant, club=participant.club)
    if request.method == "POST" and form.is_valid():
        form.apply_to(form.instance)
        try:
            form.save_audited("participant.updated", by=request.user)
        except Conflict:
            form.add_error(None, CONFLICT_MESSAGE)
        else:
            messages.success(request, _("Data saved."))
            return redirect(participant)
    status = 409 if form.non_field_errors() else 400 if form.errors else 200
    context = {"form": form, "participant": participant, "club": participant.club, "tab": "data"}
    return render(request, "participants/participant_edit.html", context, status=status)


@scoped
@require_POST
def pesel_reveal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    pesel = participant.reveal_pesel(by=request.user)
    return render(request, "participants/pesel.html", {"participant": participant, "pesel": pesel})


@scoped
def special_data(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Special-category data behind a 'show' step that records the reason (ux.md principle 5)."""
    participant = get_participant_for(request, pk, need=Can.VIEW_SPECIAL)
    revealed = None
    if request.method == "POST":
        reason = request.POST.get("reason", "").replace("\x00", "").strip()
        if not reason:
            messages.error(request, _("Give the reason for viewing these data."))
        else:
            revealed = participant.reveal_special(by=request.user, reason=reason)
            revealed["eligibility"] = eligibility.check(participant, on=timezone.localdate())
    context = {"participant": participant, "club": participant.club, "tab": "eligibility", "revealed": revealed}
    return render(request, "participants/special_data.html", context)


@scoped
def special_data_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk, need=Can.VIEW_SPECIAL)
    if request.method != "POST":
        audit.record(request.user, "participant.special_read", participant, reason="edit form")
    form = SpecialDataForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        try:
            form.save_audited("participant.special_updated", by=request.user)
        except Conflict:
            form.add_error(None, CONFLICT_MESSAGE)
        else:
            messages.success(request, _("Data saved."))
            return redirect("participants:special", pk=participant.pk)
    status = 409 if form.non_field_errors() else 400 if form.errors else 200
    context = {"form": form, "participant": participant, "club": participant.club, "tab": "eligibility"}
    return render(request, "participants/special_data_edit.html", context, status=status)


@scoped
@require_POST
def participant_admit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    form = AdmitForm(request.POST)
    if participant.status != Participant.Status.CANDIDATE:
        messages.error(request, _("Only a candidate can be admitted."))
    elif _not_entered(participant.club):
        messages.error(request, _not_entered(participant.club))
    elif form.is_valid():
        participant.admit(on=form.cleaned_data["joined_on"], by=request.user)
        if not eligibility.check_contract_in_force(participant, on=form.cleaned_data["joined_on"]):
            messages.warning(request, _("Participation starts outside a signed social contract (art. 18 ust. 4)."))
        messages.success(request, _("Participation started."))
    else:
        messages.error(request, _("Enter the start date as a date."))
    return redirect(participant)


@scoped
@require_POST
def consent_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    form = ConsentForm(request.POST, participant=participant)
    if form.is_valid():
        audit.save_form(form, "consent.recorded", by=request.user)
        messages.success(request, _("Processing purpose recorded."))
    else:
        errors_as_messages(request, form)
    return redirect(participant)


@scoped
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    consent = get_in_file(request, Consent, participant, consent_pk)
    if consent.basis != Consent.Basis.CONSENT or consent.withdrawn_on:
        raise PermissionDenied
    with transaction.atomic():
        consent.withdrawn_on = timezone.localdate()
        consent.save(update_fields=["withdrawn_on"])
        audit.record(request.user, "consent.withdrawn", consent, purpose=consent.purpose)
    messages.success(request, _("Consent withdrawn."))
    return redirect(participant)


@scoped
@require_POST
def household_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    form = HouseholdForm(request.POST, participant=participant)
    if form.is_valid():
        audit.save_form(form, "household.added", by=request.user)
        messages.success(request, _("Household member added."))
    else:
        errors_as_messages(request, form)
    return redirect(participant)


def _readable_notes(request: AuthenticatedHttpRequest, participant: Participant) -> Any:
    notes = participant.notes.select_related("author")
    if participant.club_id not in access(request).club_ids(Role.LEADER):
        notes = notes.filter(Q(level=CaseNote.Level.TEAM) | Q(author=request.user))
    return notes


@scoped
def note_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.participant, form.instance.author = participant, request.user
        audit.save_form(form, "note.added", by=request.user)
        messages.success(request, _("Note saved."))
        return redirect("participants:notes", pk=participant.pk)
    notes = list(_readable_notes(request, participant))
    if notes:
        audit.record(request.user, "note.read", participant, count=len(notes))
    context = {"participant": participant, "club": participant.club, "tab": "notes", "notes": notes, "form": form}
    return render(request, "participants/notes.html", context, status=400 if form.errors else 200)


@scoped
def document_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        document = form.instance
        document.participant, document.uploaded_by = participant, request.user
        document.original_name = get_valid_filename(upload.name)[:200] or "plik"
        document.content_type, document.size = form.content_type, upload.size
        document.file = upload
        with transaction.atomic():
            document.save()
            audit.record(request.user, "document.uploaded", document, kind=document.kind, size=document.size)
        messages.success(request, _("Document added."))
        return redirect("participants:documents", pk=participant.pk)
    context = {
        "participant": participant,
        "club": participant.club,
        "tab": "documents",
        "documents": participant.documents.select_related("uploaded_by"),
        "form": form,
    }
    return render(request, "participants/documents.html", context, status=400 if form.errors else 200)


@scoped
def document_download(request: AuthenticatedHttpRequest, pk: int, document_pk: int) -> FileResponse:
    participant = get_participant_for(request, pk)
    document = get_in_file(request, CaseDocument, participant, document_pk)
    extension = mimetypes.guess_extension(document.content_type) or ""
    name = get_valid_filename(document.title)[:80] + extension
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit.record(request.user, "document.downloaded", document, kind=document.kind)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@scoped
def exit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    form = ExitForm(request.POST or None, participant=participant, initial={"left_on": timezone.localdate()})
    if request.method == "POST":
        if participant.status != Participant.Status.ACTIVE:
            messages.error(request, _("Only an active participant can finish."))
            return redirect("participants:exit", pk=participant.pk)
        if form.is_valid():
            certificate = services.end_participation(
                participant=participant,
                on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
                employment_kind=form.cleaned_data["employment_kind"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
            messages.success(
                request, _("Participation ended. Certificate %(number)s issued.") % {"number": certificate.number}
            )
            return redirect("participants:exit", pk=participant.pk)
    context = {
        "participant": participant,
        "club": participant.club,
        "tab": "exit",
        "form": form,
        "certificate": getattr(participant, "certificate", None),
        "follow_ups": participant.follow_ups.all(),
        "follow_up_form": FollowUpForm(),
        "is_graduate": participant.is_graduate(),
    }
    return render(request, "participants/exit.html", context, status=400 if form.errors else 200)


@scoped
def certificate_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    certificate = getattr(participant, "certificate", None)
    if certificate is None:
        raise Http404
    audit.record(request.user, "certificate.viewed", certificate)
    return render(request, "participants/certificate.html", {"participant": participant, "certificate": certificate})


@scoped
@require_POST
def follow_up_record(request: AuthenticatedHttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    follow_up = get_in_file(request, FollowUp, participant, follow_up_pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.record_follow_up(
            follow_up=follow_up,
            outcome=form.cleaned_data["outcome"],
            source=form.cleaned_data["source"],
            on=timezone.localdate(),
            by=request.user,
        )
        messages.success(request, _("Follow-up recorded."))
    else:
        messages.error(request, _("Choose the outcome and the source."))
    return redirect("participants:exit", pk=participant.pk)


@scoped
def caseload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Overdue work per staff member: follow-ups, plan reviews, contracts ending soon."""
    club = get_club_for(request, pk, need=Can.VIEW_CASE)
    return render(
        request, "participants/caseload.html", {"club": club, "rows": build_caseload(club, timezone.localdate())}
    )
