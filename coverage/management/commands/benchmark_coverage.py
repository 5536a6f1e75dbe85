from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coverage.benchmark import (
    PERIOD,
    build_data,
    time_levels,
    timed,
    village_figures_report,
    village_figures_sql,
)
from coverage.models import RegistryMember


class Rollback(Exception):
    """Raised to undo everything the benchmark made."""


class Command(BaseCommand):
    help = (
        "Time the coverage report on synthetic data (default 60,000 registry members and "
        "500,000 training records) against one hand-written SQL query. Everything it "
        "creates is made inside a transaction and rolled back at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=60_000)
        parser.add_argument("--records", type=int, default=500_000)
        parser.add_argument(
            "--yes",
            action="store_true",
            help="run even though the database holds registry members",
        )

    def handle(self, *args, members, records, yes, **options):
        if members < 1 or records < 0:
            raise CommandError("--members must be at least 1 and --records at least 0.")
        if RegistryMember.objects.exists() and not yes:
            raise CommandError(
                "This database holds registry members; the benchmark adds its own and "
                "rolls them back, but say --yes to run it here anyway."
            )
        try:
            with transaction.atomic():
                self._run(members, records)
                raise Rollback
        except Rollback:
            self.stdout.write("Benchmark data rolled back.")

    def _run(self, members, records):
        data, built = timed(build_data, members, records)
        self.stdout.write(
            f"Built {data.members} members in {data.villages} villages, "
            f"{data.attendances} attendances and {data.completions} completions "
            f"in {built:.2f} s."
        )
        start, end = PERIOD
        for level, seconds in time_levels(start, end).items():
            self.stdout.write(f"coverage_by({level!r}): {seconds:.3f} s")
        report, report_time = timed(village_figures_report, start, end)
        by_sql, sql_time = timed(village_figures_sql, start, end)
        self.stdout.write(f"coverage_by('village') again: {report_time:.3f} s")
        self.stdout.write(f"hand-written SQL (village): {sql_time:.3f} s")
        eligible = sum(row[0] for row in by_sql.values())
        times = sum(row[1] for row in by_sql.values())
        persons = sum(row[2] for row in by_sql.values())
        self.stdout.write(
            f"Figures over {len(by_sql)} villages: {eligible} eligible, "
            f"{times} person-times, {persons} persons trained."
        )
        if report != by_sql:
            raise CommandError("coverage_by and the SQL disagree on the village figures.")
        self.stdout.write("coverage_by and the SQL agree on every village.")
        self.stdout.write(f"Ratio report_time / sql_time: {report_time / sql_time:.2f}")
