"""Writing to and checking the audit trail.

Two entry points, both explicit and inside the caller's transaction (style.md example 6):
``record(by, action, target, **details)`` and ``save_form(form, action, by=...)``.
Special-category values never reach ``details``: objects name such fields in
``AUDIT_REDACTED_FIELDS`` and only the fact that they changed is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from kis.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from kis.audit.scope import Scope
from kis.lib import context

if TYPE_CHECKING:
    from django import forms

REDACTED = "[redacted]"


def scope_of(target: object) -> Scope:
    """Objects tell their scope through ``audit_scope()``; others have none."""
    method = getattr(target, "audit_scope", None)
    return method() if callable(method) else Scope()


def _actor_fields(by: Any) -> tuple[int | None, str]:
    if by is None or not getattr(by, "is_authenticated", False):
        return None, ""
    return by.pk, getattr(by, "email", "")


def record(
    by: Any,
    action: str,
    target: models.Model | None = None,
    *,
    scope: Scope | None = None,
    actor_label: str = "",
    **details: Any,
) -> AuditEvent:
    """Append one event to the chain. Call it inside the transaction of the change."""
    actor_id, label = _actor_fields(by)
    scope = scope or scope_of(target)
    request = context.current()
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor_id=actor_id,
            actor_label=actor_label or label,
            action=action,
            club_id=scope.club_id,
            operator_id=scope.operator_id,
            voivodeship=scope.voivodeship,
            target_type=target._meta.label if target is not None else "",
            target_id=str(target.pk) if target is not None and target.pk is not None else "",
            target_label=str(target)[:200] if target is not None else "",
            details=details,
            ip=request.ip,
            request_id=request.request_id,
            prev_hash=head.hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def changes(form: forms.ModelForm[Any]) -> dict[str, Any]:
    """Field → [old, new] for the form's changed fields, redacting special-category fields."""
    redacted = set(getattr(form._meta.model, "AUDIT_REDACTED_FIELDS", ()))
    result: dict[str, Any] = {}
    for name in form.changed_data:
        if name in redacted:
            result[name] = REDACTED
            continue
        old = form.initial.get(name)
        new = form.cleaned_data.get(name)
        result[name] = [_plain(old), _plain(new)]
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def save_form(form: forms.ModelForm[Any], action: str, *, by: Any) -> Any:
    """Save a valid ModelForm and record what changed, atomically."""
    with transaction.atomic():
        instance = form.save()
        record(by, action, instance, changes=changes(form))
    return instance


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify(*, chunk_size: int = 2000) -> Iterator[Break]:
    """Yield every place where the chain is broken: a changed row, a gap, a wrong link."""
    previous_hash = GENESIS_HASH
    previous_seq: int | None = None
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size)
    for event in events:
        if previous_seq is not None and event.seq != previous_seq + 1:
            yield Break(event.seq, f"missing events {previous_seq + 1}..{event.seq - 1}")
        if previous_seq is None and event.seq != 1:
            # Older events may have been purged by retention; trust the first stored link.
            previous_hash = event.prev_hash
        if event.prev_hash != previous_hash:
            yield Break(event.seq, "link to the previous event does not match")
        if event.compute_hash() != event.hash:
            yield Break(event.seq, "content does not match its hash")
        previous_hash, previous_seq = event.hash, event.seq
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and previous_seq is not None and head.seq != previous_seq:
        yield Break(head.seq, "events after the last stored one are missing")
    if head is not None and head.seq > 0 and previous_seq is None:
        yield Break(head.seq, "all events are missing")
