"""Workflows of contracts and plans."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from kis import audit
from kis.contracts.models import PlanGoal, PlanReview, PlanStep, ReintegrationPlan, SocialContract
from kis.participants.models import Participant


@transaction.atomic
def create_contract(*, participant: Participant, fields: dict[str, Any], by: Any) -> SocialContract:
    contract = SocialContract(participant=participant, **fields)
    contract.full_clean()
    contract.save()
    audit.record(by, "contract.created", contract)
    return contract


@transaction.atomic
def new_plan_version(
    *, participant: Participant, fields: dict[str, Any], steps: dict[str, list[Any]], by: Any
) -> ReintegrationPlan:
    """Save the plan as a new version; the previous one stays, no longer current."""
    previous = ReintegrationPlan.objects.select_for_update().filter(participant=participant).order_by("-number").first()
    ReintegrationPlan.objects.filter(participant=participant, is_current=True).update(is_current=False)
    plan = ReintegrationPlan.objects.create(
        participant=participant, number=(previous.number + 1) if previous else 1, created_by=by, **fields
    )
    for kind, rows in steps.items():
        goals: dict[str, PlanGoal] = {}
        for goal_text, step_text, owner, due_on in rows:
            if goal_text not in goals:
                goals[goal_text] = PlanGoal.objects.create(plan=plan, kind=kind, description=goal_text)
            PlanStep.objects.create(goal=goals[goal_text], description=step_text, owner=owner, due_on=due_on)
    audit.record(by, "plan.version_created", plan, number=plan.number)
    return plan


@transaction.atomic
def review_plan(
    *, plan: ReintegrationPlan, reviewed_on: date, progress: str, next_review_on: date | None, by: Any
) -> PlanReview:
    review = PlanReview.objects.create(plan=plan, reviewed_on=reviewed_on, progress=progress, reviewed_by=by)
    plan.next_review_on = next_review_on
    plan.save(update_fields=["next_review_on"])
    audit.record(by, "plan.reviewed", plan, reviewed_on=reviewed_on.isoformat())
    return review
