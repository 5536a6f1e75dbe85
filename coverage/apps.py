from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = _("Training coverage")

    def ready(self):
        from .checks import check_vocabulary_settings

        checks.register(check_vocabulary_settings)
