from __future__ import annotations

from django.urls import path

from kis.contracts import views

app_name = "contracts"
urlpatterns = [
    path("uczestnicy/<int:pk>/kontrakty/", views.contract_list, name="list"),
    path("uczestnicy/<int:pk>/plan/", views.plan_view, name="plan"),
    path("uczestnicy/<int:pk>/plan/edycja/", views.plan_edit, name="plan_edit"),
    path("uczestnicy/<int:pk>/plan/przeglad/", views.plan_review, name="plan_review"),
    path("kontrakty/<int:pk>/", views.contract_detail, name="detail"),
    path("kontrakty/<int:pk>/podpisz/", views.contract_sign, name="sign"),
    path("kontrakty/<int:pk>/aneks/", views.contract_amend, name="amend"),
    path("kontrakty/<int:pk>/zakoncz/", views.contract_close, name="close"),
    path("kontrakty/<int:pk>/klauzule/", views.clause_add, name="clause_add"),
    path("kontrakty/<int:pk>/klauzule/<int:clause_pk>/wykonane/", views.clause_done, name="clause_done"),
    path("skierowani/", views.referred, name="referred"),
]
