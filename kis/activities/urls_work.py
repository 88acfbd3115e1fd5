from __future__ import annotations

from datetime import date

from django.urls import URLPattern, path, register_converter

from kis.activities import views_work as views


class MonthConverter:
    """``2026-02`` in a URL, the first day of that month in the view."""

    regex = r"[0-9]{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> date:
        return date(int(value[:4]), int(value[5:]), 1)

    def to_url(self, value: date) -> str:
        return f"{value.year:04d}-{value.month:02d}"


# A name of its own: register_converter refuses a name registered twice.
register_converter(MonthConverter, "work_month")

urlpatterns: list[URLPattern] = [
    path("spotkania/<int:pk>/obecnosc/", views.attendance, name="attendance"),
    path("spotkania/<int:pk>/obecnosc/<int:participant_pk>/", views.attendance_row, name="attendance_row"),
    path("kluby/<int:pk>/dzisiaj/", views.today, name="today"),
    path("kluby/<int:pk>/rozliczenie-psu/<work_month:month>/", views.settlement, name="settlement"),
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
    path("uczestnicy/<int:pk>/godziny/<int:placement_pk>/<work_month:month>/", views.hours_card, name="hours_card"),
    path("uczestnicy/<int:pk>/obecnosc/", views.participant_attendance, name="participant_attendance"),
]
