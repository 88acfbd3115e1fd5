from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kis.audit"
    verbose_name = _("audit trail")

    def ready(self) -> None:
        from kis.audit import auth_events  # noqa: F401  (connects the login-event receivers)
