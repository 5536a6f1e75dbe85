from django.core.management.base import BaseCommand, CommandError

from matching.models import MatchingRun
from matching.runs import RunRefused, start_run


class Command(BaseCommand):
    help = (
        "Start a matching run: propose a mentor from the lecturer team for every "
        "entrepreneur waiting for one. Staff review the proposals in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rematch",
            action="store_true",
            help="Also propose new mentors to entrepreneurs who already have one.",
        )

    def handle(self, *args, rematch=False, **options):
        try:
            run = start_run(None, rematch=rematch)
        except RunRefused as error:
            raise CommandError(str(error)) from None
        run.refresh_from_db()
        if run.status == MatchingRun.Status.QUEUED:
            self.stdout.write(f"Run {run.pk} queued for the Celery worker.")
            return
        if run.status == MatchingRun.Status.FAILED:
            raise CommandError(f"Run {run.pk} failed: {run.error}")
        figures = run.figures
        self.stdout.write(
            f"Run {run.pk}: {figures['matched']} of {figures['entrepreneurs']} entrepreneurs "
            f"matched to {figures['experts']} experts ({figures['places']} places); "
            f"total score {figures['total_score']}, mean {figures['mean_score']}, "
            f"{figures['seconds']} s."
        )
