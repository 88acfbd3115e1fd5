"""Links to the PDFs, for the pages of the other apps: ``{% load documents_links %}{% participant_pdfs participant %}``.

Each tag shows its links only to users who may print there, so a page can include it unconditionally.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kis.accounts.policy import Can, access

register = template.Library()


def _can(context: dict[str, Any], capability: Can, club: Any) -> bool:
    request = context.get("request")
    return request is not None and club is not None and access(request).can(capability, club)


@register.inclusion_tag("documents/links/participant.html", takes_context=True)
def participant_pdfs(context: dict[str, Any], participant: Any) -> dict[str, Any]:
    """Declaration, notice, contract, plan, certificate and the whole file of one participant."""
    return {
        "participant": participant,
        "show": _can(context, Can.PRINT_DOCUMENTS, participant.club),
        "has_certificate": hasattr(participant, "certificate"),
    }


@register.inclusion_tag("documents/links/one.html", takes_context=True)
def contract_pdf(context: dict[str, Any], contract: Any, participant: Any) -> dict[str, Any]:
    return {
        "show": _can(context, Can.PRINT_DOCUMENTS, participant.club) and contract.status != "draft",
        "href": reverse("documents:participant", args=[participant.pk, "kontrakt"]) + f"?kontrakt={contract.pk}",
        "text": _("Print the contract (PDF)"),
    }


@register.inclusion_tag("documents/links/one.html", takes_context=True)
def plan_pdf(context: dict[str, Any], participant: Any, plan: Any) -> dict[str, Any]:
    return {
        "show": plan is not None and _can(context, Can.PRINT_DOCUMENTS, participant.club),
        "href": reverse("documents:participant", args=[participant.pk, "plan"]),
        "text": _("Print the plan (PDF)"),
    }


@register.inclusion_tag("documents/links/one.html", takes_context=True)
def certificate_pdf(context: dict[str, Any], participant: Any) -> dict[str, Any]:
    return {
        "show": _can(context, Can.PRINT_DOCUMENTS, participant.club),
        "href": reverse("documents:participant", args=[participant.pk, "zaswiadczenie"]),
        "text": _("Print the certificate (PDF)"),
    }


@register.inclusion_tag("documents/links/one.html", takes_context=True)
def session_pdf(context: dict[str, Any], session: Any) -> dict[str, Any]:
    return {
        "show": _can(context, Can.TAKE_ATTENDANCE, session.activity.club),
        "href": reverse("documents:session_list", args=[session.pk]),
        "text": _("Print the attendance list (PDF)"),
    }


@register.inclusion_tag("documents/links/activity.html", takes_context=True)
def activity_pdfs(context: dict[str, Any], activity: Any) -> dict[str, Any]:
    """The monthly attendance lists of this month and of the month before."""
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month.replace(day=1) - date.resolution).replace(day=1)
    return {
        "show": _can(context, Can.TAKE_ATTENDANCE, activity.club),
        "activity": activity,
        "months": [last_month, this_month],
    }


@register.inclusion_tag("documents/links/one.html", takes_context=True)
def hours_card_pdf(context: dict[str, Any], participant: Any, placement: Any, month: date) -> dict[str, Any]:
    return {
        "show": _can(context, Can.MANAGE_HOURS, participant.club),
        "href": reverse("documents:hours_card", args=[participant.pk, placement.pk, month]),
        "text": _("Print the hours card (PDF)"),
    }


@register.inclusion_tag("documents/links/one.html", takes_context=True)
def settlement_pdf(context: dict[str, Any], club: Any, month: date) -> dict[str, Any]:
    return {
        "show": _can(context, Can.MANAGE_HOURS, club),
        "href": reverse("documents:settlement", args=[club.pk, month]),
        "text": _("Print the settlement (PDF)"),
    }


@register.inclusion_tag("documents/links/club.html", takes_context=True)
def club_document_links(context: dict[str, Any], club: Any) -> dict[str, Any]:
    """Letterhead and texts (leader), batches (who prints documents), on the club page."""
    return {
        "club": club,
        "can_edit": _can(context, Can.EDIT_TEMPLATES, club),
        "can_print": _can(context, Can.PRINT_DOCUMENTS, club),
    }
