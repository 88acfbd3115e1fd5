"""The club's staff register (kadra): who works in the club, on what basis and for how many hours.

Everyone who may see the staff list reads it; the leader and the operator admin keep it.
The annual report counts it (art. 18a ust. 6 pkt 1 u.z.s.).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kis.accounts.decorators import scoped
from kis.accounts.models import Grant, User
from kis.accounts.policy import Can, access
from kis.clubs.access import get_club_for, get_in_club
from kis.clubs.forms_staff_register import StaffMemberForm
from kis.clubs.models import Club, StaffMember
from kis.lib.forms import CONFLICT_MESSAGE, Conflict
from kis.lib.http import AuthenticatedHttpRequest


def _accounts(club: Club) -> list[User]:
    """Accounts with a grant in the club, offered as the staff member's login."""
    ids = Grant.objects.active().filter(club=club).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("full_name"))


@scoped
def staff_register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = Can.MANAGE_STAFF if request.method == "POST" else Can.VIEW_STAFF
    club = get_club_for(request, pk, need=need)
    can_manage = access(request).can(Can.MANAGE_STAFF, club)
    form = StaffMemberForm(request.POST or None, club=club, people=_accounts(club) if can_manage else [])
    if request.method == "POST" and form.is_valid():
        form.save_audited("staff_member.created", by=request.user)
        messages.success(request, _("Staff member added."))
        return redirect("clubs:staff_register", pk=club.pk)
    context = {
        "club": club,
        "members": StaffMember.objects.filter(club=club).select_related("user"),
        "form": form if can_manage else None,
        "can_manage": can_manage,
    }
    return render(request, "clubs/staff_register.html", context, status=400 if form.errors else 200)


@scoped
def staff_register_edit(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_STAFF)
    member = get_in_club(request, StaffMember, club, member_pk)
    form = StaffMemberForm(request.POST or None, instance=member, club=club, people=_accounts(club))
    if request.method == "POST" and form.is_valid():
        try:
            form.save_audited("staff_member.updated", by=request.user)
        except Conflict:
            form.add_error(None, CONFLICT_MESSAGE)
        else:
            messages.success(request, _("Staff member saved."))
            return redirect("clubs:staff_register", pk=club.pk)
    status = 409 if form.non_field_errors() else 400 if form.errors else 200
    return render(
        request, "clubs/staff_register_edit.html", {"club": club, "member": member, "form": form}, status=status
    )
