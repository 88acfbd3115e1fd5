from __future__ import annotations

from django.urls import path

from kis.accounts import views

app_name = "accounts"
urlpatterns = [
    path("zaproszenie/<str:uidb64>/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("jezyk/", views.set_language, name="set_language"),
]
