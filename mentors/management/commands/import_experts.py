from django.core.management.base import BaseCommand, CommandError

from mentors.expert_import import HEADER, ExpertFileError, import_experts


class Command(BaseCommand):
    help = (
        "Import the lecturer team (讲师团) from a CSV (UTF-8 or GBK) or XLSX file with the "
        f"header {','.join(HEADER)}. 擅长领域 and 服务县区 list items separated by 、. "
        "Experts are matched by mobile number; nothing is written if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            result = import_experts(options["file"])
        except ExpertFileError as error:
            raise CommandError(error.report()) from None
        self.stdout.write(str(result))
