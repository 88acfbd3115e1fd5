from __future__ import annotations

from django.urls import URLPattern, path

from kis.documents import views
from kis.lib import converters  # noqa: F401 (registers <month:…>)

app_name = "documents"


urlpatterns: list[URLPattern] = [
    path("uczestnicy/<int:pk>/dokumenty-pdf/<slug:kind>/", views.participant_document, name="participant"),
    path("spotkania/<int:pk>/lista-obecnosci.pdf", views.session_list, name="session_list"),
    path("zajecia/<int:pk>/lista-obecnosci/<month:month>/", views.activity_month, name="activity_month"),
    path(
        "uczestnicy/<int:pk>/godziny/<int:placement_pk>/<month:month>/karta.pdf",
        views.hours_card,
        name="hours_card",
    ),
    path("kluby/<int:pk>/rozliczenie-psu/<month:month>/pdf/", views.settlement, name="settlement"),
    path("kluby/<int:pk>/papier-firmowy/", views.letterhead, name="letterhead"),
    path("kluby/<int:pk>/wzory/", views.template_list, name="templates"),
    path("kluby/<int:pk>/wzory/<slug:kind>/<slug:key>/", views.template_edit, name="template_edit"),
    path("kluby/<int:pk>/paczki/", views.batch_list, name="batches"),
    path("paczki/<int:pk>/", views.batch_detail, name="batch"),
    path("paczki/<int:pk>/pobierz/", views.batch_download, name="batch_download"),
    path("zaswiadczenia/sprawdz/", views.verify, name="verify"),
]
