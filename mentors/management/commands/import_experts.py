from django.utils.translation import gettext_lazy

from mentors.expert_import import LAYOUT, import_experts
from sheets.commands import SheetImportCommand


class Command(SheetImportCommand):
    what = gettext_lazy(
        "Import the lecturer team (讲师团). 擅长领域 and 服务县区 list items separated by 、. "
        "Experts are known by their mobile number: the same file again changes nothing."
    )
    layout = LAYOUT

    def run_import(self, path, *, dry_run, **options):
        return import_experts(path, dry_run=dry_run)
