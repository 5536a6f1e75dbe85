from django.utils.translation import gettext_lazy

from mentors.entrepreneur_import import LAYOUT, import_entrepreneurs
from sheets.commands import SheetImportCommand


class Command(SheetImportCommand):
    what = gettext_lazy(
        "Import entrepreneur-leaders (带头人). 行政村 is county/town/village "
        "(罗定市/罗镜镇/水摆村), town/village, or a name no other village has; 产品 and 销售渠道 "
        "list items separated by 、. Entrepreneurs are known by their mobile number: the "
        "same file again changes nothing, and their mentors are kept."
    )
    layout = LAYOUT

    def run_import(self, path, *, dry_run, **options):
        return import_entrepreneurs(path, dry_run=dry_run)
