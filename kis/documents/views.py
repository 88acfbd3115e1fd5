"""PDF documents, the letterhead and text blocks, batches, and the public certificate check."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kis import audit
from kis.accounts.decorators import public, scoped
from kis.accounts.policy import Can
from kis.activities.access_schedule import get_activity_for
from kis.activities.access_work import get_session_for
from kis.activities.models import Placement
from kis.clubs.access import get_club_for
from kis.documents import batches, content, services, texts, verification
from kis.documents.access import get_batch_for
from kis.documents.forms import BatchForm, FundingLogoForm, LetterheadForm, TextBlockForm, VerifyForm
from kis.documents.models import DocumentBatch, DocumentKind, FundingLogo, Letterhead, TextBlock
from kis.documents.pdf import pdf_response, render_pdf, safe_filename
from kis.lib.http import AuthenticatedHttpRequest
from kis.participants.access import get_in_file, get_participant_for


def _respond(request: AuthenticatedHttpRequest, prepared: content.Prepared) -> HttpResponse:
    """The PDF, or (409) the page listing what must be filled in first. Printing is audited."""
    if prepared.missing:
        context = {"prepared": prepared, "club": prepared.club, "target": prepared.target}
        return render(request, "documents/missing.html", context, status=409)
    pdf = render_pdf(prepared.template, {"doc": prepared.context}, request=request, title=prepared.title)
    audit.record(request.user, "document.printed", prepared.target, kind=prepared.kind)
    return pdf_response(pdf, content.file_name(prepared))


# --------------------------------------------------------------------------- documents


@scoped
@require_GET
def participant_document(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    participant = get_participant_for(request, pk, need=Can.PRINT_DOCUMENTS)
    if kind not in content.PARTICIPANT_KINDS:
        raise Http404
    contract_pk = request.GET.get("kontrakt", "")
    chosen = int(contract_pk) if contract_pk.isdigit() else None
    with translation.override("pl"):
        prepared = content.for_participant(participant, content.PARTICIPANT_KINDS[kind], contract_pk=chosen)
        return _respond(request, prepared)


@scoped
@require_GET
def session_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request, pk, need=Can.TAKE_ATTENDANCE)
    with translation.override("pl"):
        return _respond(request, content.session_list(session))


@scoped
@require_GET
def activity_month(request: AuthenticatedHttpRequest, pk: int, month: date) -> HttpResponse:
    activity = get_activity_for(request, pk, need=Can.TAKE_ATTENDANCE)
    with translation.override("pl"):
        return _respond(request, content.activity_month_list(activity, month))


@scoped
@require_GET
def hours_card(request: AuthenticatedHttpRequest, pk: int, placement_pk: int, month: date) -> HttpResponse:
    participant = get_participant_for(request, pk, need=Can.MANAGE_HOURS)
    placement = get_in_file(request, Placement, participant, placement_pk)
    placement.participant = participant
    with translation.override("pl"):
        return _respond(request, content.hours_card(placement, month))


@scoped
@require_GET
def settlement(request: AuthenticatedHttpRequest, pk: int, month: date) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_HOURS)
    with translation.override("pl"):
        return _respond(request, content.settlement(club, month))


# --------------------------------------------------------------------------- letterhead and text blocks


@scoped
def letterhead(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.EDIT_TEMPLATES)
    head = Letterhead.objects.filter(club=club).first() or Letterhead(club=club)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = LetterheadForm(request.POST if action == "save" else None, request.FILES or None, instance=head)
    logo_form = FundingLogoForm(request.POST if action == "add_logo" else None, request.FILES or None)
    if action == "save" and form.is_valid():
        services.save_letterhead(head=head, form=form, by=request.user)
        messages.success(request, _("Letterhead saved."))
        return redirect("documents:letterhead", pk=club.pk)
    if action == "add_logo" and logo_form.is_valid():
        services.add_funding_logo(club=club, form=logo_form, by=request.user)
        messages.success(request, _("Funding logo added."))
        return redirect("documents:letterhead", pk=club.pk)
    if action == "delete_logo":
        logo_pk = request.POST.get("logo", "")
        logo = FundingLogo.objects.filter(club=club, pk=int(logo_pk)).first() if logo_pk.isdigit() else None
        if logo is None:
            raise Http404
        services.remove_funding_logo(logo=logo, by=request.user)
        messages.success(request, _("Funding logo removed."))
        return redirect("documents:letterhead", pk=club.pk)
    context = {
        "club": club,
        "head": head,
        "form": form,
        "logo_form": logo_form,
        "funding_logos": FundingLogo.objects.filter(club=club),
        "preview": content.letterhead_for(club),
    }
    status = 400 if form.errors or logo_form.errors else 200
    return render(request, "documents/letterhead.html", context, status=status)


@scoped
def template_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.EDIT_TEMPLATES)
    own = {(b.kind, b.key): b for b in TextBlock.objects.filter(club=club).select_related("updated_by")}
    # The documents are Polish: so are their default texts, whatever the UI language.
    with translation.override("pl"):
        kinds = [
            (
                kind,
                content.SLUGS[kind],
                [(block, own.get((kind.value, block.key)), str(block.default)) for block in texts.BLOCKS[kind]],
            )
            for kind in DocumentKind
        ]
    return render(request, "documents/templates.html", {"club": club, "kinds": kinds})


@scoped
def template_edit(request: AuthenticatedHttpRequest, pk: int, kind: str, key: str) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.EDIT_TEMPLATES)
    document_kind = content.KINDS_BY_SLUG.get(kind)
    if document_kind is None:
        raise Http404
    try:
        block = texts.block(document_kind, key)
    except KeyError:
        raise Http404 from None
    own = TextBlock.objects.filter(club=club, kind=document_kind, key=key).first()
    if request.method == "POST" and "reset" in request.POST:
        services.reset_text_block(club=club, kind=document_kind, key=key, by=request.user)
        messages.success(request, _("The default text is back."))
        return redirect("documents:templates", pk=club.pk)
    with translation.override("pl"):
        default = str(block.default)  # the documents are Polish, whatever the UI language
    form = TextBlockForm(request.POST or None, kind=document_kind, initial={"text": own.text if own else default})
    if request.method == "POST" and form.is_valid():
        services.save_text_block(
            club=club, kind=document_kind, key=key, text=form.cleaned_data["text"], by=request.user
        )
        messages.success(request, _("Text saved."))
        return redirect("documents:templates", pk=club.pk)
    context = {
        "club": club,
        "kind": document_kind,
        "kind_label": DocumentKind(document_kind).label,
        "block": block,
        "default": default,
        "own": own,
        "form": form,
        "placeholders": list(texts.PLACEHOLDERS[document_kind].items()),
    }
    return render(request, "documents/template_edit.html", context, status=400 if form.errors else 200)


# --------------------------------------------------------------------------- batches


@scoped
def batch_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.PRINT_DOCUMENTS)
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch, created = batches.start(club=club, kind=form.cleaned_data["kind"], period=form.period, by=request.user)
        if created:
            batches.enqueue(batch)
        else:
            messages.info(request, _("The same batch is already being prepared."))
        return redirect(batch)
    recent = DocumentBatch.objects.filter(club=club).select_related("created_by")[:20]
    context = {"club": club, "form": form, "batches": recent}
    return render(request, "documents/batches.html", context, status=400 if form.errors else 200)


@scoped
@require_GET
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for(request, pk)
    template = "documents/batch.html#progress" if request.htmx else "documents/batch.html"
    return render(request, template, {"batch": batch, "club": batch.club})


@scoped
@require_GET
def batch_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    batch = get_batch_for(request, pk)
    if batch.status != DocumentBatch.Status.DONE or not batch.file:
        raise Http404
    try:
        handle = batch.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit.record(request.user, "document.batch_downloaded", batch, kind=batch.kind, period=batch.period_label)
    with translation.override("pl"):
        name = safe_filename(
            f"{capfirst(batch.get_kind_display())} {batch.period_label} {batch.club.name}", extension="zip"
        )
    response = FileResponse(handle, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------------- public check


@public
@require_GET
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET if request.GET else None)
    result: verification.Confirmation | None = None
    checked = False
    status = 200
    if form.is_bound and form.is_valid():
        if verification.throttled(request):
            form.add_error(None, _("Too many checks from this address. Try again in a few minutes."))
            status = 429
        else:
            checked = True
            result = verification.find(form.cleaned_data["numer"], form.cleaned_data["kod"])
    elif form.is_bound:
        status = 400
    context = {"form": form, "result": result, "checked": checked}
    return render(request, "documents/verify.html", context, status=status)
