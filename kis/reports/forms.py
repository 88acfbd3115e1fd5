"""Forms of the annual report: narratives and grants, the voivode's answer, deadlines, code lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kis.activities.models import ActivityType
from kis.participants.models import Participant, TargetGroup
from kis.reports.models import (
    AnnualReport,
    CompletionForm,
    FundingKind,
    ParticipantGroup,
    ReportDeadline,
    ServiceCategory,
)

TEXT_LIMIT = 4000
AMOUNT_PARTS = (("received", _("received")), ("spent", _("spent")), ("returned", _("returned")))


class AmountField(forms.DecimalField):
    """An amount in złoty as people type it: "12 500,00", "12500", "12 500,00 zł"."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace("\xa0", "").replace(" ", "").removesuffix("zł").strip()
        result: Decimal | None = super().to_python(value)
        return result


def _amount(label: str) -> AmountField:
    return AmountField(
        label=label,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        localize=True,
        required=False,
        error_messages={
            "min_value": _("Enter an amount of 0 or more."),
            "invalid": _("Enter an amount in złoty, e.g. 12 500,00."),
            "max_decimal_places": _("Enter at most 2 digits after the comma."),
        },
    )


class ReportTextsForm(forms.Form):
    """Narratives per activity type, notes, and the grant amounts per funding source."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    staff_note = forms.CharField(
        label=_("Notes on the staff"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    effects_note = forms.CharField(
        label=_("Notes on the reintegration effects"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    grants_note = forms.CharField(
        label=_("Notes on the grants"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        report: AnnualReport,
        activity_types: list[str],
        funding: list[FundingKind],
        amounts: dict[str, dict[str, Decimal]],
        **kwargs: Any,
    ) -> None:
        initial = {
            "version": report.version,
            "staff_note": report.staff_note,
            "effects_note": report.effects_note,
            "grants_note": report.grants_note,
        }
        for code in activity_types:
            entry = (report.narratives or {}).get(code) or {}
            initial[f"actions_{code}"] = entry.get("actions", "")
            initial[f"effects_{code}"] = entry.get("effects", "")
        for kind in funding:
            for part, _label in AMOUNT_PARTS:
                initial[f"{part}_{kind.code}"] = amounts.get(kind.code, {}).get(part, Decimal(0))
        super().__init__(*args, **{**kwargs, "initial": initial})
        self.report = report
        self.activity_types = activity_types
        self.funding = funding
        for code in activity_types:
            label = ActivityType(code).label
            self.fields[f"actions_{code}"] = forms.CharField(
                label=_("%(type)s: actions carried out") % {"type": label},
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"effects_{code}"] = forms.CharField(
                label=_("%(type)s: effects") % {"type": label},
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for kind in funding:
            for part, part_label in AMOUNT_PARTS:
                self.fields[f"{part}_{kind.code}"] = _amount(f"{kind.label}: {part_label}")

    def narrative_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (str(ActivityType(code).label), self[f"actions_{code}"], self[f"effects_{code}"])
            for code in self.activity_types
        ]

    def grant_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(kind.label, [self[f"{part}_{kind.code}"] for part, _l in AMOUNT_PARTS]) for kind in self.funding]

    def note_fields(self) -> list[forms.BoundField]:
        return [self["staff_note"], self["effects_note"], self["grants_note"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for kind in self.funding:
            received = cleaned.get(f"received_{kind.code}") or Decimal(0)
            returned = cleaned.get(f"returned_{kind.code}") or Decimal(0)
            if returned > received and f"returned_{kind.code}" not in self.errors:
                self.add_error(
                    f"returned_{kind.code}",
                    forms.ValidationError(
                        _("More cannot be returned than was received (%(received)s zł)."),
                        code="returned_above_received",
                        params={"received": received},
                    ),
                )
        return cleaned

    def texts(self) -> dict[str, Any]:
        narratives = dict(self.report.narratives or {})
        for code in self.activity_types:
            actions = self.cleaned_data[f"actions_{code}"].strip()
            effects = self.cleaned_data[f"effects_{code}"].strip()
            if actions or effects:
                narratives[code] = {"actions": actions, "effects": effects}
            else:
                narratives.pop(code, None)
        return {
            "narratives": narratives,
            "staff_note": self.cleaned_data["staff_note"].strip(),
            "effects_note": self.cleaned_data["effects_note"].strip(),
            "grants_note": self.cleaned_data["grants_note"].strip(),
        }

    def grants(self) -> dict[str, dict[str, Decimal]]:
        return {
            kind.code: {part: self.cleaned_data.get(f"{part}_{kind.code}") or Decimal(0) for part, _l in AMOUNT_PARTS}
            for kind in self.funding
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What the club must correct"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the club must correct.")},
    )


class DeadlineForm(forms.ModelForm):  # type: ignore[type-arg]
    month = forms.TypedChoiceField(label=_("Month"), choices=[(m, MONTHS[m]) for m in (1, 2, 3)], coerce=int)
    day = forms.IntegerField(label=_("Day"), min_value=1, max_value=31)
    remind_days = forms.IntegerField(
        label=_("First reminder (days before)"),
        min_value=1,
        max_value=90,
        help_text=_("Reminders go out then, 7 days and 1 day before, and the day after the deadline."),
    )

    class Meta:
        model = ReportDeadline
        fields = ["day", "month", "remind_days"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, month = cleaned.get("day"), cleaned.get("month")
        if day and month:
            try:
                date(2027, month, day)  # a year without 29 February: the date must exist every year
            except ValueError:
                self.add_error(
                    "day",
                    forms.ValidationError(
                        _("This day does not exist in every year in that month."), code="no_such_day"
                    ),
                )
        return cleaned


CODE_LIST_LABELS = {
    "code": pgettext_lazy("code list", "Code"),
    "label": pgettext_lazy("code list", "Label"),
    "position": pgettext_lazy("code list", "Position"),
    "is_active": pgettext_lazy("code list", "In use"),
    "kind": pgettext_lazy("code list", "Kind"),
}


class _CodeListForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        model = self._meta.model
        clash = model._default_manager.filter(code=code).exclude(pk=self.instance.pk)
        if isinstance(self.instance, ServiceCategory):
            clash = clash.filter(kind=self.data.get("kind", self.instance.kind))
        if clash.exists():
            raise forms.ValidationError(_("This code is already in the list."), code="duplicate")
        return code


def _multiple(label: Any, choices: Any) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class FundingKindForm(_CodeListForm):
    class Meta:
        model = FundingKind
        fields = ["code", "label", "position", "is_active"]
        labels = CODE_LIST_LABELS


class ParticipantGroupForm(_CodeListForm):
    target_groups = _multiple(_("Groups of art. 1 ust. 2 counted here"), TargetGroup.choices)

    class Meta:
        model = ParticipantGroup
        fields = ["code", "label", "position", "is_active", "target_groups"]
        labels = CODE_LIST_LABELS


class CompletionFormForm(_CodeListForm):
    exit_reasons = _multiple(_("Reasons for ending counted here"), Participant.ExitReason.choices)
    employment_kinds = _multiple(_("Kinds of work counted here (none ticked: any)"), Participant.EmploymentKind.choices)

    class Meta:
        model = CompletionForm
        fields = ["code", "label", "position", "is_active", "exit_reasons", "employment_kinds"]
        labels = CODE_LIST_LABELS


class ServiceCategoryForm(_CodeListForm):
    activity_types = _multiple(_("Activity types counted here"), ActivityType.choices)

    class Meta:
        model = ServiceCategory
        fields = ["kind", "code", "label", "position", "is_active", "activity_types"]
        labels = CODE_LIST_LABELS


CODE_LISTS: dict[str, tuple[type[forms.ModelForm], Any]] = {  # type: ignore[type-arg]
    "zrodla-finansowania": (FundingKindForm, _("Kinds of funding source (variable 1)")),
    "grupy": (ParticipantGroupForm, _("Groups of participants (variable 4)")),
    "formy-po-ukonczeniu": (CompletionFormForm, _("Forms of activity after completing (variable 6)")),
    "kategorie-uslug": (ServiceCategoryForm, _("Categories of reintegration services (variables 7 and 8)")),
}
