"""Forms of the activity catalogue, enrolment, the schedule and appointments."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from kis.accounts.models import Grant, Role, User
from kis.activities import services
from kis.activities.models import Activity, ActivityType, Appointment, Enrolment, Session
from kis.clubs.models import Club, Room
from kis.lib.forms import DateInput
from kis.participants.models import Participant

STATUTORY_TYPES = {
    ActivityType.JOB_SEARCH_SUPPORT,
    ActivityType.PSU,
    ActivityType.PUBLIC_WORKS,
    ActivityType.LEGAL_COUNSELLING,
    ActivityType.SELF_HELP,
    ActivityType.TRAINEESHIP,
}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def team_of(club: Club) -> Any:
    """Users holding an active leader or staff grant in ``club``: who may lead sessions and appointments."""
    user_ids = Grant.objects.active().filter(club=club, role__in=[Role.LEADER, Role.STAFF]).values("user_id")
    return User.objects.filter(pk__in=user_ids).order_by("full_name")


def holiday_on(day: date) -> str:
    return services.polish_holidays([day.year]).get(day, "")


def holiday_error(day: date, name: str) -> forms.ValidationError:
    return forms.ValidationError(
        _("%(day)s is a public holiday (%(name)s): the club is closed."),
        code="holiday",
        params={"day": f"{day:%d.%m.%Y}", "name": name},
    )


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# --------------------------------------------------------------------------- catalogue


class ActivityForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Activity
        fields = [
            "name",
            "type",
            "is_group",
            "staff",
            "room",
            "funding",
            "is_reintegration_social",
            "is_reintegration_vocational",
            "is_active",
        ]

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.club = club
        self.instance.club = club
        statutory = [(value, label) for value, label in ActivityType.choices if value in STATUTORY_TYPES]
        practice = [(value, label) for value, label in ActivityType.choices if value not in STATUTORY_TYPES]
        self.fields["type"].choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            (_("Statutory (art. 18 ust. 2 u.z.s.)"), statutory),
            (_("Other activities of the club"), practice),
        ]
        self.fields["staff"].queryset = team_of(club)  # type: ignore[attr-defined]
        self.fields["room"].queryset = club.rooms.all()  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).replace("\x00", "").split())
        taken = Activity.objects.filter(club=self.club, name__iexact=name).exclude(pk=self.instance.pk)
        if name and taken.exists():
            raise forms.ValidationError(_("The club already has an activity with this name."), code="duplicate_name")
        return name


class EnrolForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=Participant.objects.none())
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DateInput())

    def __init__(self, *args: Any, activity: Activity, participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activity = activity
        open_ids = Enrolment.objects.filter(activity=activity, left_on__isnull=True).values("participant_id")
        self.fields["participant"].queryset = (  # type: ignore[attr-defined]
            participants.filter(status__in=[Participant.Status.CANDIDATE, Participant.Status.ACTIVE])
            .exclude(pk__in=open_ids)
            .only("pk", "first_name", "last_name", "name_sort", "club_id")
            .order_by("name_sort", "pk")
        )


# --------------------------------------------------------------------------- schedule


class SessionPlanForm(forms.Form):
    """One session (no last day, or the same day) or a weekly series on the ticked weekdays."""

    first_day = forms.DateField(label=_("Date (or first day of a series)"), widget=DateInput())
    last_day = forms.DateField(
        label=_("Last day of the series"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for a one-off session. A series may last at most one year."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays of the series"),
        choices=[(str(number), name) for number, name in WEEKDAYS.items()],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    end = forms.TimeField(label=_("To"), widget=TimeInput())
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    staff = forms.ModelChoiceField(label=_("Staff in charge"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"room": activity.room_id, "staff": activity.staff_id})
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.plan: services.PlannedSessions | None = None
        self.fields["room"].queryset = activity.club.rooms.all()  # type: ignore[attr-defined]
        self.fields["staff"].queryset = team_of(activity.club)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error(
                "end", forms.ValidationError(_("The end must be after the start."), code="ends_before_start")
            )
        if first and last and last < first:
            self.add_error(
                "last_day",
                forms.ValidationError(_("The last day cannot be before the first."), code="last_day_before_first"),
            )
        elif first and last and last >= one_year_after(first):
            self.add_error(
                "last_day",
                forms.ValidationError(
                    _("A series may last at most one year: split it into shorter ones."), code="series_too_long"
                ),
            )
        elif first and last and last > first and not cleaned.get("weekdays"):
            self.add_error(
                "weekdays",
                forms.ValidationError(_("Tick at least one weekday for a series."), code="weekday_required"),
            )
        if first and (last is None or last == first) and (name := holiday_on(first)):
            self.add_error("first_day", holiday_error(first, name))
        if not self.errors and first and start and end:
            self.plan = self._plan(first, last or first, start, end)
            if not self.plan.sessions:
                raise forms.ValidationError(_("No session falls on these days."), code="no_sessions")
        return cleaned

    def _plan(self, first: date, last: date, start: time, end: time) -> services.PlannedSessions:
        room, staff = self.cleaned_data.get("room"), self.cleaned_data.get("staff")
        return services.plan_sessions(
            activity=self.activity,
            first_day=first,
            last_day=last,
            weekdays=set(self.cleaned_data.get("weekdays") or []),
            start=start,
            end=end,
            room_id=room.pk if room else None,
            staff_id=staff.pk if staff else None,
        )

    def fingerprint(self) -> str:
        """Identifies the previewed input, so that "confirm" saves what was shown and nothing else."""
        data = self.cleaned_data
        parts = [
            data["first_day"],
            data.get("last_day"),
            sorted(data.get("weekdays") or []),
            data["start"],
            data["end"],
            getattr(data.get("room"), "pk", None),
            getattr(data.get("staff"), "pk", None),
        ]
        return hashlib.sha256(repr([self.activity.pk, *parts]).encode()).hexdigest()[:32]


# --------------------------------------------------------------------------- appointments


class AppointmentForm(forms.ModelForm):  # type: ignore[type-arg]
    day = forms.DateField(label=_("Day"), widget=DateInput())
    starts = forms.TimeField(label=_("From"), widget=TimeInput())
    ends = forms.TimeField(label=_("To"), widget=TimeInput())

    class Meta:
        model = Appointment
        fields = ["participant", "staff", "kind"]
        labels = {"staff": _("Staff member")}

    def __init__(self, *args: Any, club: Club, participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.club = club
        self.fields["participant"].queryset = (  # type: ignore[attr-defined]
            participants.filter(status__in=[Participant.Status.CANDIDATE, Participant.Status.ACTIVE])
            .only("pk", "first_name", "last_name", "name_sort", "club_id")
            .order_by("name_sort", "pk")
        )
        self.fields["staff"].queryset = team_of(club)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, starts, ends = cleaned.get("day"), cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error(
                "ends", forms.ValidationError(_("The end must be after the start."), code="ends_before_start")
            )
        if day and (name := holiday_on(day)):
            self.add_error("day", holiday_error(day, name))
        staff = cleaned.get("staff")
        if not self.errors and day and starts and ends and staff:
            self.instance.starts_at = timezone.make_aware(datetime.combine(day, starts))
            self.instance.ends_at = timezone.make_aware(datetime.combine(day, ends))
            if self._staff_busy(staff):
                self.add_error(
                    "staff",
                    forms.ValidationError(
                        _("%(name)s has another appointment or session at this time."),
                        code="staff_clash",
                        params={"name": staff},
                    ),
                )
        return cleaned

    def _staff_busy(self, staff: User) -> bool:
        starts_at, ends_at = self.instance.starts_at, self.instance.ends_at
        appointments = Appointment.objects.filter(staff=staff, starts_at__lt=ends_at, ends_at__gt=starts_at)
        return (
            appointments.exclude(pk=self.instance.pk).exists()
            or Session.objects.overlapping(starts_at, ends_at).filter(staff=staff).exists()
        )


class AppointmentNoteForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Appointment
        fields = ["attended", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"note": _("Visible only to the person the appointment is with and to the club leader.")}
