"""The personal-data audit log (who saw whose record, when), included by coverage.urls
under ``audit/``."""

urlpatterns = []
