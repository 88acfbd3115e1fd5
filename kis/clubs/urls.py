from __future__ import annotations

from django.urls import path

from kis.clubs import views, views_staff_register

app_name = "clubs"
urlpatterns = [
    path("kluby/<int:pk>/", views.club_detail, name="detail"),
    path("kluby/<int:pk>/edycja/", views.club_edit, name="edit"),
    path("kluby/<int:pk>/pracownicy/", views.staff_list, name="staff"),
    path("kluby/<int:pk>/pracownicy/zapros/", views.staff_invite, name="staff_invite"),
    path("kluby/<int:pk>/pracownicy/<int:grant_pk>/usun/", views.staff_remove, name="staff_remove"),
    path("kluby/<int:pk>/sale/", views.room_list, name="rooms"),
    path("kluby/<int:pk>/sale/<int:room_pk>/", views.room_edit, name="room_edit"),
    path("kluby/<int:pk>/stanowiska/nowe/", views.station_add, name="station_add"),
    path("kluby/<int:pk>/stanowiska/<int:station_pk>/", views.station_edit, name="station_edit"),
    path("podmioty/<int:pk>/", views.operator_detail, name="operator_detail"),
    path("podmioty/<int:pk>/edycja/", views.operator_edit, name="operator_edit"),
    path("podmioty/<int:pk>/kluby/nowy/", views.club_create, name="club_create"),
    path("teryt/gminy/", views.gmina_search, name="gmina_search"),
    path("audyt/", views.audit_log, name="audit_log"),
    path("kluby/<int:pk>/kadra/", views_staff_register.staff_register, name="staff_register"),
    path("kluby/<int:pk>/kadra/<int:member_pk>/", views_staff_register.staff_register_edit, name="staff_register_edit"),
]
