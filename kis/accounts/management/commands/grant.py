from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kis import audit
from kis.accounts.models import Grant, Role, User


class Command(BaseCommand):
    help = (
        "Give a user a role in a scope, creating the account if needed (for the first operator admin, "
        "voivode officers and ministry analysts, who have nobody above them in the application)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--name", default="", help="full name for a new account")
        parser.add_argument("--club", type=int, help="club id (leader, staff, desk, partner)")
        parser.add_argument("--operator", type=int, help="operator id (operator, dpo)")
        parser.add_argument("--voivodeship", default="", help="TERYT code 02..32 (voivode)")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=options["name"] or email)
            audit.record(None, "user.created", user, actor_label="kis grant")
        grant = Grant(
            user=user,
            role=options["role"],
            club_id=options["club"],
            operator_id=options["operator"],
            voivodeship=options["voivodeship"],
        )
        try:
            grant.full_clean()
        except Exception as error:
            raise CommandError(str(error)) from error
        grant.save()
        audit.record(None, "grant.created", grant, actor_label="kis grant", role=grant.role, user_id=user.pk)
        self.stdout.write(f"{user.email}: {grant.get_role_display()} ({grant.scope_label})")
        if not user.has_usable_password():
            self.stdout.write("No password yet: use 'Forgot password' on the login page.")
