"""System checks: the coverage settings must name registry words as they are stored.

``RegistryMember.objects.eligible()`` compares these settings with stored values
exactly, so an old or differently spelled word would silently count no one; the check
stops start-up instead.
"""

from django.conf import settings
from django.core.checks import Error
from django.utils.translation import gettext as _

from .vocabulary import (
    LABOUR_CATEGORY_WORDS,
    WORK_STATUS_WORDS,
    canonical_labour_category,
    canonical_work_status,
)

# Each setting, how to read its values, and the national words to list when one is unknown.
VOCABULARY_SETTINGS = [
    ("COVERAGE_CAPACITY_CATEGORIES", canonical_labour_category, LABOUR_CATEGORY_WORDS),
    ("COVERAGE_MIGRANT_STATUSES", canonical_work_status, WORK_STATUS_WORDS),
]


def check_vocabulary_settings(app_configs=None, **kwargs):
    errors = []
    for name, canonical, words in VOCABULARY_SETTINGS:
        for value in getattr(settings, name):
            word = canonical(value)
            if word is None:
                errors.append(
                    Error(
                        _("%(setting)s: “%(value)s” is not a word of the registry.")
                        % {"setting": name, "value": value},
                        hint=_("Use the national system's words: %(words)s.")
                        % {"words": "、".join(words)},
                        id="coverage.E001",
                    )
                )
            elif word != value:
                if word:
                    hint = _("Write “%(word)s” instead.") % {"word": word}
                else:
                    hint = _("The national system leaves this blank: write an empty value.")
                errors.append(
                    Error(
                        _("%(setting)s: “%(value)s” is not how the national system writes it.")
                        % {"setting": name, "value": value},
                        hint=hint,
                        id="coverage.E002",
                    )
                )
    return errors
