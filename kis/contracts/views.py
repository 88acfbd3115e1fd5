from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kis import audit
from kis.accounts.decorators import scoped
from kis.accounts.models import Role
from kis.accounts.policy import access
from kis.clubs.access import deny
from kis.contracts import services
from kis.contracts.access import get_contract_for
from kis.contracts.forms import (
    AmendForm,
    ClauseForm,
    CloseForm,
    ContractForm,
    PlanForm,
    ReviewForm,
    SignForm,
    plan_as_lines,
)
from kis.contracts.models import ContractClause, PlanGoal, ReintegrationPlan, SocialContract
from kis.lib import compliance
from kis.lib.forms import errors_as_messages
from kis.lib.http import AuthenticatedHttpRequest
from kis.participants import attendance
from kis.participants.access import get_participant_for
from kis.participants.models import Participant


@scoped
def contract_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contract = services.create_contract(participant=participant, fields=form.cleaned_data, by=request.user)
        messages.success(request, _("Contract recorded as a draft. Sign it when the OPS has signed."))
        return redirect(contract)
    contracts = participant.contracts.prefetch_related("clauses")
    context = {
        "participant": participant,
        "club": participant.club,
        "tab": "contract",
        "contracts": contracts,
        "form": form,
    }
    return render(request, "contracts/contract_list.html", context, status=400 if form.errors else 200)


def _attendance_rate(clause: ContractClause, attendance: tuple[int, int]) -> compliance.Rate | None:
    if clause.attendance_threshold is None:
        return None
    return compliance.Rate("", *attendance, threshold=clause.attendance_threshold)


@scoped
def contract_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    participant = contract.participant
    today = timezone.localdate()
    attendance = contract.attendance(today=today)
    context = {
        "contract": contract,
        "participant": participant,
        "club": participant.club,
        "tab": "contract",
        "clauses": [
            (clause, _attendance_rate(clause, attendance)) for clause in contract.clauses.select_related("goal")
        ],
        "clause_form": ClauseForm(contract=contract),
        "sign_form": SignForm(initial={"signed_on": today}),
        # Both forms have a "note": distinct ids, or the labels point at the wrong field.
        "amend_form": AmendForm(contract=contract, initial={"valid_to": contract.valid_to}, auto_id="amend_%s"),
        "close_form": CloseForm(contract=contract, initial={"ended_on": today}, auto_id="close_%s"),
    }
    return render(request, "contracts/contract_detail.html", context)


@scoped
@require_POST
def contract_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    form = SignForm(request.POST)
    if contract.status != SocialContract.Status.DRAFT:
        messages.error(request, _("Only a draft can be signed."))
    elif form.is_valid():
        contract.sign(on=form.cleaned_data["signed_on"], by=request.user)
        messages.success(request, _("Contract signed."))
    else:
        errors_as_messages(request, form)
    return redirect(contract)


@scoped
@require_POST
def contract_amend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    form = AmendForm(request.POST, contract=contract)
    if contract.status not in SocialContract.IN_FORCE:
        messages.error(request, _("Only a signed contract can be amended."))
    elif form.is_valid():
        contract.amend(valid_to=form.cleaned_data["valid_to"], note=form.cleaned_data["note"], by=request.user)
        messages.success(request, _("Annex recorded."))
    else:
        errors_as_messages(request, form)
    return redirect(contract)


@scoped
@require_POST
def contract_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    form = CloseForm(request.POST, contract=contract)
    if contract.status == SocialContract.Status.DRAFT:
        # An unsigned draft has no outcome: contract_signed_has_date refuses every other status without signed_on.
        messages.error(request, _("Only a signed contract can be closed."))
    elif not contract.is_open:
        messages.error(request, _("The contract is already closed."))
    elif form.is_valid():
        contract.close(
            status=form.cleaned_data["status"],
            on=form.cleaned_data["ended_on"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, _("Contract closed."))
    else:
        errors_as_messages(request, form)
    return redirect(contract)


@scoped
@require_POST
def clause_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    form = ClauseForm(request.POST, contract=contract)
    if not contract.is_open:
        messages.error(request, _("The contract is already closed."))
    elif form.is_valid():
        audit.save_form(form, "contract.clause_added", by=request.user)
        messages.success(request, _("Clause added."))
    else:
        errors_as_messages(request, form)
    return redirect(contract)


@scoped
@require_POST
def clause_done(request: AuthenticatedHttpRequest, pk: int, clause_pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    clause = ContractClause.objects.filter(contract=contract, pk=clause_pk).first()
    if clause is None:
        deny(request, ContractClause, clause_pk, status=404)
        raise Http404
    with transaction.atomic():
        clause.done_on = None if clause.done_on else timezone.localdate()
        clause.save(update_fields=["done_on"])
        audit.record(request.user, "contract.clause_marked", clause, done=bool(clause.done_on))
    return redirect(contract)


@scoped
def plan_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    plans = list(
        ReintegrationPlan.objects.filter(participant=participant)
        .select_related("created_by")
        .prefetch_related("goals__steps", "reviews__reviewed_by")
    )
    current = next((plan for plan in plans if plan.is_current), None)
    context = {
        "participant": participant,
        "club": participant.club,
        "tab": "plan",
        "plan": current,
        "versions": plans,
        "review_form": ReviewForm(initial={"reviewed_on": timezone.localdate()}),
        "rates": attendance.by_activity(participant, required=attendance.threshold(participant)),
    }
    return render(request, "contracts/plan.html", context)


@scoped
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    current = ReintegrationPlan.objects.filter(participant=participant, is_current=True).first()
    initial = {}
    if current is not None:
        initial = {
            "diagnosis": current.diagnosis,
            "next_review_on": current.next_review_on,
            "social_goals": plan_as_lines(current, PlanGoal.Kind.SOCIAL),
            "vocational_goals": plan_as_lines(current, PlanGoal.Kind.VOCATIONAL),
        }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PlanForm.Meta.fields}
        steps = {kind: form.cleaned_data.get(f"{kind}_steps", []) for kind in PlanGoal.Kind.values}
        plan = services.new_plan_version(participant=participant, fields=fields, steps=steps, by=request.user)
        messages.success(request, _("Plan version %(number)s saved.") % {"number": plan.number})
        return redirect("contracts:plan", pk=participant.pk)
    context = {"participant": participant, "club": participant.club, "tab": "plan", "form": form, "current": current}
    return render(request, "contracts/plan_edit.html", context, status=400 if form.errors else 200)


@scoped
@require_POST
def plan_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk)
    plan = ReintegrationPlan.objects.filter(participant=participant, is_current=True).first()
    form = ReviewForm(request.POST)
    if plan is None:
        messages.error(request, _("There is no plan to review yet."))
    elif form.is_valid():
        services.review_plan(
            plan=plan,
            reviewed_on=form.cleaned_data["reviewed_on"],
            progress=form.cleaned_data["progress"],
            next_review_on=form.cleaned_data["next_review_on"],
            by=request.user,
        )
        messages.success(request, _("Review recorded."))
    else:
        errors_as_messages(request, form)
    return redirect("contracts:plan", pk=participant.pk)


@scoped
def referred(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An OPS social worker's page: the contracts of the people they referred, and nothing else."""
    user_access = access(request)
    if not user_access.has_role(Role.PARTNER):
        deny(request, Participant, "", status=403)
        raise PermissionDenied
    people = (
        Participant.objects.visible_to(user_access)
        .filter(referring_partner=request.user)
        .select_related("club")
        .prefetch_related("contracts__clauses")
        .only("pk", "first_name", "last_name", "status", "club__name", "referring_partner")
    )
    return render(request, "contracts/referred.html", {"people": people})
