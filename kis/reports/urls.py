from __future__ import annotations

from django.urls import URLPattern, path

from kis.reports import views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("kluby/<int:pk>/sprawozdania/", views.club_reports, name="club_reports"),
    path("kluby/<int:pk>/sprawozdania/<int:year>/", views.report_detail, name="report"),
    path("kluby/<int:pk>/sprawozdania/<int:year>/edycja/", views.report_edit, name="edit"),
    path("kluby/<int:pk>/sprawozdania/<int:year>/sprawdzone/", views.report_check, name="check"),
    path("kluby/<int:pk>/sprawozdania/<int:year>/zloz/", views.report_submit, name="submit"),
    path("kluby/<int:pk>/sprawozdania/<int:year>/xlsx/", views.report_xlsx, name="xlsx"),
    path("kluby/<int:pk>/sprawozdania/<int:year>/rekordy/<str:key>/", views.report_records, name="records"),
    path("sprawozdania/<int:pk>/przyjmij/", views.report_accept, name="accept"),
    path("sprawozdania/<int:pk>/zwroc/", views.report_return, name="return"),
    path("sprawozdania/<int:pk>/wersje/<int:number>/pdf/", views.submission_pdf, name="pdf"),
    path("sprawozdania/kraj/<int:year>/", views.national, name="national"),
    path("sprawozdania/kraj/<int:year>/xlsx/", views.national_xlsx, name="national_xlsx"),
    path("sprawozdania/slowniki/", views.code_lists, name="code_lists"),
    path("sprawozdania/slowniki/<slug:slug>/nowy/", views.code_edit, name="code_add"),
    path("sprawozdania/slowniki/<slug:slug>/<int:pk>/", views.code_edit, name="code_edit"),
    path("wojewoda/sprawozdania/<int:year>/", views.region, name="region"),
    path("wojewoda/sprawozdania/<int:year>/xlsx/", views.region_xlsx, name="region_xlsx"),
    path("wojewoda/terminy-sprawozdan/", views.deadlines, name="deadlines"),
]
