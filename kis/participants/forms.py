from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kis.accounts.models import Grant, Role, User
from kis.clubs.forms import GminaField
from kis.clubs.models import Club
from kis.lib import crypto, ids
from kis.lib.forms import DateInput, VersionedModelForm
from kis.lib.text import fold
from kis.participants.models import (
    Benefit,
    CaseDocument,
    CaseNote,
    Consent,
    FollowUp,
    HouseholdMember,
    Participant,
    TargetGroup,
)

BASIC_FIELDS = [
    "first_name",
    "last_name",
    "id_document_type",
    "id_document_number",
    "birth_date",
    "sex",
    "street",
    "postal_code",
    "city",
    "gmina",
    "phone",
    "email",
    "education",
    "labour_status",
    "referral",
    "referred_by",
    "referring_partner",
    "case_worker",
    "applied_on",
    "notice_acknowledged_on",
]
SPECIAL_FIELDS = [
    "groups",
    "groups_refused",
    "other_group_reason",
    "excluded_benefits",
    "benefits_declared_on",
    "general_clause_confirmed",
    "health_notes",
]
DATE_WIDGETS = {
    name: DateInput() for name in ("birth_date", "applied_on", "notice_acknowledged_on", "benefits_declared_on")
}


def _club_users(club: Club, roles: set[str]) -> Any:
    user_ids = Grant.objects.active().filter(club=club, role__in=roles).values("user_id")
    return User.objects.filter(pk__in=user_ids).order_by("full_name")


class SpecialFieldsMixin(forms.Form):
    groups = forms.MultipleChoiceField(
        label=_("Groups (art. 1 ust. 2 u.z.s.)"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    excluded_benefits = forms.MultipleChoiceField(
        label=_("Has the right to (art. 1 ust. 3 u.z.s.)"),
        choices=Benefit.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("It is the right to a benefit that counts, not whether it is paid."),
    )

    def clean_special(self, cleaned: dict[str, Any]) -> None:
        groups = cleaned.get("groups") or []
        if "other" in groups and not (cleaned.get("other_group_reason") or "").strip():
            self.add_error(
                "other_group_reason",
                ValidationError(_("Say why the person is socially excluded."), code="other_reason_required"),
            )
        if cleaned.get("groups_refused") and groups:
            self.add_error(
                "groups_refused",
                ValidationError(_("Either tick groups or record a refusal, not both."), code="refused_and_groups"),
            )


class ParticipantForm(VersionedModelForm):
    """Basic data of a participant (special-category data has its own form)."""

    gmina = GminaField(label=_("Gmina of residence (TERYT)"), required=False)
    pesel = forms.CharField(label=_("PESEL"), max_length=20, required=False)
    no_pesel = forms.BooleanField(label=_("The person has no PESEL"), required=False)

    class Meta:
        model = Participant
        fields = BASIC_FIELDS
        widgets = DATE_WIDGETS

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.club = club
        self.instance.club = club
        self.fields["birth_date"].required = False
        self.fields["sex"].required = False
        self.fields["referring_partner"].queryset = _club_users(club, {Role.PARTNER})  # type: ignore[attr-defined]
        self.fields["case_worker"].queryset = _club_users(club, {Role.LEADER, Role.STAFF})  # type: ignore[attr-defined]
        if self.instance.pk is not None:
            # The stored PESEL is never put back into the page; typing a new one replaces it.
            self.fields["pesel"].help_text = _("Leave empty to keep the stored PESEL.")
            self.fields["no_pesel"].initial = not self.instance.pesel_last4

    def clean_pesel(self) -> str:
        value = self.cleaned_data["pesel"]
        if not value:
            return ""
        facts = ids.validate_pesel(value)
        self.pesel_facts = facts
        return facts.number

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"]
        return ids.validate_postal_code(value) if value else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        pesel, no_pesel = cleaned.get("pesel"), cleaned.get("no_pesel")
        keeps_stored = self.instance.pk is not None and self.instance.pesel_last4 and not no_pesel
        if pesel and no_pesel:
            self.add_error("no_pesel", ValidationError(_("Either enter the PESEL or tick 'no PESEL'."), code="both"))
        elif pesel:
            facts = self.pesel_facts
            cleaned["birth_date"], cleaned["sex"] = facts.birth_date, facts.sex
        elif no_pesel or not keeps_stored:
            if not no_pesel and "pesel" not in self.errors:
                self.add_error("pesel", ValidationError(_("Enter the PESEL or tick 'no PESEL'."), code="required"))
            if no_pesel:
                for name in ("id_document_type", "id_document_number", "birth_date", "sex"):
                    if not cleaned.get(name) and name not in self.errors:
                        self.add_error(name, ValidationError(_("Needed when there is no PESEL."), code="required"))
        else:
            # The stored PESEL is kept: the birth date and sex come from the page, and the columns are NOT NULL.
            for name in ("birth_date", "sex"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, ValidationError(self.fields[name].error_messages["required"], code="required"))
        if pesel:
            self._check_duplicate_pesel(pesel)
        return cleaned

    def _check_duplicate_pesel(self, pesel: str) -> None:
        digest = crypto.keyed_hash(pesel, purpose="pesel")
        clash = Participant.objects.filter(club=self.club, pesel_hash=digest).exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error(
                "pesel",
                ValidationError(_("A person with this PESEL is already registered in this club."), code="duplicate"),
            )

    def apply_to(self, participant: Participant) -> None:
        """Carry the PESEL decision onto the instance (the field is not a model field)."""
        if self.cleaned_data.get("no_pesel"):
            participant.pesel = None
        elif self.cleaned_data.get("pesel"):
            participant.pesel = self.cleaned_data["pesel"]
        participant.birth_date = self.cleaned_data["birth_date"]
        participant.sex = self.cleaned_data["sex"]


class IntakeForm(SpecialFieldsMixin, ParticipantForm):
    """The whole intake in one atomic save: basic data and the special-category answers."""

    confirm_not_duplicate = forms.BooleanField(
        label=_("I checked: this is not the same person as the one listed above"), required=False
    )

    class Meta:
        model = Participant
        fields = [*BASIC_FIELDS, *SPECIAL_FIELDS]
        widgets = DATE_WIDGETS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.clean_special(cleaned)
        self.similar = []
        if cleaned.get("first_name") and cleaned.get("last_name") and cleaned.get("birth_date"):
            self.similar = list(
                similar_people(self.club, cleaned["first_name"], cleaned["last_name"], cleaned["birth_date"])
            )
            if self.similar and not cleaned.get("confirm_not_duplicate"):
                self.add_error(
                    "confirm_not_duplicate",
                    ValidationError(
                        _("A person with a similar name and the same date of birth is already in the club."),
                        code="possible_duplicate",
                    ),
                )
        return cleaned


def similar_people(club: Club, first_name: str, last_name: str, birth_date: Any) -> Any:
    """Same birth date and the same surname or first name, ignoring case and diacritics."""
    return (
        Participant.objects.filter(club=club, birth_date=birth_date)
        .filter(name_search__contains=fold(last_name))
        .only("pk", "first_name", "last_name", "birth_date")[:5]
    )


class SpecialDataForm(SpecialFieldsMixin, VersionedModelForm):
    class Meta:
        model = Participant
        fields = SPECIAL_FIELDS
        widgets = DATE_WIDGETS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_special(cleaned)
        return cleaned


class AdmitForm(forms.Form):
    joined_on = forms.DateField(label=_("Participation starts on"), widget=DateInput())


class ConsentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Consent
        fields = ["purpose", "basis", "given_on"]
        widgets = {"given_on": DateInput()}

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.participant = participant

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        purpose = cleaned.get("purpose")
        if purpose and self.instance.participant.consents.filter(purpose=purpose, withdrawn_on__isnull=True).exists():
            self.add_error("purpose", ValidationError(_("This purpose is already recorded."), code="duplicate"))
        optional = {Consent.Purpose.IMAGE, Consent.Purpose.CONTACT}
        if purpose in optional and cleaned.get("basis") != Consent.Basis.CONSENT:
            self.add_error(
                "basis", ValidationError(_("This purpose needs the person's consent."), code="needs_consent")
            )
        return cleaned


class HouseholdForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HouseholdMember
        fields = ["name", "relation", "birth_year"]

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.participant = participant
        self.fields["birth_year"].widget.attrs.update({"min": 1900, "max": 2100})

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data["birth_year"]
        if year is not None and not 1900 <= year <= 2100:
            raise ValidationError(_("Enter a year between 1900 and 2100."), code="year_range")
        return year  # type: ignore[no-any-return]


class NoteForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CaseNote
        fields = ["level", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


# Content sniffing: the first bytes decide, never the name or the browser's Content-Type.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


class DocumentForm(forms.ModelForm):  # type: ignore[type-arg]
    file = forms.FileField(label=_("File (PDF, JPG or PNG)"))

    class Meta:
        model = CaseDocument
        fields = ["kind", "title"]

    def clean_file(self) -> Any:
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is too large (at most %(mb)s MB).") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
                code="too_large",
            )
        head = upload.read(16)
        upload.seek(0)
        for signature, content_type in SIGNATURES.items():
            if head.startswith(signature):
                self.content_type = content_type
                return upload
        raise ValidationError(_("Only PDF, JPG and PNG files are accepted."), code="file_type")


class ExitForm(forms.Form):
    left_on = forms.DateField(label=_("Participation ended on"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason for ending"), choices=Participant.ExitReason.choices)
    employment_kind = forms.ChoiceField(
        label=_("Kind of work"), choices=[("", "—"), *Participant.EmploymentKind.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participant = participant

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        left_on = cleaned.get("left_on")
        joined = self.participant.joined_on
        if left_on and joined and left_on < joined:
            self.add_error(
                "left_on", ValidationError(_("Participation cannot end before it started."), code="before_start")
            )
        if cleaned.get("reason") == Participant.ExitReason.EMPLOYED and not cleaned.get("employment_kind"):
            self.add_error("employment_kind", ValidationError(_("Say what kind of work."), code="required"))
        return cleaned


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(label=capfirst(_("outcome")), choices=FollowUp.Outcome.choices)
    source = forms.ChoiceField(label=capfirst(_("evidence source")), choices=FollowUp.Source.choices)
