"""The register for those who notify (leader, operator admin) and the voivode officer who keeps it."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kis import audit
from kis.accounts.decorators import scoped
from kis.accounts.models import Role
from kis.accounts.policy import CLUB_CAPABILITIES, Can, access
from kis.clubs.access import get_operator_for
from kis.clubs.models import Club, Operator
from kis.lib import xlsx
from kis.lib.http import AuthenticatedHttpRequest
from kis.lib.teryt import Voivodeship
from kis.registry import importer, services
from kis.registry.access import (
    get_batch_for,
    get_entry_for,
    get_notification_for,
    get_register_club_for,
    notifier_scope,
    voivodeships_kept_by,
)
from kis.registry.forms import (
    FIELD_LABELS,
    CessationForm,
    CorrectionsForm,
    EntryForm,
    ImportForm,
    NotificationForm,
    NumberingForm,
    RecordForm,
    StrikeOffForm,
)
from kis.registry.models import ImportBatch, Notification, NumberingScheme, RegisterEntry, RegisterEvent

REFUSALS = {
    "already_notified": gettext_lazy("This club has already been notified."),
    "already_entered": gettext_lazy("This club is already entered in the register."),
    "struck_off": gettext_lazy("This club has been struck off the register."),
    "no_changes": gettext_lazy("Nothing was changed: the data are the same as in the register."),
    "not_awaiting_decision": gettext_lazy("This notification is not awaiting a decision."),
    "not_awaiting_corrections": gettext_lazy("This notification is not awaiting corrections."),
    # Shown by the participants' intake (kis/participants/views.py, CLUB_NOT_ENTERED): translated here.
    "not_entered": gettext_lazy(
        "This club is not entered in the voivode's register of clubs (or was struck off), so it cannot take "
        "participants (art. 18 ust. 1 u.z.s.). Notify the club to the register first."
    ),
    "wrong_kind": gettext_lazy("This step does not apply to this kind of notification."),
}


def _refusal(error: services.RegisterError) -> str:
    return str(REFUSALS.get(str(error), _("This step is not possible now.")))


def _attachment(form: Any) -> services.Attachment | None:
    upload = form.cleaned_data.get("act_file")
    if not upload:
        return None
    return services.Attachment(
        upload=upload,
        content_type=form.content_type,
        kind=form.cleaned_data.get("act_kind", ""),
        number=form.cleaned_data.get("act_number", ""),
        on=form.cleaned_data.get("act_date"),
    )


def _sent_message(request: AuthenticatedHttpRequest, notification: Notification) -> None:
    messages.success(
        request,
        _("The notification was sent to the voivode (%(voivodeship)s). Deadline for the decision: %(deadline)s.")
        % {
            "voivodeship": notification.get_voivodeship_display(),
            "deadline": date_format(notification.deadline, "SHORT_DATE_FORMAT"),
        },
    )


# --------------------------------------------------------------------------- those who notify


@scoped
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The notifier's notifications, their state and the officer's requests."""
    notifier_scope(request)
    user_access = access(request)
    roles = CLUB_CAPABILITIES[Can.NOTIFY_REGISTER]
    rows = (
        Notification.objects.filter(user_access.club_q(prefix="club__", roles=roles))
        .select_related("club")
        .order_by("-received_on", "-pk")[:200]
    )
    waiting = (
        Club.objects.visible_to(user_access, roles=roles)
        .filter(status=Club.Status.PLANNED, register_entry__isnull=True)
        .exclude(notifications__state__in=[s for s in Notification.State.values if s != Notification.State.RECORDED])
        .order_by("name_sort")
    )
    operators = (
        Operator.objects.visible_to(user_access)
        .filter(pk__in=sorted(user_access.operator_ids(Role.OPERATOR)))
        .order_by("name_sort")
    )
    context = {"notifications": rows, "waiting": waiting, "operators": operators}
    return render(request, "registry/notifications.html", context)


@scoped
def notify_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The operator admin notifies a new club (the 2012 form with the founding act)."""
    operator = get_operator_for(request, pk, write=True)
    form = NotificationForm(
        request.POST or None, request.FILES or None, operator=operator, initial=NotificationForm.initial_for(operator)
    )
    if request.method == "POST" and form.is_valid():
        act = _attachment(form)
        assert act is not None
        notification = services.notify_new_club(
            operator=operator, data=form.data_snapshot(), act=act, note=form.cleaned_data["note"], by=request.user
        )
        _sent_message(request, notification)
        return redirect(notification)
    context = {"form": form, "operator": operator, "title": _("Notify a new club to the register")}
    return render(request, "registry/notification_form.html", context, status=400 if form.errors else 200)


@scoped
def club_register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_register_club_for(request, pk)
    user_access = access(request)
    entry = RegisterEntry.objects.filter(club=club).first()
    club_notifications = list(club.notifications.order_by("-received_on", "-pk"))
    open_kinds = {n.kind for n in club_notifications if n.is_open}
    context = {
        "club": club,
        "entry": entry,
        "notifications": club_notifications,
        "events": RegisterEvent.objects.filter(club=club).select_related("notification").order_by("created_at", "pk"),
        "can_notify": user_access.can(Can.NOTIFY_REGISTER, club),
        "can_keep": user_access.can(Can.KEEP_REGISTER, club),
        "may_notify_entry": entry is None and Notification.Kind.NEW not in open_kinds,
        "may_notify_change": entry is not None
        and not entry.is_struck_off
        and Notification.Kind.CHANGE not in open_kinds,
        "may_notify_cessation": entry is not None
        and not entry.is_struck_off
        and Notification.Kind.CESSATION not in open_kinds,
    }
    return render(request, "registry/club_register.html", context)


@scoped
def notify_club(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A club already recorded here (awaiting entry) is notified for entry."""
    club = get_register_club_for(request, pk, need=Can.NOTIFY_REGISTER)
    if RegisterEntry.objects.filter(club=club).exists() or club.notifications.open().filter(kind="new").exists():
        messages.info(request, str(REFUSALS["already_notified"]))
        return redirect("registry:club", pk=club.pk)
    operator = club.operator
    form = NotificationForm(
        request.POST or None,
        request.FILES or None,
        operator=operator,
        initial=NotificationForm.initial_for(operator, club),
    )
    if request.method == "POST" and form.is_valid():
        act = _attachment(form)
        assert act is not None
        try:
            notification = services.notify_club(
                club=club, data=form.data_snapshot(), act=act, note=form.cleaned_data["note"], by=request.user
            )
        except services.RegisterError as error:
            messages.error(request, _refusal(error))
            return redirect("registry:club", pk=club.pk)
        _sent_message(request, notification)
        return redirect(notification)
    context = {"form": form, "operator": operator, "club": club, "title": _("Notify the club to the register")}
    return render(request, "registry/notification_form.html", context, status=400 if form.errors else 200)


def _entry_of(request: AuthenticatedHttpRequest, club: Club) -> RegisterEntry:
    entry = RegisterEntry.objects.filter(club=club).first()
    if entry is None or entry.is_struck_off:
        raise Http404
    return entry


@scoped
def notify_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_register_club_for(request, pk, need=Can.NOTIFY_REGISTER)
    entry = _entry_of(request, club)
    form = NotificationForm(
        request.POST or None,
        request.FILES or None,
        operator=club.operator,
        act_required=False,
        initial=NotificationForm.initial_for(club.operator, club, services.entry_data(entry)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification = services.notify_change(
                entry=entry,
                data=form.data_snapshot(),
                act=_attachment(form),
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.RegisterError as error:
            form.add_error(None, _refusal(error))
        else:
            _sent_message(request, notification)
            return redirect(notification)
    context = {"form": form, "operator": club.operator, "club": club, "title": _("Notify a change of the club's data")}
    return render(request, "registry/notification_form.html", context, status=400 if form.errors else 200)


@scoped
def notify_cessation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_register_club_for(request, pk, need=Can.NOTIFY_REGISTER)
    entry = _entry_of(request, club)
    form = CessationForm(request.POST or None, request.FILES or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            notification = services.notify_cessation(
                entry=entry,
                ceased_on=form.cleaned_data["ceased_on"],
                note=form.cleaned_data["note"],
                act=_attachment(form),
                by=request.user,
            )
        except services.RegisterError as error:
            form.add_error(None, _refusal(error))
        else:
            _sent_message(request, notification)
            return redirect(notification)
    context = {"form": form, "club": club, "entry": entry}
    return render(request, "registry/cessation_form.html", context, status=400 if form.errors else 200)


# --------------------------------------------------------------------------- one notification


def _detail_context(request: AuthenticatedHttpRequest, notification: Notification, **forms: Any) -> dict[str, Any]:
    club = notification.club
    user_access = access(request)
    can_keep = user_access.can(Can.KEEP_REGISTER, club)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "notification": notification,
        "club": club,
        "entry": RegisterEntry.objects.filter(club=club).first(),
        "events": notification.events.select_related("by").order_by("created_at", "pk"),
        "can_keep": can_keep,
        "can_notify": user_access.can(Can.NOTIFY_REGISTER, club),
        "today": today,
    }
    if can_keep and notification.awaits_officer:
        context["corrections_form"] = forms.get("corrections_form") or CorrectionsForm()
        if notification.kind == Notification.Kind.NEW:
            scheme = NumberingScheme.for_voivodeship(notification.voivodeship)
            context["entry_form"] = forms.get("entry_form") or EntryForm(
                notification=notification, initial={"number": scheme.propose(today), "entered_on": today}
            )
        elif notification.kind == Notification.Kind.CHANGE:
            context["record_form"] = forms.get("record_form") or RecordForm(
                notification=notification, initial={"on": today}
            )
            entry = context["entry"]
            changed = services.changes_between(services.entry_data(entry), notification.data) if entry else {}
            context["changes"] = [(FIELD_LABELS.get(name, name), old, new) for name, (old, new) in changed.items()]
        elif context["entry"] is not None:
            context["strike_form"] = forms.get("strike_form") or StrikeOffForm(
                entry=context["entry"],
                basis=RegisterEntry.Basis.OPERATOR_NOTICE,
                initial={"struck_off_on": today},
            )
    return context


@scoped
def notification_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_notification_for(request, pk)
    return render(request, "registry/notification_detail.html", _detail_context(request, notification))


@scoped
def notification_act(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The founding act as attached (audited when served)."""
    notification = get_notification_for(request, pk)
    if not notification.act_file:
        raise Http404
    extension = mimetypes.guess_extension(notification.act_content_type) or ""
    name = get_valid_filename(f"akt-{notification.pk}")[:80] + extension
    try:
        handle = notification.act_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit.record(request.user, "register.act_downloaded", notification)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=notification.act_content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@scoped
def notification_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The operator corrects the notification after the officer's request and sends it again."""
    notification = get_notification_for(request, pk, need=Can.NOTIFY_REGISTER)
    if notification.state != Notification.State.CORRECTIONS:
        messages.error(request, str(REFUSALS["not_awaiting_corrections"]))
        return redirect(notification)
    operator = notification.club.operator
    is_cessation = notification.kind == Notification.Kind.CESSATION
    entry = RegisterEntry.objects.filter(club=notification.club).first()
    form: NotificationForm | CessationForm
    if is_cessation and entry is not None:
        form = CessationForm(
            request.POST or None,
            request.FILES or None,
            entry=entry,
            initial={"ceased_on": notification.ceased_on, "note": notification.note},
        )
    else:
        initial = {**NotificationForm.initial_for(operator, data=notification.data), "note": notification.note}
        form = NotificationForm(
            request.POST or None,
            request.FILES or None,
            operator=operator,
            act_required=False,
            act_fields=notification.kind == Notification.Kind.NEW or bool(notification.act_file),
            initial=initial,
        )
    if request.method == "POST" and form.is_valid():
        if isinstance(form, CessationForm):
            ceased_on = form.cleaned_data["ceased_on"]
            data = {**notification.data, "ceased_on": ceased_on.isoformat()}
        else:
            data = form.data_snapshot()
        with transaction.atomic():
            if isinstance(form, CessationForm):
                notification.ceased_on = form.cleaned_data["ceased_on"]
                notification.save(update_fields=["ceased_on"])
            services.resubmit(
                notification=notification,
                data=data,
                act=_attachment(form),
                note=form.cleaned_data["note"],
                by=request.user,
            )
        _sent_message(request, notification)
        return redirect(notification)
    context = {
        "form": form,
        "notification": notification,
        "club": notification.club,
        "operator": operator,
        "title": _("Correct the notification"),
    }
    template = "registry/cessation_form.html" if is_cessation else "registry/notification_form.html"
    return render(request, template, context, status=400 if form.errors else 200)


def _decision_refused(request: AuthenticatedHttpRequest, notification: Notification, error: Exception) -> HttpResponse:
    messages.error(request, _refusal(error) if isinstance(error, services.RegisterError) else str(error))
    return redirect(notification)


@scoped
@require_POST
def notification_enter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_notification_for(request, pk, need=Can.KEEP_REGISTER)
    if notification.kind != Notification.Kind.NEW or not notification.awaits_officer:
        return _decision_refused(request, notification, services.RegisterError("not_awaiting_decision"))
    form = EntryForm(request.POST, notification=notification)
    if form.is_valid():
        try:
            entry = services.enter(
                notification=notification,
                number=form.cleaned_data["number"],
                entered_on=form.cleaned_data["entered_on"],
                by=request.user,
            )
        except services.RegisterError as error:
            return _decision_refused(request, notification, error)
        messages.success(
            request, _("The club was entered in the register under number %(number)s.") % {"number": entry.number}
        )
        if entry.entered_on > notification.deadline:
            messages.warning(
                request,
                _("The entry was made after the 30-day deadline (art. 18a ust. 2 u.z.s.), which ended on %(deadline)s.")
                % {"deadline": date_format(notification.deadline, "SHORT_DATE_FORMAT")},
            )
        return redirect(entry)
    context = _detail_context(request, notification, entry_form=form)
    return render(request, "registry/notification_detail.html", context, status=400)


@scoped
@require_POST
def notification_corrections(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_notification_for(request, pk, need=Can.KEEP_REGISTER)
    if not notification.awaits_officer:
        return _decision_refused(request, notification, services.RegisterError("not_awaiting_decision"))
    form = CorrectionsForm(request.POST)
    if form.is_valid():
        services.request_corrections(notification=notification, comment=form.cleaned_data["comment"], by=request.user)
        messages.success(request, _("The operator was asked to correct the notification."))
        return redirect(notification)
    context = _detail_context(request, notification, corrections_form=form)
    return render(request, "registry/notification_detail.html", context, status=400)


@scoped
@require_POST
def notification_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The officer records a notified change of data in the register."""
    notification = get_notification_for(request, pk, need=Can.KEEP_REGISTER)
    if notification.kind != Notification.Kind.CHANGE or not notification.awaits_officer:
        return _decision_refused(request, notification, services.RegisterError("not_awaiting_decision"))
    form = RecordForm(request.POST, notification=notification)
    if form.is_valid():
        try:
            entry = services.record_change(notification=notification, on=form.cleaned_data["on"], by=request.user)
        except services.RegisterError as error:
            return _decision_refused(request, notification, error)
        messages.success(request, _("The change was recorded in the register."))
        return redirect(entry)
    context = _detail_context(request, notification, record_form=form)
    return render(request, "registry/notification_detail.html", context, status=400)


@scoped
@require_POST
def notification_strike_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The officer strikes the club off on the operator's notice of cessation."""
    notification = get_notification_for(request, pk, need=Can.KEEP_REGISTER)
    entry = RegisterEntry.objects.filter(club=notification.club).first()
    if notification.kind != Notification.Kind.CESSATION or not notification.awaits_officer or entry is None:
        return _decision_refused(request, notification, services.RegisterError("not_awaiting_decision"))
    form = StrikeOffForm(request.POST, entry=entry, basis=RegisterEntry.Basis.OPERATOR_NOTICE)
    if form.is_valid():
        try:
            services.strike_off(
                entry=entry,
                on=form.cleaned_data["struck_off_on"],
                basis=RegisterEntry.Basis.OPERATOR_NOTICE,
                reason=form.cleaned_data["reason"],
                notification=notification,
                by=request.user,
            )
        except services.RegisterError as error:
            return _decision_refused(request, notification, error)
        messages.success(request, _("The club was struck off the register."))
        return redirect(entry)
    context = _detail_context(request, notification, strike_form=form)
    return render(request, "registry/notification_detail.html", context, status=400)


# --------------------------------------------------------------------------- entries


def _entry_context(
    request: AuthenticatedHttpRequest, entry: RegisterEntry, form: StrikeOffForm | None
) -> dict[str, Any]:
    can_keep = access(request).can(Can.KEEP_REGISTER, entry.club)
    if can_keep and not entry.is_struck_off and form is None:
        form = StrikeOffForm(
            entry=entry, initial={"struck_off_on": timezone.localdate(), "basis": RegisterEntry.Basis.VOIVODE_FINDING}
        )
    return {
        "entry": entry,
        "club": entry.club,
        "events": entry.events.select_related("by", "notification").order_by("on", "created_at", "pk"),
        "can_keep": can_keep,
        "strike_form": form if can_keep and not entry.is_struck_off else None,
    }


@scoped
def entry_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for(request, pk)
    return render(request, "registry/entry_detail.html", _entry_context(request, entry, None))


@scoped
@require_POST
def entry_strike_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The officer strikes the club off on their own finding (or on a notice received on paper)."""
    entry = get_entry_for(request, pk, need=Can.KEEP_REGISTER)
    if entry.is_struck_off:
        messages.error(request, str(REFUSALS["struck_off"]))
        return redirect(entry)
    form = StrikeOffForm(request.POST, entry=entry)
    if form.is_valid():
        services.strike_off(
            entry=entry,
            on=form.cleaned_data["struck_off_on"],
            basis=form.cleaned_data["basis"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, _("The club was struck off the register."))
        return redirect(entry)
    return render(request, "registry/entry_detail.html", _entry_context(request, entry, form), status=400)


# --------------------------------------------------------------------------- the voivode's desk


PAGE = 50


def _without_page(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query.pop("strona", None)
    return query.urlencode()


def _chosen(request: AuthenticatedHttpRequest, codes: list[str]) -> list[str]:
    woj = request.GET.get("woj", "")
    return [woj] if woj in codes else codes


INBOX_STATES: dict[str, list[str]] = {
    "": [Notification.State.RECEIVED, Notification.State.RESUBMITTED],
    "poprawki": [Notification.State.CORRECTIONS],
    "zalatwione": [Notification.State.RECORDED],
    "wszystkie": list(Notification.State.values),
}


@scoped
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Notifications to decide, by deadline (art. 18a ust. 2: 30 days), overdue first."""
    codes = voivodeships_kept_by(request)
    chosen = _chosen(request, codes)
    state = request.GET.get("stan", "")
    kind = request.GET.get("rodzaj", "")
    overdue_only = request.GET.get("po_terminie") == "1"
    today = timezone.localdate()
    rows = (
        Notification.objects.filter(access(request).club_q(prefix="club__", roles=frozenset({Role.VOIVODE})))
        .filter(voivodeship__in=chosen, state__in=INBOX_STATES.get(state, INBOX_STATES[""]))
        .select_related("club", "operator")
    )
    if kind in Notification.Kind.values:
        rows = rows.filter(kind=kind)
    if overdue_only:
        rows = rows.filter(deadline__lt=today, state__in=INBOX_STATES[""])
    rows = rows.order_by("deadline", "pk") if state in ("", "poprawki") else rows.order_by("-received_on", "-pk")
    page = Paginator(rows, PAGE).get_page(request.GET.get("strona"))
    context = {
        "page": page,
        "notifications": page.object_list,
        "pager_query": _without_page(request),
        "today": today,
        "voivodeships": [(c, Voivodeship(c).label) for c in codes],
        "filters": {"woj": request.GET.get("woj", ""), "stan": state, "rodzaj": kind, "po_terminie": overdue_only},
        "kinds": Notification.Kind.choices,
    }
    return render(request, "registry/inbox.html", context)


def _voivode_entries(request: AuthenticatedHttpRequest, codes: list[str]) -> Any:
    entries = (
        RegisterEntry.objects.filter(access(request).club_q(prefix="club__", roles=frozenset({Role.VOIVODE})))
        .filter(voivodeship__in=_chosen(request, codes))
        .select_related("club")
    )
    term = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if term:
        entries = entries.search(term)
    status = request.GET.get("stan", "")
    if status == "wpisane":
        entries = entries.filter(struck_off_on__isnull=True)
    elif status == "wykreslone":
        entries = entries.filter(struck_off_on__isnull=False)
    return entries.order_by("voivodeship", "name_sort", "pk"), {
        "q": term,
        "stan": status,
        "woj": request.GET.get("woj", ""),
    }


@scoped
def entries(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = voivodeships_kept_by(request)
    rows, filters = _voivode_entries(request, codes)
    page = Paginator(rows, PAGE).get_page(request.GET.get("strona"))
    context = {
        "page": page,
        "entries": page.object_list,
        "pager_query": _without_page(request),
        "filters": filters,
        "voivodeships": [(c, Voivodeship(c).label) for c in codes],
        "query": _without_page(request),
    }
    return render(request, "registry/entries.html", context)


@scoped
def entries_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = voivodeships_kept_by(request)
    rows, filters = _voivode_entries(request, codes)
    header = [
        _("Item no."),
        _("Voivodeship"),
        _("Entry number"),
        _("Date of entry"),
        _("Name of the club"),
        _("Address of the club"),
        _("Operator"),
        _("Address of the operator"),
        _("Person managing the club"),
        _("Club: phone"),
        _("Club: e-mail"),
        _("Date of strike-off"),
        _("Basis of strike-off"),
        _("Reason of strike-off"),
    ]
    data = [
        [
            index,
            entry.get_voivodeship_display(),
            entry.number,
            entry.entered_on,
            entry.club_name,
            entry.club_address,
            entry.operator_name,
            entry.operator_address,
            entry.data.get("manager_name", ""),
            entry.data.get("club_phone", ""),
            entry.data.get("club_email", ""),
            entry.struck_off_on,
            entry.get_strike_off_basis_display() if entry.strike_off_basis else "",
            entry.strike_off_reason,
        ]
        for index, entry in enumerate(rows, start=1)
    ]
    content = xlsx.workbook(
        [
            xlsx.Sheet(
                title=_("Register of clubs"), header=header, rows=data, formats={3: "dd.mm.yyyy", 11: "dd.mm.yyyy"}
            )
        ]
    )
    audit.record(request.user, "register.exported", None, voivodeships=codes, rows=len(data), filters=filters)
    return xlsx.response(f"rejestr-kis-{timezone.localdate():%Y-%m-%d}.xlsx", content)


@scoped
def numbering(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = voivodeships_kept_by(request)
    code = request.POST.get("woj") or request.GET.get("woj") or codes[0]
    if code not in codes:
        raise Http404
    scheme = NumberingScheme.for_voivodeship(code)
    form = NumberingForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        changes = {name: [form.initial.get(name), form.cleaned_data[name]] for name in form.changed_data}
        services.save_numbering(scheme=form.save(commit=False), changes=changes, by=request.user)
        messages.success(
            request,
            _("Numbering saved. The next entry will get number %(number)s.")
            % {"number": scheme.propose(timezone.localdate())},
        )
        return redirect(f"{request.path}?woj={code}")
    context = {
        "form": form,
        "scheme": scheme,
        "code": code,
        "voivodeships": [(c, Voivodeship(c).label) for c in codes],
        "example": scheme.propose(timezone.localdate()),
    }
    return render(request, "registry/numbering.html", context, status=400 if form.errors else 200)


@scoped
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1: upload a register list; it is checked (dry run), nothing is imported yet."""
    codes = voivodeships_kept_by(request)
    choices = [(c, str(Voivodeship(c).label)) for c in codes]
    form = ImportForm(request.POST or None, request.FILES or None, voivodeships=choices)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = ImportBatch(
            voivodeship=form.cleaned_data["voivodeship"],
            uploaded_by=request.user,
            original_name=get_valid_filename(upload.name or "")[:200] or "rejestr",
        )
        batch.file.save("import", ContentFile(upload.read()), save=False)
        report = importer.load(batch)
        batch.rows, batch.errors = len(report.rows), report.error_count
        with transaction.atomic():
            batch.save()
            audit.record(request.user, "register.import_checked", batch, rows=batch.rows, errors=batch.errors)
        return redirect("registry:import_batch", pk=batch.pk)
    context = {"form": form, "columns": importer.COLUMNS}
    return render(request, "registry/import.html", context, status=400 if form.errors else 200)


@scoped
def import_batch(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Step 2: the dry run's report; confirming imports every row or nothing."""
    batch = get_batch_for(request, pk)
    if request.method == "POST":
        try:
            done = importer.run(batch=batch, by=request.user)
        except importer.ImportRefused as refused:
            messages.error(request, _("Nothing was imported: correct the rows listed below and upload the file again."))
            context = {"batch": batch, "report": refused.report}
            return render(request, "registry/import_batch.html", context, status=400)
        messages.success(request, _("%(count)s entries imported.") % {"count": len(done.rows)})
        return redirect(f"{reverse('registry:entries')}?woj={batch.voivodeship}")
    report = importer.load(batch) if batch.state == ImportBatch.State.CHECKED else None
    return render(request, "registry/import_batch.html", {"batch": batch, "report": report})


@scoped
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    voivodeships_kept_by(request)
    return xlsx.response("wzor-importu-rejestru-kis.xlsx", importer.template_workbook())
