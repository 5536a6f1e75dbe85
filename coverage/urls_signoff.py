"""The counties' sign-off (审核), included by coverage.urls under ``signoff/``."""

from django.urls import path

from . import signoff_views

urlpatterns = [
    path("", signoff_views.submission_list, name="signoff_list"),
    path("submit/", signoff_views.submit_figures, name="signoff_submit"),
    path("<int:pk>/", signoff_views.submission_detail, name="signoff_detail"),
    path("<int:pk>/review/", signoff_views.review, name="signoff_review"),
    path("<int:pk>/export/", signoff_views.export_approved, name="signoff_export"),
]
