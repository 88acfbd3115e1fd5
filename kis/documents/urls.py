from __future__ import annotations

from datetime import date

from django.urls import URLPattern, path, register_converter

from kis.documents import views

app_name = "documents"


class MonthConverter:
    """``2026-02`` in a URL, the first day of that month in the view."""

    regex = r"[0-9]{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> date:
        return date(int(value[:4]), int(value[5:]), 1)

    def to_url(self, value: date) -> str:
        return f"{value.year:04d}-{value.month:02d}"


# A name of its own: register_converter refuses a name registered twice.
register_converter(MonthConverter, "doc_month")

urlpatterns: list[URLPattern] = [
    path("uczestnicy/<int:pk>/dokumenty-pdf/<slug:kind>/", views.participant_document, name="participant"),
    path("spotkania/<int:pk>/lista-obecnosci.pdf", views.session_list, name="session_list"),
    path("zajecia/<int:pk>/lista-obecnosci/<doc_month:month>/", views.activity_month, name="activity_month"),
    path(
        "uczestnicy/<int:pk>/godziny/<int:placement_pk>/<doc_month:month>/karta.pdf",
        views.hours_card,
        name="hours_card",
    ),
    path("kluby/<int:pk>/rozliczenie-psu/<doc_month:month>/pdf/", views.settlement, name="settlement"),
    path("kluby/<int:pk>/papier-firmowy/", views.letterhead, name="letterhead"),
    path("kluby/<int:pk>/wzory/", views.template_list, name="templates"),
    path("kluby/<int:pk>/wzory/<slug:kind>/<slug:key>/", views.template_edit, name="template_edit"),
    path("kluby/<int:pk>/paczki/", views.batch_list, name="batches"),
    path("paczki/<int:pk>/", views.batch_detail, name="batch"),
    path("paczki/<int:pk>/pobierz/", views.batch_download, name="batch_download"),
    path("zaswiadczenia/sprawdz/", views.verify, name="verify"),
]
