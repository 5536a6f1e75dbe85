from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    """Spreadsheets people send in: reading, finding columns, checking rows, uploading.

    The lowest layer of the project: every importer (regions, registry, attendance,
    experts, entrepreneurs) builds on it, and it imports none of them.
    """

    name = "sheets"
    verbose_name = _("Sheet imports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import system_checks  # noqa: F401  (registers the checks)
