"""Writes of the documents app: the letterhead, funding logos and text blocks (atomic, audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.fields.files import FieldFile

from kis import audit
from kis.clubs.models import Club
from kis.documents.forms import FundingLogoForm, LetterheadForm
from kis.documents.models import FundingLogo, Letterhead, TextBlock


def _delete_file_after_commit(file: FieldFile) -> None:
    """Remove a replaced or removed image from storage once the change is committed."""
    if file and file.name:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def save_letterhead(*, head: Letterhead, form: LetterheadForm, by: Any) -> Letterhead:
    upload = form.cleaned_data.get("new_logo")
    old_logo = Letterhead.objects.filter(pk=head.pk).first() if head.pk else None
    if upload:
        head.logo.save("logo", upload, save=False)
        head.logo_content_type = form.logo_content_type
    elif form.cleaned_data.get("remove_logo"):
        head.logo, head.logo_content_type = "", ""
    if old_logo is not None and old_logo.logo.name != head.logo.name:
        _delete_file_after_commit(old_logo.logo)
    head.updated_by = by
    form.save()
    audit.record(by, "letterhead.updated", head, changes=sorted(form.changed_data))
    return head


@transaction.atomic
def add_funding_logo(*, club: Club, form: FundingLogoForm, by: Any) -> FundingLogo:
    logo: FundingLogo = form.instance
    logo.club, logo.content_type = club, form.content_type
    logo.image.save("logo", form.cleaned_data["upload"], save=False)
    logo.save()
    audit.record(by, "letterhead.funding_logo_added", logo, label=logo.label)
    return logo


@transaction.atomic
def remove_funding_logo(*, logo: FundingLogo, by: Any) -> None:
    audit.record(by, "letterhead.funding_logo_removed", logo, label=logo.label)
    _delete_file_after_commit(logo.image)
    logo.delete()


@transaction.atomic
def save_text_block(*, club: Club, kind: str, key: str, text: str, by: Any) -> TextBlock:
    block, created = TextBlock.objects.update_or_create(
        club=club, kind=kind, key=key, defaults={"text": text, "updated_by": by}
    )
    audit.record(by, "template.updated", block, kind=kind, key=key, created=created)
    return block


@transaction.atomic
def reset_text_block(*, club: Club, kind: str, key: str, by: Any) -> None:
    block = TextBlock.objects.filter(club=club, kind=kind, key=key).first()
    if block is not None:
        audit.record(by, "template.reset", block, kind=kind, key=key)
        block.delete()
