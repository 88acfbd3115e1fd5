from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kis import audit
from kis.accounts.policy import access

LOGIN_AT = "kis_login_at"


class SessionLimitsMiddleware:
    """Absolute session lifetime (10 h by default); the idle limit is the cookie age."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(LOGIN_AT, now)
            if now - int(started) > settings.SESSION_ABSOLUTE_SECONDS:
                user = request.user
                logout(request)
                audit.record(user, "auth.session_expired", user)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


# Paths a user without a second factor may still open: setting it up, logging out, static.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/jezyk/")


class RequireMFAMiddleware:
    """Send staff without a second factor to set one up before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and access(request).needs_mfa
            and not Authenticator.objects.filter(
                user_id=request.user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists()
        ):
            messages.warning(request, _("Set up a second factor (an authenticator app or a passkey) to continue."))
            return redirect(reverse("mfa_index"))
        return self.get_response(request)
