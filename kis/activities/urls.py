from __future__ import annotations

from kis.activities.urls_schedule import urlpatterns as schedule
from kis.activities.urls_work import urlpatterns as work

app_name = "activities"
urlpatterns = [*schedule, *work]
