"""The club's letterhead, its edited text blocks and background batches of PDFs."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis.audit.scope import Scope
from kis.clubs.models import Club
from kis.lib.storage import encrypted_storage


class DocumentKind(models.TextChoices):
    """The documents a club prints; also the keys of the editable text blocks."""

    DECLARATION = "declaration", _("participation declaration")
    NOTICE = "notice", _("GDPR information notice (art. 13)")
    CONTRACT = "contract", _("social contract (club's copy)")
    PLAN = "plan", _("reintegration plan")
    ATTENDANCE = "attendance", _("attendance list")
    HOURS_CARD = "hours_card", _("hours card")
    SETTLEMENT = "settlement", _("PSU settlement")
    CERTIFICATE = "certificate", _("completion certificate")
    FILE = "file", _("participant file")


def _logo_path(instance: Letterhead | FundingLogo, filename: str) -> str:
    return f"documents/{instance.club_id}/logos/{secrets.token_hex(16)}"


class Letterhead(models.Model):
    """What a club prints at the top of its documents: logo, operator data, a project line."""

    club = models.OneToOneField(Club, on_delete=models.CASCADE, related_name="letterhead")
    logo = models.FileField(_("club logo"), upload_to=_logo_path, blank=True)
    logo_content_type = models.CharField(max_length=20, blank=True)
    show_operator_ids = models.BooleanField(_("print the operator's NIP, REGON and KRS"), default=True)
    show_contact = models.BooleanField(_("print the club's phone and e-mail"), default=True)
    project_line = models.CharField(
        _("project line"),
        max_length=300,
        blank=True,
        help_text=_("e.g. the name of an EU project the club runs in; printed under the funding logos."),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self) -> str:
        return str(self.club)

    def get_absolute_url(self) -> str:
        return reverse("documents:letterhead", args=[self.club_id])

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()


class FundingLogo(models.Model):
    """A funder's logo (ESF+, the voivodeship's programme…) printed on every document."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="funding_logos")
    image = models.FileField(_("image"), upload_to=_logo_path)
    content_type = models.CharField(max_length=20)
    label = models.CharField(
        _("description"), max_length=150, help_text=_("read by screen readers, e.g. 'European Funds for Małopolska'")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("funding logo")
        verbose_name_plural = _("funding logos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()


class TextBlock(models.Model):
    """A club's own wording of one free-text block of a document (placeholders only, no code)."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="text_blocks")
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    key = models.CharField(_("block"), max_length=32)
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("text block")
        verbose_name_plural = _("text blocks")
        ordering = ["kind", "key"]
        constraints = [models.UniqueConstraint(fields=["club", "kind", "key"], name="text_block_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key}"

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()


def _batch_path(instance: DocumentBatch, filename: str) -> str:
    return f"documents/{instance.club_id}/batches/{secrets.token_hex(16)}.zip"


class DocumentBatch(models.Model):
    """Many PDFs made in the background (a task) and downloaded as one ZIP file."""

    class Kind(models.TextChoices):
        ATTENDANCE_MONTH = "attendance_month", _("attendance lists of a month")
        CERTIFICATES_YEAR = "certificates_year", _("certificates of a year")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="document_batches")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    period = models.DateField(_("period"), help_text=_("the first day of the month or of the year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # The ZIP holds personal data (names, certificates): encrypted at rest like the case documents.
    file = models.FileField(upload_to=_batch_path, storage=encrypted_storage, blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("batch of documents")
        verbose_name_plural = _("batches of documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="batch_done_within_total", condition=Q(done__lte=F("total"))),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("documents:batch", args=[self.pk])

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()

    @property
    def period_label(self) -> str:
        if self.kind == self.Kind.CERTIFICATES_YEAR:
            return f"{self.period:%Y}"
        return f"{self.period:%m.%Y}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else (100 * self.done // self.total if self.total else 0)
