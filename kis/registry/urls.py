from __future__ import annotations

from django.urls import URLPattern, path, re_path

from kis.registry import public, views

app_name = "registry"

urlpatterns: list[URLPattern] = [
    # Public: the register and its open data (no login).
    path("rejestr/", public.register, name="public"),
    path("rejestr/dane.csv", public.open_csv, name="open_csv"),
    path("rejestr/dane.json", public.open_json, name="open_json"),
    re_path(rf"^rejestr/(?P<slug>{public.SLUG_PATTERN})/$", public.register, name="public_voivodeship"),
    # Those who notify: the club's leader, the operator admin.
    path("rejestr/zgloszenia/", views.notifications, name="notifications"),
    path("podmioty/<int:pk>/zgloszenie-klubu/", views.notify_new, name="notify_new"),
    path("kluby/<int:pk>/rejestr/", views.club_register, name="club"),
    path("kluby/<int:pk>/rejestr/zgloszenie/", views.notify_club, name="notify_club"),
    path("kluby/<int:pk>/rejestr/zmiana/", views.notify_change, name="notify_change"),
    path("kluby/<int:pk>/rejestr/zaprzestanie/", views.notify_cessation, name="notify_cessation"),
    # One notification: both sides.
    path("rejestr/zgloszenia/<int:pk>/", views.notification_detail, name="notification"),
    path("rejestr/zgloszenia/<int:pk>/akt/", views.notification_act, name="notification_act"),
    path("rejestr/zgloszenia/<int:pk>/poprawa/", views.notification_edit, name="notification_edit"),
    path("rejestr/zgloszenia/<int:pk>/wpis/", views.notification_enter, name="notification_enter"),
    path("rejestr/zgloszenia/<int:pk>/poprawki/", views.notification_corrections, name="notification_corrections"),
    path("rejestr/zgloszenia/<int:pk>/zmiana/", views.notification_record, name="notification_record"),
    path("rejestr/zgloszenia/<int:pk>/wykreslenie/", views.notification_strike_off, name="notification_strike_off"),
    # Entries.
    path("rejestr/wpisy/<int:pk>/", views.entry_detail, name="entry"),
    path("rejestr/wpisy/<int:pk>/wykreslenie/", views.entry_strike_off, name="entry_strike_off"),
    # The voivode officer's desk.
    path("rejestr/wojewoda/", views.inbox, name="inbox"),
    path("rejestr/wojewoda/wpisy/", views.entries, name="entries"),
    path("rejestr/wojewoda/wpisy.xlsx", views.entries_xlsx, name="entries_xlsx"),
    path("rejestr/wojewoda/numeracja/", views.numbering, name="numbering"),
    path("rejestr/wojewoda/import/", views.import_upload, name="import"),
    path("rejestr/wojewoda/import/wzor.xlsx", views.import_template, name="import_template"),
    path("rejestr/wojewoda/import/<int:pk>/", views.import_batch, name="import_batch"),
]
