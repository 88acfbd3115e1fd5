from __future__ import annotations

from django.urls import URLPattern, path

from kis.activities import views_work as views
from kis.lib import converters  # noqa: F401 (registers <month:…>)

urlpatterns: list[URLPattern] = [
    path("spotkania/<int:pk>/obecnosc/", views.attendance, name="attendance"),
    path("spotkania/<int:pk>/obecnosc/<int:participant_pk>/", views.attendance_row, name="attendance_row"),
    path("kluby/<int:pk>/dzisiaj/", views.today, name="today"),
    path("kluby/<int:pk>/rozliczenie-psu/<month:month>/", views.settlement, name="settlement"),
    path("kluby/<int:pk>/stanowiska/", views.stations, name="stations"),
    path(
        "kluby/<int:pk>/stanowiska/rezerwacje/<int:booking_pk>/wejscie/",
        views.station_check_in,
        name="station_check_in",
    ),
    path(
        "kluby/<int:pk>/stanowiska/rezerwacje/<int:booking_pk>/wyjscie/",
        views.station_check_out,
        name="station_check_out",
    ),
    path("uczestnicy/<int:pk>/godziny/", views.placements, name="placements"),
    path("uczestnicy/<int:pk>/godziny/<int:placement_pk>/<month:month>/", views.hours_card, name="hours_card"),
    path("uczestnicy/<int:pk>/obecnosc/", views.participant_attendance, name="participant_attendance"),
]
