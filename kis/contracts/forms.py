from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kis.contracts.models import ContractClause, PlanGoal, PlanReview, ReintegrationPlan, SocialContract
from kis.lib.forms import DateInput


class ContractForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SocialContract
        fields = ["number", "ops_name", "social_worker", "social_worker_phone", "variant", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error(
                "valid_to", ValidationError(_("The contract cannot end before it starts."), code="ends_before_start")
            )
        return cleaned


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())


class AmendForm(forms.Form):
    valid_to = forms.DateField(label=_("New end date"), widget=DateInput())
    note = forms.CharField(label=_("What the annex changes"), max_length=300)

    def __init__(self, *args: Any, contract: SocialContract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contract = contract

    def clean_valid_to(self) -> Any:
        value = self.cleaned_data["valid_to"]
        if value < self.contract.valid_from:
            raise ValidationError(_("The contract cannot end before it starts."), code="ends_before_start")
        return value


CLOSING = [
    (SocialContract.Status.COMPLETED_POSITIVELY, SocialContract.Status.COMPLETED_POSITIVELY.label),
    (SocialContract.Status.COMPLETED_NEGATIVELY, SocialContract.Status.COMPLETED_NEGATIVELY.label),
    (SocialContract.Status.TERMINATED, SocialContract.Status.TERMINATED.label),
    (SocialContract.Status.EXPIRED, SocialContract.Status.EXPIRED.label),
]


class CloseForm(forms.Form):
    status = forms.ChoiceField(label=_("Outcome"), choices=CLOSING)
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput())
    note = forms.CharField(label=_("Assessment or reason"), max_length=300, required=False)

    def __init__(self, *args: Any, contract: SocialContract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contract = contract

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ended_on = cleaned.get("ended_on")
        if ended_on and ended_on < self.contract.valid_from:
            self.add_error(
                "ended_on", ValidationError(_("The contract cannot end before it starts."), code="ends_before_start")
            )
        if cleaned.get("status") == SocialContract.Status.TERMINATED and not cleaned.get("note"):
            self.add_error("note", ValidationError(_("Give the reason for terminating."), code="required"))
        return cleaned


class ClauseForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ContractClause
        fields = ["action", "responsible", "deadline", "verification", "goal", "attendance_threshold"]
        widgets = {"deadline": DateInput()}

    def __init__(self, *args: Any, contract: SocialContract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        self.fields["goal"].queryset = PlanGoal.objects.filter(  # type: ignore[attr-defined]
            plan__participant=contract.participant, plan__is_current=True
        )


class PlanForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new version of the plan. Goals and steps are lines: 'goal | step | who | dd.mm.rrrr'."""

    social_goals = forms.CharField(
        label=_("Social goals and steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One step per line: goal | step | who | by (dd.mm.rrrr). Steps of one goal repeat the goal."),
    )
    vocational_goals = forms.CharField(
        label=_("Vocational goals and steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One step per line: goal | step | who | by (dd.mm.rrrr)."),
    )

    class Meta:
        model = ReintegrationPlan
        fields = ["diagnosis", "change_note", "next_review_on", "agreed_on", "agreement_witness"]
        widgets = {
            "next_review_on": DateInput(),
            "agreed_on": DateInput(),
            "diagnosis": forms.Textarea(attrs={"rows": 4}),
        }

    def _parse(self, name: str) -> list[tuple[str, str, str, Any]]:
        from django.forms.fields import DateField

        lines = [line for line in self.cleaned_data.get(name, "").splitlines() if line.strip()]
        steps = []
        date_field = DateField(required=False)
        for number, line in enumerate(lines, start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 4 or not parts[0] or not parts[1] or not parts[2]:
                raise ValidationError(
                    _("Line %(number)s: write goal | step | who | date."), code="line_format", params={"number": number}
                )
            try:
                due = date_field.clean(parts[3]) if parts[3] else None
            except ValidationError:
                raise ValidationError(
                    _("Line %(number)s: the date is not valid."), code="line_date", params={"number": number}
                ) from None
            steps.append((parts[0][:300], parts[1][:300], parts[2][:150], due))
        return steps

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, kind in (("social_goals", PlanGoal.Kind.SOCIAL), ("vocational_goals", PlanGoal.Kind.VOCATIONAL)):
            try:
                cleaned[f"{kind}_steps"] = self._parse(name)
            except ValidationError as error:
                self.add_error(name, error)
        if not self.errors and not cleaned.get("social_steps") and not cleaned.get("vocational_steps"):
            self.add_error("social_goals", ValidationError(_("Write at least one goal with a step."), code="no_goals"))
        if cleaned.get("agreed_on") and not cleaned.get("agreement_witness"):
            self.add_error(
                "agreement_witness", ValidationError(_("Name the witness of the agreement."), code="required")
            )
        return cleaned


def plan_as_lines(plan: ReintegrationPlan, kind: str) -> str:
    lines = []
    for goal in plan.goals.all():
        if goal.kind != kind:
            continue
        for step in goal.steps.all():
            due = step.due_on.strftime("%d.%m.%Y") if step.due_on else ""
            lines.append(f"{goal.description} | {step.description} | {step.owner} | {due}")
    return "\n".join(lines)


class ReviewForm(forms.ModelForm):  # type: ignore[type-arg]
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DateInput())

    class Meta:
        model = PlanReview
        fields = ["reviewed_on", "progress"]
        widgets = {"reviewed_on": DateInput(), "progress": forms.Textarea(attrs={"rows": 3})}
