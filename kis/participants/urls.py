from __future__ import annotations

from django.urls import path

from kis.participants import views

app_name = "participants"
urlpatterns = [
    path("kluby/<int:pk>/uczestnicy/", views.participant_list, name="list"),
    path("kluby/<int:pk>/uczestnicy/nowy/", views.participant_create, name="create"),
    path("kluby/<int:pk>/obciazenie/", views.caseload, name="caseload"),
    path("uczestnicy/<int:pk>/", views.participant_detail, name="detail"),
    path("uczestnicy/<int:pk>/edycja/", views.participant_edit, name="edit"),
    path("uczestnicy/<int:pk>/pesel/", views.pesel_reveal, name="pesel"),
    path("uczestnicy/<int:pk>/dane-szczegolne/", views.special_data, name="special"),
    path("uczestnicy/<int:pk>/dane-szczegolne/edycja/", views.special_data_edit, name="special_edit"),
    path("uczestnicy/<int:pk>/przyjecie/", views.participant_admit, name="admit"),
    path("uczestnicy/<int:pk>/zgody/", views.consent_add, name="consent_add"),
    path("uczestnicy/<int:pk>/zgody/<int:consent_pk>/wycofaj/", views.consent_withdraw, name="consent_withdraw"),
    path("uczestnicy/<int:pk>/domownicy/", views.household_add, name="household_add"),
    path("uczestnicy/<int:pk>/notatki/", views.note_list, name="notes"),
    path("uczestnicy/<int:pk>/dokumenty/", views.document_list, name="documents"),
    path("uczestnicy/<int:pk>/dokumenty/<int:document_pk>/", views.document_download, name="document_download"),
    path("uczestnicy/<int:pk>/zakonczenie/", views.exit_view, name="exit"),
    path("uczestnicy/<int:pk>/zaswiadczenie/", views.certificate_view, name="certificate"),
    path("uczestnicy/<int:pk>/monitoring/<int:follow_up_pk>/", views.follow_up_record, name="follow_up"),
]
