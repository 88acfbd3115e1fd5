"""Multi-model workflows of the clubs app: inviting and removing staff."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kis import audit
from kis.accounts.models import Grant, User
from kis.clubs.models import Club

logger = logging.getLogger(__name__)


def _send(subject: str, body: str, to: str) -> None:
    """The grant is saved already: a mail server failure is logged, not shown as an error page."""
    try:
        send_mail(subject, body, None, [to])
    except (OSError, smtplib.SMTPException):
        logger.exception("invitation e-mail to %s not sent", to)


@dataclass(frozen=True)
class Invitation:
    grant: Grant
    created_user: bool


def invitation_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:accept_invitation", args=[uid, token])


@transaction.atomic
def invite_staff(*, club: Club, email: str, full_name: str, role: str, title: str, by: User) -> Invitation:
    """Give ``email`` a role in ``club``, creating the account if needed, and e-mail them."""
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
        audit.record(by, "user.invited", user, club_id=club.pk)
    grant, _ = Grant.objects.get_or_create(
        user=user, role=role, club=club, revoked_at=None, defaults={"title": title, "created_by": by}
    )
    audit.record(by, "grant.created", grant, role=role, user_id=user.pk, title=title)
    context = {
        "club": club,
        "role": grant.get_role_display(),
        "inviter": by,
        "url": invitation_url(user) if not user.has_usable_password() else settings.SITE_URL,
        "new_account": not user.has_usable_password(),
    }
    subject = render_to_string("clubs/email/invitation_subject.txt", context).strip()
    body = render_to_string("clubs/email/invitation.txt", context)
    transaction.on_commit(lambda: _send(subject, body, user.email))
    return Invitation(grant=grant, created_user=created)
