from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kis import audit
from kis.accounts.decorators import public
from kis.accounts.forms import AcceptInvitationForm
from kis.accounts.models import User


def _invited_user(uidb64: str, token: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@public
def accept_invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _invited_user(uidb64, token)
    if user is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.method == "POST":
        form = AcceptInvitationForm(user, request.POST)
        if form.is_valid():
            with transaction.atomic():
                form.save()
                audit.record(user, "user.invitation_accepted", user)
            messages.success(request, _("Your password is set. Log in, then set up your second factor."))
            return redirect("account_login")
    else:
        form = AcceptInvitationForm(user)
    return render(request, "accounts/accept_invitation.html", {"form": form, "invited": user})


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)
