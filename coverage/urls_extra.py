"""The report's export and the counties' sign-off, included by coverage.urls."""

from django.urls import path

from . import export_views, signoff_views

urlpatterns = [
    path("export/", export_views.export_report, name="export"),
    path("signoff/", signoff_views.submission_list, name="signoff_list"),
    path("signoff/submit/", signoff_views.submit_figures, name="signoff_submit"),
    path("signoff/<int:pk>/", signoff_views.submission_detail, name="signoff_detail"),
    path("signoff/<int:pk>/review/", signoff_views.review, name="signoff_review"),
]
