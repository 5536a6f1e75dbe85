from django.core.management.base import BaseCommand, CommandError

from coverage.registry_import import HEADER, RegistryFileError, import_registry


class Command(BaseCommand):
    help = (
        "Import the poverty registry (建档立卡) from a CSV (UTF-8 or GBK) or XLSX file with "
        f"the header {','.join(HEADER)}. Members are matched by ID-card number; those "
        "missing from the file are made inactive. Nothing is written if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            result = import_registry(options["file"])
        except RegistryFileError as error:
            raise CommandError(error.report()) from None
        self.stdout.write(str(result))
