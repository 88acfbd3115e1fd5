"""Login events reach the trail through the auth framework's own signals.

These are framework events (django.contrib.auth, allauth.mfa), not domain logic; receiving
them is the only way to see a failed password or TOTP.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals
from django.dispatch import receiver

from kis.audit.trail import record


@receiver(signals.user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(user, "auth.login", user)


@receiver(signals.user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, "auth.logout", user)


@receiver(signals.user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Only the identifier is kept; Django has already scrubbed the password.
    identifier = str(credentials.get("email") or credentials.get("username") or "")[:254]
    record(None, "auth.login_failed", actor_label=identifier)


@receiver(mfa_signals.authentication_failed)
def _mfa_failed(sender: Any, user: Any, reason: Any = None, **kwargs: Any) -> None:
    record(None, "auth.mfa_failed", user, actor_label=getattr(user, "email", ""))
