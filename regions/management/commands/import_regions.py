from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from regions.importing import RegionFileError, import_regions


class Command(BaseCommand):
    @property
    def help(self):
        # A property, not a lazy string: argparse needs a real str, in the active language.
        return _(
            "Import counties, towns and villages from a CSV or XLSX file with the header "
            "县(市、区),乡(镇),行政村,是否示范县,是否省定贫困村,是否有电商服务点 "
            "(flags are 是 or 否). Nothing is written if any row is bad."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Path of the .csv or .xlsx file."))

    def handle(self, *args, file, **options):
        try:
            result = import_regions(file)
        except RegionFileError as exc:
            raise CommandError(exc.report()) from exc
        for line in result.summary_lines():
            self.stdout.write(line)
        if not result.changed_anything:
            self.stdout.write(_("Nothing changed: the database already matched the file."))
