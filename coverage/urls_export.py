"""The report's downloads, included by coverage.urls."""

from django.urls import path

from . import export_views

urlpatterns = [
    path("export/", export_views.export_report, name="export"),
    path(
        "village/<int:pk>/records/export/",
        export_views.export_village_records,
        name="village_records_export",
    ),
]
