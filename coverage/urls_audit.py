"""The personal-data audit log (who saw whose record, when), included by coverage.urls
under ``audit/``."""

from django.urls import path

from . import audit_views

urlpatterns = [
    path("", audit_views.audit_log, name="audit_log"),
]
