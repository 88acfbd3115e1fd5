"""Report snippets shown on other apps' pages: the dashboard notice and the club page's links."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils import timezone

from kis.accounts.models import Role
from kis.accounts.policy import Can, access
from kis.reports.models import AnnualReport
from kis.reports.services import deadline_settings

register = template.Library()

TEAM = frozenset({Role.LEADER, Role.STAFF})


@register.inclusion_tag("reports/dashboard.html", takes_context=True)
def report_dashboard(context: dict[str, Any]) -> dict[str, Any]:
    """Last year's report of each of the user's clubs, with a notice when its deadline is near or past.

    Two queries for club teams (reports, deadlines); none for the others.
    """
    user_access = access(context["request"])
    today = timezone.localdate()
    year = today.year - 1
    board = context.get("board")
    cards = [card for card in getattr(board, "clubs", []) if card.roles & TEAM]
    rows = []
    if cards:
        clubs = [card.club for card in cards]
        reports = {
            r.club_id: r
            for r in AnnualReport.objects.filter(club__in=[c.pk for c in clubs], year=year).only(
                "pk", "club_id", "year", "state", "submission_count"
            )
        }
        settings = deadline_settings(c.voivodeship for c in clubs)
        for card in cards:
            club = card.club
            report = reports.get(club.pk)
            setting = settings[club.voivodeship]
            deadline = setting.for_year(year)
            done = report is not None and report.is_counted
            rows.append(
                {
                    "club": club,
                    "report": report,
                    "deadline": deadline,
                    "days_left": (deadline - today).days,
                    "late": not done and today > deadline,
                    "soon": not done and deadline - timedelta(days=setting.remind_days) <= today <= deadline,
                    "is_leader": Role.LEADER in card.roles,
                }
            )
    return {
        "year": year,
        "rows": rows,
        "voivode": user_access.has_role(Role.VOIVODE),
        "analyst": user_access.has_role(Role.ANALYST),
    }


@register.inclusion_tag("reports/club_links.html", takes_context=True)
def club_report_links(context: dict[str, Any], club: Any) -> dict[str, Any]:
    user_access = access(context["request"])
    return {
        "club": club,
        "can_view_reports": user_access.can(Can.VIEW_REPORT, club),
        "can_view_staff": user_access.can(Can.VIEW_STAFF, club),
    }
