from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kis.accounts.models import Role, StaffTitle, User
from kis.clubs.models import Club, ComputerStation, Operator, Room, Territory
from kis.lib import ids
from kis.lib.forms import DateInput, VersionedModelForm
from kis.lib.teryt import validate_gmina_code

_TRAILING_CODE = re.compile(r"(\d{7})\s*$")


class GminaWidget(forms.TextInput):
    """A text box with suggestions from the TERYT register (htmx fills the datalist)."""

    template_name = "clubs/widgets/gmina.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"autocomplete": "off", "placeholder": _("start typing the gmina name")}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str) and value.isdigit() and len(value) == 7:
            territory = Territory.objects.filter(code=value).first()
            return f"{territory} – {value}" if territory else value
        formatted = super().format_value(value)
        return None if formatted is None else str(formatted)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["search_url"] = reverse_lazy("clubs:gmina_search")
        return context


class GminaField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Accepts a 7-digit TERYT code, alone or at the end of a suggestion."""

    widget = GminaWidget
    default_error_messages = {
        "invalid_choice": _("There is no such gmina in the TERYT register. Pick one from the suggestions."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Territory.objects.gminas(), **kwargs)

    def to_python(self, value: Any) -> Territory | None:
        if value in self.empty_values:
            return None
        match = _TRAILING_CODE.search(str(value))
        code = validate_gmina_code(match.group(1) if match else str(value))
        territory = Territory.objects.gminas().filter(code=code).first()
        if territory is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return territory


ADDRESS_FIELDS = ["street", "postal_code", "city", "gmina", "email", "phone"]


class AddressFormMixin(forms.ModelForm):  # type: ignore[type-arg]
    def clean_postal_code(self) -> str:
        return ids.validate_postal_code(self.cleaned_data["postal_code"])


class OperatorForm(AddressFormMixin, VersionedModelForm):
    gmina = GminaField(label=_("Gmina (TERYT)"))
    # Wider than the stored digits: people type dashes and spaces, the clean_* methods strip them.
    nip = forms.CharField(label=_("NIP"), max_length=20, help_text=_("10 digits, dashes allowed."))
    regon = forms.CharField(label=_("REGON"), max_length=20, required=False, help_text=_("9 or 14 digits."))
    krs = forms.CharField(
        label=_("KRS number"),
        max_length=20,
        required=False,
        help_text=_("For associations, foundations and social cooperatives."),
    )

    class Meta:
        model = Operator
        fields = ["type", "name", "nip", "regon", "krs", *ADDRESS_FIELDS, "website", "contact_person"]

    def clean_nip(self) -> str:
        return ids.validate_nip(self.cleaned_data["nip"])

    def clean_regon(self) -> str:
        value = self.cleaned_data["regon"]
        return ids.validate_regon(value) if value else ""

    def clean_krs(self) -> str:
        value = self.cleaned_data["krs"]
        return ids.validate_krs(value) if value else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, krs = cleaned.get("type"), cleaned.get("krs")
        if kind in Operator.KRS_TYPES and not krs and "krs" not in self.errors:
            self.add_error(
                "krs", forms.ValidationError(_("This type of operator has a KRS number."), code="krs_required")
            )
        if kind in (Operator.Type.GMINA, Operator.Type.OPS) and krs:
            self.add_error(
                "krs", forms.ValidationError(_("A gmina or OPS has no KRS number."), code="krs_not_applicable")
            )
        return cleaned


class ClubForm(AddressFormMixin, VersionedModelForm):
    gmina = GminaField(label=_("Gmina where the club operates (TERYT)"))

    class Meta:
        model = Club
        # No "status": it follows the voivode's register (kis.registry: active on entry, closed on strike-off),
        # so that a club cannot take participants before it is entered (art. 18 ust. 1 u.z.s.).
        fields = ["name", *ADDRESS_FIELDS, "manager_name", "manager_title", "created_on", "started_on"]
        widgets = {"created_on": DateInput(), "started_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        created, started = cleaned.get("created_on"), cleaned.get("started_on")
        if created and started and started < created:
            self.add_error(
                "started_on",
                forms.ValidationError(
                    _("Activity cannot start before the club was created."), code="starts_before_creation"
                ),
            )
        return cleaned


class RoomForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Room
        fields = ["name", "capacity", "step_free", "notes"]

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.club = club

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Room.objects.filter(club=self.instance.club, name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The club already has a room with this name."), code="duplicate")
        return str(name)


class StationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ComputerStation
        fields = ["label", "room", "is_active", "notes"]

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.club = club
        self.fields["room"].queryset = club.rooms.all()  # type: ignore[attr-defined]

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        clash = ComputerStation.objects.filter(club=self.instance.club, label__iexact=label).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(_("The club already has a station with this label."), code="duplicate")
        return str(label)


class InviteForm(forms.Form):
    email = forms.EmailField(label=capfirst(_("e-mail address")))
    full_name = forms.CharField(label=capfirst(_("full name")), max_length=150)
    role = forms.ChoiceField(label=capfirst(_("role")))
    title = forms.ChoiceField(label=capfirst(_("position")), required=False, choices=[("", "—"), *StaffTitle.choices])

    def __init__(self, *args: Any, grantable: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(value, label) for value, label in Role.choices if value in grantable]

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("title") and cleaned.get("role") != Role.STAFF:
            self.add_error(
                "title", forms.ValidationError(_("Only club staff have a position."), code="title_not_staff")
            )
        return cleaned
