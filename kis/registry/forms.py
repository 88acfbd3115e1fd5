"""Forms of the register: the 2012 notification form, the officer's decisions, numbering, import."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis.clubs.forms import GminaField
from kis.clubs.models import Club, Operator, Territory
from kis.lib import ids
from kis.lib.forms import DateInput
from kis.registry.models import CLUB_FIELDS, FORM_FIELDS, Notification, NumberingScheme, RegisterEntry

FIELD_LABELS: dict[str, Any] = {
    "operator_name": _("Full name of the operator"),
    "operator_krs": _("Operator: KRS number"),
    "operator_street": _("Operator: street and number"),
    "operator_postal_code": _("Operator: postal code"),
    "operator_city": _("Operator: town"),
    "operator_phone": _("Operator: phone"),
    "operator_fax": _("Operator: fax"),
    "operator_email": _("Operator: e-mail"),
    "club_name": _("Full name of the club"),
    "club_street": _("Club: street and number"),
    "club_postal_code": _("Club: postal code"),
    "club_city": _("Club: town"),
    "club_gmina": _("Gmina where the club operates (TERYT)"),
    "created_on": _("Date the club was created"),
    "started_on": _("Date the club starts (started) its activity"),
    "manager_name": _("Name and surname of the person managing the club"),
    "club_phone": _("Club: phone"),
    "club_email": _("Club: e-mail"),
}

# Content sniffing: the first bytes decide, never the name or the browser's Content-Type.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff_upload(upload: Any) -> str:
    """The content type of an uploaded scan or PDF, or a ValidationError."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise ValidationError(_("Only PDF, JPG and PNG files are accepted."), code="file_type")


def _text(name: str, *, required: bool = True, max_length: int = 250, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=FIELD_LABELS[name], required=required, max_length=max_length, **kwargs)


class NotificationForm(forms.Form):
    """The 2012 notification form (Dz.U. 2012 poz. 513) and its attachment, the founding act.

    ``data()`` is the snapshot stored on the notification, keyed by ``FORM_FIELDS``.
    """

    operator_name = _text("operator_name")
    operator_krs = _text(
        "operator_krs", required=False, max_length=20, help_text=_("Required for a non-governmental organisation.")
    )
    operator_street = _text("operator_street", max_length=150)
    operator_postal_code = _text("operator_postal_code", max_length=6)
    operator_city = _text("operator_city", max_length=100)
    operator_phone = _text("operator_phone", required=False, max_length=40)
    operator_fax = _text("operator_fax", required=False, max_length=40)
    operator_email = forms.EmailField(label=FIELD_LABELS["operator_email"], required=False)
    club_name = _text("club_name")
    club_street = _text("club_street", max_length=150)
    club_postal_code = _text("club_postal_code", max_length=6)
    club_city = _text("club_city", max_length=100)
    club_gmina = GminaField(
        label=FIELD_LABELS["club_gmina"],
        help_text=_("The notification goes to the voivode of the voivodeship where the club operates."),
    )
    created_on = forms.DateField(label=FIELD_LABELS["created_on"], widget=DateInput())
    started_on = forms.DateField(label=FIELD_LABELS["started_on"], widget=DateInput())
    manager_name = _text("manager_name", max_length=150)
    club_phone = _text("club_phone", required=False, max_length=40)
    club_email = forms.EmailField(label=FIELD_LABELS["club_email"], required=False)
    act_kind = forms.ChoiceField(label=_("Founding act: kind"), choices=[("", "—"), *Notification.ActKind.choices])
    act_number = forms.CharField(label=_("Founding act: number"), max_length=60)
    act_date = forms.DateField(label=_("Founding act: date"), widget=DateInput())
    act_file = forms.FileField(
        label=_("Founding act: copy (PDF, JPG or PNG)"),
        help_text=_("A scan or PDF of the act creating the club."),
        error_messages={"required": _("Attach a copy of the act creating the club (art. 18a ust. 3 u.z.s.).")},
    )
    note = forms.CharField(
        label=_("Note to the voivode office"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        operator: Operator,
        act_required: bool = True,
        act_fields: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.operator = operator
        self.content_type = ""
        if not act_fields:
            for name in ("act_kind", "act_number", "act_date", "act_file"):
                del self.fields[name]
        elif not act_required:
            for name in ("act_kind", "act_number", "act_date", "act_file"):
                self.fields[name].required = False
            self.fields["act_file"].help_text = _("Leave empty to keep the act already attached.")
        if operator.type in Operator.KRS_TYPES:
            krs = self.fields["operator_krs"]
            krs.required = True
            krs.error_messages["required"] = _(
                "A non-governmental organisation or social cooperative must give its KRS number."
            )

    @classmethod
    def initial_for(
        cls, operator: Operator, club: Club | None = None, data: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Prefill from an earlier snapshot, else from the operator's and the club's records."""
        if data:
            initial = {name: data.get(name, "") for name in FORM_FIELDS}
            return initial
        initial = {
            "operator_name": operator.name,
            "operator_krs": operator.krs,
            "operator_street": operator.street,
            "operator_postal_code": operator.postal_code,
            "operator_city": operator.city,
            "operator_phone": operator.phone,
            "operator_email": operator.email,
        }
        if club is not None:
            initial.update(
                {
                    "club_name": club.name,
                    "club_street": club.street,
                    "club_postal_code": club.postal_code,
                    "club_city": club.city,
                    "club_gmina": club.gmina_id,
                    "created_on": club.created_on,
                    "started_on": club.started_on,
                    "manager_name": club.manager_name,
                    "club_phone": club.phone,
                    "club_email": club.email,
                }
            )
        return initial

    def clean_operator_postal_code(self) -> str:
        return ids.validate_postal_code(self.cleaned_data["operator_postal_code"])

    def clean_club_postal_code(self) -> str:
        return ids.validate_postal_code(self.cleaned_data["club_postal_code"])

    def clean_operator_krs(self) -> str:
        value = self.cleaned_data["operator_krs"]
        return ids.validate_krs(value) if value else ""

    def clean_act_file(self) -> Any:
        upload = self.cleaned_data.get("act_file")
        if upload:
            self.content_type = sniff_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("operator_phone") and not cleaned.get("operator_email") and not self._has("operator_email"):
            self.add_error(
                "operator_phone",
                ValidationError(_("Give the operator's phone or e-mail (or both)."), code="contact_required"),
            )
        created, started = cleaned.get("created_on"), cleaned.get("started_on")
        if created and started and started < created:
            self.add_error(
                "started_on",
                ValidationError(_("Activity cannot start before the club was created."), code="starts_before_creation"),
            )
        act_date = cleaned.get("act_date")
        if act_date and act_date > timezone.localdate():
            self.add_error("act_date", ValidationError(_("The act cannot be dated in the future."), code="future"))
        return cleaned

    def _has(self, name: str) -> bool:
        return name in self.errors

    def data_snapshot(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        snapshot: dict[str, Any] = {}
        for name in FORM_FIELDS:
            value = cleaned.get(name)
            if isinstance(value, Territory):
                value = value.code
            elif isinstance(value, date):
                value = value.isoformat()
            snapshot[name] = (value or "").strip() if isinstance(value, str) or value is None else value
        snapshot["operator_type"] = self.operator.type
        return snapshot


class CessationForm(forms.Form):
    ceased_on = forms.DateField(label=_("The club ceased its activity on"), widget=DateInput())
    note = forms.CharField(
        label=_("Reason and circumstances"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    act_file = forms.FileField(
        label=_("Act closing the club (PDF, JPG or PNG)"),
        required=False,
        help_text=_("Optional: a copy of the resolution or order closing the club."),
    )

    def __init__(self, *args: Any, entry: RegisterEntry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.content_type = ""

    def clean_ceased_on(self) -> date:
        ceased: date = self.cleaned_data["ceased_on"]
        if ceased > timezone.localdate():
            raise ValidationError(_("Notify cessation once the club has ceased its activity."), code="future")
        if ceased < self.entry.entered_on:
            raise ValidationError(_("The club cannot cease before it was entered."), code="before_entry")
        return ceased

    def clean_act_file(self) -> Any:
        upload = self.cleaned_data.get("act_file")
        if upload:
            self.content_type = sniff_upload(upload)
        return upload


class EntryForm(forms.Form):
    """The officer enters a notified club: number (proposed from the scheme) and date."""

    number = forms.CharField(label=_("Entry number"), max_length=60)
    entered_on = forms.DateField(label=_("Date of entry"), widget=DateInput())

    def __init__(self, *args: Any, notification: Notification, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notification = notification

    def clean_number(self) -> str:
        number = " ".join(self.cleaned_data["number"].split())
        if RegisterEntry.objects.filter(voivodeship=self.notification.voivodeship, number=number).exists():
            raise ValidationError(
                _("The register of this voivodeship already has an entry with this number."), code="duplicate"
            )
        return number

    def clean_entered_on(self) -> date:
        entered: date = self.cleaned_data["entered_on"]
        if entered > timezone.localdate():
            raise ValidationError(_("The date of entry cannot be in the future."), code="future")
        if entered < self.notification.received_on:
            raise ValidationError(_("The club cannot be entered before it was notified."), code="before_notification")
        return entered


class CorrectionsForm(forms.Form):
    comment = forms.CharField(
        label=_("What must the operator correct or add?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RecordForm(forms.Form):
    """Recording a change of data: the date it is recorded in the register."""

    on = forms.DateField(label=_("Recorded on"), widget=DateInput())

    def __init__(self, *args: Any, notification: Notification, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notification = notification

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        if on < self.notification.received_on:
            raise ValidationError(_("The date cannot be before the notification."), code="before_notification")
        return on


class StrikeOffForm(forms.Form):
    struck_off_on = forms.DateField(label=_("Date of strike-off"), widget=DateInput())
    basis = forms.ChoiceField(label=_("Basis"), choices=RegisterEntry.Basis.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, entry: RegisterEntry, basis: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry = entry
        if basis:
            field = self.fields["basis"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(value, label) for value, label in RegisterEntry.Basis.choices if value == basis]
            self.initial.setdefault("basis", basis)

    def clean_struck_off_on(self) -> date:
        on: date = self.cleaned_data["struck_off_on"]
        if on > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        if on < self.entry.entered_on:
            raise ValidationError(_("A club cannot be struck off before it was entered."), code="before_entry")
        return on


class NumberingForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = NumberingScheme
        fields = ["pattern", "next_number", "yearly"]
        help_texts = {
            "pattern": _(
                "Placeholders: {n} the counter ({n:03d} with leading zeros), {rok} the year of the entry, "
                "{woj} the TERYT code of the voivodeship. Example: KIS/{woj}/{n}/{rok}."
            ),
        }

    def clean_pattern(self) -> str:
        pattern = self.cleaned_data["pattern"].strip()
        problem = NumberingScheme.pattern_problem(pattern)
        if problem == "no_counter":
            raise ValidationError(_("The pattern must contain the counter {n}."), code=problem)
        if problem:
            raise ValidationError(_("Use only the placeholders {n}, {n:03d}, {rok} and {woj}."), code=problem)
        return str(pattern)

    def clean_next_number(self) -> int:
        value: int = self.cleaned_data["next_number"]
        if value < 1:
            raise ValidationError(_("The counter starts at 1."), code="min_value")
        return value


class ImportForm(forms.Form):
    voivodeship = forms.ChoiceField(label=_("Voivodeship"))
    file = forms.FileField(label=_("Register list (CSV or XLSX)"))

    def __init__(self, *args: Any, voivodeships: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["voivodeship"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = voivodeships
        if len(voivodeships) == 1:
            field.initial = voivodeships[0][0]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is too large (at most %(mb)s MB).") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
                code="too_large",
            )
        head = upload.read(4)
        upload.seek(0)
        name = (upload.name or "").lower()
        if head.startswith(b"PK\x03\x04"):
            if not name.endswith(".xlsx"):
                raise ValidationError(_("Send a CSV or an XLSX file."), code="file_type")
        elif not name.endswith((".csv", ".txt")) or b"\x00" in upload.read(4096):
            upload.seek(0)
            raise ValidationError(_("Send a CSV or an XLSX file."), code="file_type")
        upload.seek(0)
        return upload


__all__ = ["CLUB_FIELDS", "FIELD_LABELS"]
