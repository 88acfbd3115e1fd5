from __future__ import annotations

from django.urls import include, path

from kis.clubs import views as club_views

urlpatterns = [
    path("", club_views.dashboard, name="dashboard"),
    path("", include("kis.accounts.urls")),
    path("", include("kis.clubs.urls")),
    path("", include("kis.participants.urls")),
    path("", include("kis.contracts.urls")),
    path("", include("kis.activities.urls")),
    path("", include("kis.registry.urls")),
    path("", include("kis.documents.urls")),
    path("", include("kis.reports.urls")),
    path("accounts/", include("allauth.urls")),
]

handler400 = "kis.lib.errors.bad_request"
handler403 = "kis.lib.errors.permission_denied"
handler404 = "kis.lib.errors.page_not_found"
handler500 = "kis.lib.errors.server_error"
