"""Form plumbing shared by every app: date inputs, optimistic locking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kis import audit

# Django 6.1's blank choice of model select fields; its Polish catalog has no translation yet,
# so ours (first in LOCALE_PATHS) provides one. Marked here so makemessages keeps it.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")


class DateInput(forms.DateInput):
    """A native date picker; the field also accepts dd.mm.rrrr typed by hand."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def errors_as_messages(request: Any, form: forms.BaseForm) -> None:
    """For forms posted from a page that shows no form (a button in a list): errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


class Conflict(Exception):
    """Someone else saved the object after this form was opened."""


CONFLICT_MESSAGE = _(
    "Someone else saved this record after you opened it. Your changes were not saved: "
    "reload the page to see the current data, then enter your changes again."
)


class VersionedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm that refuses to overwrite a newer version (no lost updates)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Also when bound: otherwise ``changed_data`` lists "version" and the audit trail records it.
            self.initial["version"] = self.instance.version
        if self.instance.pk is None:
            self.fields["version"].required = False

    def save_audited(self, action: str, *, by: Any) -> Any:
        """Save, bump the version, and record the change, atomically; raise ``Conflict``."""
        model = type(self.instance)
        with transaction.atomic():
            if self.instance.pk is not None:
                expected = self.cleaned_data["version"]
                bumped = model._default_manager.filter(pk=self.instance.pk, version=expected).update(
                    version=F("version") + 1
                )
                if not bumped:
                    raise Conflict
                self.instance.version = expected + 1
            return audit.save_form(self, action, by=by)
