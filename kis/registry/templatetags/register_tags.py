"""Register snippets shown on other apps' pages: the club's status and the dashboard tile."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from kis.accounts.models import Role
from kis.accounts.policy import CLUB_CAPABILITIES, Can, access
from kis.registry.models import Notification, RegisterEntry

register = template.Library()

AWAITING = [Notification.State.RECEIVED, Notification.State.RESUBMITTED]


@register.inclusion_tag("registry/club_status.html", takes_context=True)
def club_register_status(context: dict[str, Any], club: Any) -> dict[str, Any]:
    user_access = access(context["request"])
    entry = RegisterEntry.objects.filter(club=club).only("number", "entered_on", "struck_off_on").first()
    can_register = user_access.can(Can.NOTIFY_REGISTER, club) or user_access.can(Can.KEEP_REGISTER, club)
    return {"club": club, "entry": entry, "can_register": can_register}


@register.inclusion_tag("registry/dashboard.html", takes_context=True)
def register_dashboard(context: dict[str, Any]) -> dict[str, Any]:
    user_access = access(context["request"])
    today = timezone.localdate()
    summary: dict[str, Any] = {}
    if user_access.has_role(Role.VOIVODE):
        awaiting = Q(state__in=AWAITING)
        summary["keeper"] = Notification.objects.filter(
            user_access.club_q(prefix="club__", roles=frozenset({Role.VOIVODE}))
        ).aggregate(
            open=Count("pk", filter=awaiting),
            overdue=Count("pk", filter=awaiting & Q(deadline__lt=today)),
            soon=Count("pk", filter=awaiting & Q(deadline__gte=today, deadline__lte=today + timedelta(days=7))),
        )
    if user_access.has_role(*CLUB_CAPABILITIES[Can.NOTIFY_REGISTER]):
        summary["notifier"] = Notification.objects.filter(
            user_access.club_q(prefix="club__", roles=CLUB_CAPABILITIES[Can.NOTIFY_REGISTER])
        ).aggregate(
            open=Count("pk", filter=~Q(state=Notification.State.RECORDED)),
            corrections=Count("pk", filter=Q(state=Notification.State.CORRECTIONS)),
        )
    return {"summary": summary}
