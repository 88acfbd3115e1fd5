"""The club's staff register (kadra) for the annual report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kis.accounts.models import User
from kis.clubs.models import Club, StaffMember
from kis.lib.forms import DateInput, VersionedModelForm


class StaffMemberForm(VersionedModelForm):
    fte = forms.DecimalField(
        label=_("Working time (FTE)"),
        min_value=0,
        max_value=1,
        max_digits=3,
        decimal_places=2,
        localize=True,
        help_text=_("Fraction of a full-time job, e.g. 0,5. Volunteers: 0."),
    )

    class Meta:
        model = StaffMember
        fields = ["full_name", "sex", "position", "basis", "fte", "started_on", "ended_on", "user"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}
        help_texts = {
            "basis": _("The statute does not list the bases: this list is a working proposal [U]."),
        }

    def __init__(self, *args: Any, club: Club, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.club = club
        user_field = self.fields["user"]
        user_field.queryset = User.objects.filter(pk__in=[p.pk for p in people]).order_by("full_name")  # type: ignore[attr-defined]
        user_field.required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error(
                "ended_on", forms.ValidationError(_("The end cannot come before the start."), code="ends_before_start")
            )
        if cleaned.get("basis") == StaffMember.Basis.VOLUNTEER and cleaned.get("fte"):
            self.add_error(
                "fte", forms.ValidationError(_("A volunteer has no working time: enter 0."), code="volunteer_fte")
            )
        return cleaned
