"""Django's own messages that its Simplified Chinese catalog does not translate yet.

Django 5.2 reworded the minimum-length password message (``%d`` where it had
``%(min_length)d``) and its zh_Hans catalog has no translation of the new text, so a short
password was refused in English. Marking the text here puts it in this app's catalog;
gettext looks a text up in every catalog, so that translation serves Django's validator.
"""

from django.utils.translation import ngettext_lazy

UNTRANSLATED_BY_DJANGO = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
]
