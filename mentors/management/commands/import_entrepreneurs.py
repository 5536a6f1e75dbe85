from django.core.management.base import BaseCommand, CommandError

from mentors.entrepreneur_import import HEADER, EntrepreneurFileError, import_entrepreneurs


class Command(BaseCommand):
    help = (
        "Import entrepreneur-leaders (带头人) from a CSV (UTF-8 or GBK) or XLSX file with the "
        f"header {','.join(HEADER)}. 行政村 is county/town/village; 产品 and 销售渠道 list "
        "items separated by 、. Entrepreneurs are matched by mobile number; nothing is "
        "written if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            result = import_entrepreneurs(options["file"])
        except EntrepreneurFileError as error:
            raise CommandError(error.report()) from None
        self.stdout.write(str(result))
