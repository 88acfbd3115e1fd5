from __future__ import annotations

from django.urls import URLPattern, path

from kis.activities import views_schedule as views

urlpatterns: list[URLPattern] = [
    path("kluby/<int:pk>/zajecia/", views.catalogue, name="catalogue"),
    path("zajecia/<int:pk>/", views.activity_detail, name="detail"),
    path("zajecia/<int:pk>/edycja/", views.activity_edit, name="edit"),
    path("zajecia/<int:pk>/zapisy/", views.enrol, name="enrol"),
    path("zajecia/<int:pk>/zapisy/<int:participant_pk>/wypisz/", views.unenrol, name="unenrol"),
    path("zajecia/<int:pk>/spotkania/nowe/", views.session_create, name="session_create"),
    path("spotkania/<int:pk>/odwolaj/", views.session_cancel, name="session_cancel"),
    path("kluby/<int:pk>/harmonogram/", views.schedule_week, name="schedule"),
    path("kluby/<int:pk>/harmonogram/miesiac/", views.schedule_month, name="schedule_month"),
    path("kluby/<int:pk>/konsultacje/", views.appointment_list, name="appointments"),
    path("konsultacje/<int:pk>/", views.appointment_detail, name="appointment"),
    path("kluby/<int:pk>/kalendarz/", views.feed_list, name="feeds"),
    path("kluby/<int:pk>/kalendarz/<int:feed_pk>/uniewaznij/", views.feed_revoke, name="feed_revoke"),
    path("ical/<slug:token>.ics", views.ical, name="ical"),
]
