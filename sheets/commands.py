"""The base of every ``import_*`` management command."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from .checks import SheetError


def describe_columns(layout) -> str:
    """``县(市、区) (or 县(市、区、旗)), …`` with optional columns marked, for help texts."""
    parts = []
    for heading, aliases, required in layout.describe():
        text = f"{heading} ({aliases})" if aliases else heading
        parts.append(text if required else _("%(column)s [optional]") % {"column": text})
    return ", ".join(parts)


class SheetImportCommand(BaseCommand):
    """``manage.py import_x FILE [--dry-run]``; subclasses say what and how.

    ``what`` is a sentence saying what the file holds; ``layout`` its columns;
    ``run_import(path, dry_run=…, **options)`` does the work and returns an ImportResult.
    """

    what = ""
    layout = None

    @property
    def help(self):
        # A property, not a lazy string: argparse needs a real str, in the active language.
        return " ".join(
            [
                str(self.what),
                _(
                    "Reads CSV (UTF-8 or GBK), XLSX or XLS. Columns are found by their "
                    "headings, in any order; other columns are ignored: %(columns)s."
                )
                % {"columns": describe_columns(self.layout)},
                _("Every row is checked first; if any is wrong, nothing is written."),
            ]
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Path of the .csv, .xlsx or .xls file."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check the file and print what would change, without writing anything."),
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            result = self.run_import(file, dry_run=dry_run, **options)
        except SheetError as error:
            raise CommandError(error.report()) from None
        for line in result.summary_lines():
            self.stdout.write(line)
