from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.models import MatchingRun
from matching.runs import RunRefused, start_run

# Django runs commands in the active language, which is LANGUAGE_CODE (zh-hans) unless
# something activated another: coordinators read what this prints in Chinese.


class Command(BaseCommand):
    @property
    def help(self):
        # Read when the parser is made, in the language active then; argparse wants a str.
        return _(
            "Start a matching run: propose a mentor from the lecturer team for every "
            "entrepreneur waiting for one. Staff review the proposals in the admin."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rematch",
            action="store_true",
            help=gettext_lazy("Also propose new mentors to entrepreneurs who already have one."),
        )
        parser.add_argument(
            "--unbalanced",
            action="store_true",
            help=gettext_lazy(
                "Turn off balanced assignment (均衡分配): take the highest total score even "
                "if a few experts get many entrepreneurs."
            ),
        )

    def handle(self, *args, rematch=False, unbalanced=False, **options):
        try:
            run = start_run(None, rematch=rematch, balanced=not unbalanced)
        except RunRefused as error:
            raise CommandError(str(error)) from None
        run.refresh_from_db()
        if run.status == MatchingRun.Status.QUEUED:
            self.stdout.write(_("Run %(run)s queued for the Celery worker.") % {"run": run.pk})
            return
        if run.status == MatchingRun.Status.FAILED:
            raise CommandError(
                _("Run %(run)s failed: %(error)s") % {"run": run.pk, "error": run.error}
            )
        self.stdout.write(self.summary(run))

    def summary(self, run):
        figures = run.figures
        lines = [
            _(
                "Run %(run)s: %(matched)s of %(entrepreneurs)s entrepreneurs matched to "
                "%(experts)s experts (%(places)s places); total score %(total)s, "
                "mean %(mean)s, %(seconds)s s."
            )
            % {
                "run": run.pk,
                "matched": figures["matched"],
                "entrepreneurs": figures["entrepreneurs"],
                "experts": figures["experts"],
                "places": figures["places"],
                "total": figures["total_score"],
                "mean": figures["mean_score"],
                "seconds": figures["seconds"],
            }
        ]
        if "total_score_balanced" in figures:
            if run.balanced:
                line = _(
                    "Balanced assignment on: total score %(balanced)s with balancing, "
                    "%(unbalanced)s without; at most %(max_load)s entrepreneurs per expert, "
                    "%(idle)s experts without any."
                )
            else:
                line = _(
                    "Balanced assignment off: total score %(unbalanced)s, %(balanced)s with "
                    "balancing; at most %(max_load)s entrepreneurs per expert, %(idle)s "
                    "experts without any."
                )
            lines.append(
                line
                % {
                    "balanced": figures["total_score_balanced"],
                    "unbalanced": figures["total_score_unbalanced"],
                    "max_load": figures["max_load"],
                    "idle": figures["idle_experts"],
                }
            )
        return "\n".join(lines)
