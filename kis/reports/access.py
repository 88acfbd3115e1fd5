"""Checked fetches of the reports app (style.md §3): 404 outside the scope, 403 without the role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from kis.accounts.models import Role
from kis.accounts.policy import Can, access
from kis.clubs.access import deny
from kis.lib.http import AuthenticatedHttpRequest
from kis.reports.models import AnnualReport

FIRST_YEAR = 2004  # the Social Employment Act came into force in 2004


def check_year(year: int) -> int:
    """Reports exist for past years and the current one (a draft in progress); other years answer 404."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


def get_report_for(request: AuthenticatedHttpRequest, pk: int, *, need: Can = Can.VIEW_REPORT) -> AnnualReport:
    user_access = access(request)
    report = (
        AnnualReport.objects.filter(user_access.club_q(prefix="club__"))
        .select_related("club", "club__operator", "club__gmina")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        deny(request, AnnualReport, pk, status=404)
        raise Http404
    if not user_access.can(need, report.club):
        deny(request, AnnualReport, pk, status=403)
        raise PermissionDenied
    return report


def region_of(request: AuthenticatedHttpRequest) -> list[str]:
    """The voivodeships whose reports the user reviews; 403 for everybody else."""
    codes = sorted(access(request).voivodeships(Role.VOIVODE))
    if not codes:
        deny(request, AnnualReport, "region", status=403)
        raise PermissionDenied
    return codes


def require_analyst(request: AuthenticatedHttpRequest) -> None:
    if not access(request).has_role(Role.ANALYST):
        deny(request, AnnualReport, "national", status=403)
        raise PermissionDenied


def may_read_code_lists(request: AuthenticatedHttpRequest) -> bool:
    return access(request).has_role(Role.ANALYST, Role.VOIVODE)
