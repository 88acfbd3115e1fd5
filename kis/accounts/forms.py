from __future__ import annotations

from django.contrib.auth.forms import SetPasswordForm


class AcceptInvitationForm(SetPasswordForm):  # type: ignore[type-arg]
    """Choose a password for an invited account (Django's password rules apply)."""
