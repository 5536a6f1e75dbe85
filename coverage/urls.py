from django.urls import include, path

from . import views

app_name = "coverage"

# The report pages here; the downloads and the sign-off each in their own list.
urlpatterns = [
    path("", views.report, name="report"),
    path("county/<int:pk>/", views.county_page, name="county"),
    path("town/<int:pk>/", views.town_page, name="town"),
    path("village/<int:pk>/records/", views.village_records, name="village_records"),
    path("members/<int:pk>/", views.member_page, name="member"),
    path("", include("coverage.urls_export")),
    path("signoff/", include("coverage.urls_signoff")),
    path("audit/", include("coverage.urls_audit")),
]
