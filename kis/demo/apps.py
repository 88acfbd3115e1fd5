from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for every app. It sits above all apps (like reports and api) and nothing imports it."""

    name = "kis.demo"
    verbose_name = _("demo data")
