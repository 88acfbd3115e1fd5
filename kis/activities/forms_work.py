"""Forms of the attendance register, the hours cards, placements and station bookings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis.activities import services
from kis.activities.models import Attendance, Placement, Session
from kis.clubs.forms import GminaField
from kis.clubs.models import ComputerStation
from kis.lib.forms import DateInput
from kis.participants.models import Participant

DAY_MAX_HOURS = Decimal(24)


def plain(value: Decimal | None) -> str:
    """A number for an ``<input type="number">``: a dot, no trailing zeros ("3", "2.5")."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


class HoursField(forms.DecimalField):
    """Hours as typed: "2,5" and "2.5" both work; the limits are checked by the form."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 4)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # the stubs derive it from IntegerField
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


# --------------------------------------------------------------------------- attendance


@dataclass(frozen=True)
class SheetRow:
    """One line of the register as the template shows it."""

    participant: Participant
    status: str
    hours: str
    errors: list[str]


class AttendanceForm(forms.Form):
    """A session's register: a status and hours per participant, refused as a whole if one row is wrong.

    Hours count only for presence: a blank entry for someone present means the whole session,
    and an absence always records 0 h.
    """

    def __init__(
        self,
        data: Any = None,
        *,
        session: Session,
        participants: list[Participant],
        saved: dict[int, Attendance] | None = None,
        everyone_present: bool = False,
    ) -> None:
        initial: dict[str, Any] = {}
        for pk, row in (saved or {}).items():
            initial[f"status-{pk}"] = row.status
            initial[f"hours-{pk}"] = plain(row.hours) if row.status == Attendance.Status.PRESENT else ""
        super().__init__(data, initial=initial)
        self.session, self.participants, self.everyone_present = session, participants, everyone_present
        for participant in participants:
            self.fields[f"status-{participant.pk}"] = forms.ChoiceField(
                choices=Attendance.Status.choices, required=False, widget=forms.RadioSelect
            )
            self.fields[f"hours-{participant.pk}"] = HoursField()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        limit = self.session.hours
        for participant in self.participants:
            name = f"hours-{participant.pk}"
            hours = cleaned.get(name)
            if hours is None:
                continue
            if hours < 0:
                self.add_error(name, forms.ValidationError(_("Hours cannot be negative."), code="negative"))
            elif hours > limit:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("At most %(hours)s h: the length of the session."),
                        code="over_session",
                        params={"hours": plain(limit)},
                    ),
                )
        return cleaned

    def marks(self) -> list[services.Mark]:
        result = []
        for participant in self.participants:
            status = self.cleaned_data.get(f"status-{participant.pk}") or ""
            if not status and self.everyone_present:
                status = Attendance.Status.PRESENT
            if not status:
                continue
            hours = Decimal(0)
            if status == Attendance.Status.PRESENT:
                typed = self.cleaned_data.get(f"hours-{participant.pk}")
                hours = self.session.hours if typed is None else typed
            result.append(services.Mark(participant.pk, status, hours))
        return result

    def rows(self) -> list[SheetRow]:
        rows = []
        for participant in self.participants:
            status, hours = self[f"status-{participant.pk}"], self[f"hours-{participant.pk}"]
            rows.append(
                SheetRow(
                    participant,
                    str(status.value() or ""),
                    str(hours.value() or ""),
                    [str(e) for e in [*status.errors, *hours.errors]],
                )
            )
        return rows


# --------------------------------------------------------------------------- hours cards


class HoursCardForm(forms.Form):
    """The hours of one placement for the days of one month that fall within it."""

    override = forms.BooleanField(label=_("I approve exceeding the cap (club leader)"), required=False)
    override_reason = forms.CharField(label=_("Reason for exceeding the cap"), max_length=200, required=False)

    def __init__(
        self, data: Any = None, *, days: Iterable[date], saved: dict[date, Decimal], can_override: bool
    ) -> None:
        self.days = list(days)
        initial = {f"day-{day.day}": plain(saved[day]) for day in self.days if day in saved}
        super().__init__(data, initial=initial)
        self.can_override = can_override
        for day in self.days:
            self.fields[f"day-{day.day}"] = HoursField(label=f"{day:%d.%m.%Y}")
        if not can_override:
            del self.fields["override"], self.fields["override_reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for day in self.days:
            name = f"day-{day.day}"
            hours = cleaned.get(name)
            if hours is not None and hours < 0:
                self.add_error(name, forms.ValidationError(_("Hours cannot be negative."), code="negative"))
            elif hours is not None and hours > DAY_MAX_HOURS:
                self.add_error(name, forms.ValidationError(_("A day has at most 24 hours."), code="over_day"))
        if cleaned.get("override") and not cleaned.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                forms.ValidationError(_("Give the reason for exceeding the cap."), code="reason_required"),
            )
        return cleaned

    def approved_reason(self) -> str:
        """The leader's reason when the override box is ticked, else ""."""
        if not self.cleaned_data.get("override"):
            return ""
        return str(self.cleaned_data.get("override_reason", "")).replace("\x00", "").strip()

    def hours_by_day(self) -> dict[date, Decimal]:
        """Every editable day with its hours; an empty box is 0 (no entry)."""
        return {day: self.cleaned_data.get(f"day-{day.day}") or Decimal(0) for day in self.days}

    def field_for(self, day: date) -> forms.BoundField | None:
        name = f"day-{day.day}"
        return self[name] if name in self.fields else None


class PlacementForm(forms.ModelForm):  # type: ignore[type-arg]
    gmina = GminaField(label=_("Gmina paying the benefit (TERYT)"), required=False)

    class Meta:
        model = Placement
        fields = ["kind", "organiser", "agreement", "gmina", "starts_on", "ends_on", "planned_hours_week"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.participant = participant

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, starts, ends = cleaned.get("kind"), cleaned.get("starts_on"), cleaned.get("ends_on")
        planned = cleaned.get("planned_hours_week")
        if starts and ends and ends < starts:
            self.add_error(
                "ends_on",
                forms.ValidationError(_("The placement cannot end before it starts."), code="ends_before_start"),
            )
        if planned is not None and planned <= 0:
            self.add_error(
                "planned_hours_week", forms.ValidationError(_("Enter a number of hours above 0."), code="not_positive")
            )
        if kind == Placement.Kind.PSU and not cleaned.get("gmina") and "gmina" not in self.errors:
            self.add_error(
                "gmina", forms.ValidationError(_("Socially useful work is paid by a gmina: pick it."), code="required")
            )
        if kind == Placement.Kind.PSU and starts and planned is not None:
            cap = services.psu_rule("psu.max_hours_week", starts)
            if cap is not None and planned > Decimal(str(cap)):
                self.add_error(
                    "planned_hours_week",
                    forms.ValidationError(
                        _("Socially useful work is limited to %(cap)s h a week."),
                        code="over_cap",
                        params={"cap": cap},
                    ),
                )
        return cleaned


# --------------------------------------------------------------------------- computer stations


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class BookingForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=Participant.objects.none())
    station = forms.ModelChoiceField(label=_("Computer station"), queryset=ComputerStation.objects.none())
    day = forms.DateField(label=_("Day"), widget=DateInput())
    starts = forms.TimeField(label=_("From"), widget=TimeInput())
    ends = forms.TimeField(label=_("To"), widget=TimeInput())

    def __init__(self, *args: Any, participants: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants  # type: ignore[attr-defined]
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, starts, ends = cleaned.get("day"), cleaned.get("starts"), cleaned.get("ends")
        if day and starts and ends and ends <= starts:
            self.add_error(
                "ends", forms.ValidationError(_("The end must be after the start."), code="ends_before_start")
            )
        if day:
            holiday = services.polish_holidays([day.year]).get(day)
            if holiday:
                self.add_error(
                    "day",
                    forms.ValidationError(
                        _("%(day)s is a public holiday (%(name)s): the club is closed."),
                        code="holiday",
                        params={"day": f"{day:%d.%m.%Y}", "name": holiday},
                    ),
                )
        return cleaned

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["starts"]))

    @property
    def ends_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["ends"]))
