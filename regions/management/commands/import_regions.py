from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.importing import LAYOUT, import_regions
from sheets.commands import SheetImportCommand


class Command(SheetImportCommand):
    what = gettext_lazy(
        "Import counties, towns and villages: the bureau's list with its flags (是 or 否), "
        "or the statistics bureau's list of names alone. Villages are matched however "
        "their committee is written (牧羊村 = 牧羊村民委员会 = 牧羊村委会)."
    )
    layout = LAYOUT

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sync",
            action="store_true",
            help=_(
                "The file is the full list for its counties: make their villages it does "
                "not list inactive (after asking), never deleting them."
            ),
        )
        parser.add_argument(
            "--yes", action="store_true", help=_("With --sync, do not ask before deactivating.")
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=_("Never ask: with --sync and without --yes, stop if any village would go."),
        )

    def run_import(self, path, *, dry_run, sync, yes, **options):
        if sync and not dry_run and not yes:
            preview = import_regions(path, dry_run=True, sync=True)
            if preview.tally("villages").deactivated:
                for line in preview.notes:
                    self.stdout.write(line)
                if not self._confirmed(preview.tally("villages").deactivated, options):
                    raise CommandError(_("Nothing was written."))
        return import_regions(path, dry_run=dry_run, sync=sync)

    def _confirmed(self, count, options):
        if not options["interactive"]:
            raise CommandError(
                _("%(count)d villages would be made inactive; add --yes to confirm.")
                % {"count": count}
            )
        try:
            answer = input(
                _("Make these %(count)d villages inactive? Type yes to confirm: ")
                % {"count": count}
            )
        except EOFError:
            return False
        return answer.strip().lower() in ("yes", "y", "是")
