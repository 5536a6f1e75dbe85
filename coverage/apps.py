from django.apps import AppConfig
from django.core import checks
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = _("Training coverage")

    def ready(self):
        from .checks import check_vocabulary_settings

        checks.register(check_vocabulary_settings)
        post_migrate.connect(_install_triggers, sender=self)


def _install_triggers(using, **kwargs):
    """The report cache's triggers (coverage.freshness): SQLite loses a table's when a
    migration remakes the table."""
    from .freshness import install_triggers

    install_triggers(connections[using])
