from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from kis.documents import texts
from kis.documents.models import DocumentBatch, FundingLogo, Letterhead

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000
# Content sniffing: the first bytes decide, never the name or the browser's Content-Type.
IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def image_type(upload: UploadedFile[bytes]) -> str:
    """The content type of a PNG or JPEG upload of at most 1 MB; ``ValidationError`` otherwise."""
    if upload.size is None or upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The image is too large (at most 1 MB)."), code="too_large")
    head = upload.read(16)
    upload.seek(0)
    content_type = next((kind for signature, kind in IMAGE_SIGNATURES.items() if head.startswith(signature)), "")
    if not content_type:
        raise ValidationError(_("Only PNG and JPG images are accepted."), code="file_type")
    try:
        with Image.open(upload) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The image could not be read: save it again as PNG or JPG."), code="broken") from None
    finally:
        upload.seek(0)
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The image is too big (at most %(px)s × %(px)s pixels).") % {"px": LOGO_MAX_PIXELS}, code="too_big"
        )
    return content_type


class LetterheadForm(forms.ModelForm):  # type: ignore[type-arg]
    new_logo = forms.FileField(label=_("Club logo (PNG or JPG, at most 1 MB)"), required=False)
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Letterhead
        fields = ["show_operator_ids", "show_contact", "project_line"]

    def clean_new_logo(self) -> Any:
        upload = self.cleaned_data.get("new_logo")
        if upload:
            self.logo_content_type = image_type(upload)
        return upload


class FundingLogoForm(forms.ModelForm):  # type: ignore[type-arg]
    upload = forms.FileField(label=_("Funding logo (PNG or JPG, at most 1 MB)"))

    class Meta:
        model = FundingLogo
        fields = ["label", "position"]

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        self.content_type = image_type(upload)
        return upload


class TextBlockForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), max_length=4000)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].replace("\r\n", "\n").replace("\x00", "").strip()
        unknown = texts.unknown_placeholders(self.kind, text)
        if unknown:
            allowed = ", ".join(f"{{{name}}}" for name in texts.PLACEHOLDERS[self.kind])
            raise ValidationError(
                _("Unknown placeholder %(names)s. You can use only: %(allowed)s."),
                code="unknown_placeholder",
                params={"names": ", ".join(f"{{{name}}}" for name in unknown), "allowed": allowed},
            )
        return text


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class BatchForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=DocumentBatch.Kind.choices, widget=forms.RadioSelect)
    month = forms.DateField(
        label=_("Month (attendance lists)"),
        required=False,
        input_formats=["%Y-%m", "%m.%Y"],
        widget=MonthInput(),
        help_text=_("e.g. 2026-02"),
    )
    year = forms.IntegerField(label=_("Year (certificates)"), required=False, min_value=2004, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"month": today.replace(day=1), "year": today.year})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        month_missing = not cleaned.get("month") and "month" not in self.errors
        year_missing = not cleaned.get("year") and "year" not in self.errors
        if kind == DocumentBatch.Kind.ATTENDANCE_MONTH and month_missing:
            self.add_error("month", ValidationError(_("Choose the month."), code="required"))
        elif kind == DocumentBatch.Kind.CERTIFICATES_YEAR and year_missing:
            self.add_error("year", ValidationError(_("Enter the year."), code="required"))
        return cleaned

    @property
    def period(self) -> date:
        if self.cleaned_data["kind"] == DocumentBatch.Kind.CERTIFICATES_YEAR:
            return date(self.cleaned_data["year"], 1, 1)
        month: date = self.cleaned_data["month"]
        return month.replace(day=1)


class VerifyForm(forms.Form):
    numer = forms.CharField(label=_("Certificate number"), max_length=40, help_text=_("e.g. KIS/12/2026/0007"))
    kod = forms.CharField(label=_("Verification code"), max_length=20, help_text=_("printed under the number"))

    def clean_numer(self) -> str:
        return str(self.cleaned_data["numer"]).replace("\x00", "").strip().upper()

    def clean_kod(self) -> str:
        return str(self.cleaned_data["kod"]).replace("\x00", "").replace(" ", "").strip().upper()
