from django.utils.translation import gettext_lazy

from coverage.registry_import import LAYOUT, import_registry
from sheets.commands import SheetImportCommand


class Command(SheetImportCommand):
    what = gettext_lazy(
        "Import the poverty registry (建档立卡): the national system's export as it comes, "
        "one county or several per file, or the nine-column sheet. Members are known by "
        "ID-card number (18 digits, or the old 15); a file replaces only its own counties, "
        "whose members it no longer lists are made inactive."
    )
    layout = LAYOUT

    def run_import(self, path, *, dry_run, **options):
        return import_registry(path, dry_run=dry_run)
