from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coverage.benchmark import (
    PERIOD,
    build_data,
    monthly_units_report,
    monthly_units_sql,
    time_denominators,
    time_levels,
    timed,
    village_denominators_report,
    village_denominators_sql,
    village_figures_report,
    village_figures_sql,
)
from coverage.models import RegistryMember
from coverage.report import AreaFigures, lagging_villages, missing_data


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
        self._gaps(start, end, by_sql)
        self._denominators(by_sql)
        self._trend(start, end, times)
        (counties, villages), seconds = timed(missing_data)
        self.stdout.write(
            f"missing_data: {seconds:.3f} s ({len(counties)} counties and "
            f"{len(villages)} villages in the scope with nobody eligible)"
        )

    def _gaps(self, start, end, by_sql):
        """The lagging list, and its gaps against the same gaps taken of the SQL's figures."""
        (shown, short), seconds = timed(lagging_villages, start, end, None, None)
        gaps = [AreaFigures(pk, "", "", "", *row).gap for pk, row in by_sql.items()]
        self.stdout.write(
            f"lagging_villages: {seconds:.3f} s ({short} villages short of the target, "
            f"{sum(row.gap for row in shown)} person-times to go)"
        )
        if (short, sum(row.gap for row in shown)) != (sum(1 for g in gaps if g), sum(gaps)):
            raise CommandError("The lagging villages disagree with the SQL's figures.")

    def _denominators(self, by_sql):
        for level, seconds in time_denominators().items():
            self.stdout.write(f"denominator_by({level!r}): {seconds:.3f} s")
        report, report_time = timed(village_denominators_report)
        sql, sql_time = timed(village_denominators_sql)
        self.stdout.write(f"denominator_by('village') again: {report_time:.3f} s")
        self.stdout.write(f"hand-written SQL (denominator): {sql_time:.3f} s")
        registered, capable, eligible = (sum(row[n] for row in sql.values()) for n in range(3))
        self.stdout.write(
            f"Denominator: {registered} registered, {capable} with labour capacity, "
            f"{eligible} eligible."
        )
        if report != sql or eligible != sum(row[0] for row in by_sql.values()):
            raise CommandError("denominator_by and the SQL disagree.")
        self.stdout.write("denominator_by and the SQL agree on every village.")
        self.stdout.write(f"Ratio denominator report_time / sql_time: {report_time / sql_time:.2f}")

    def _trend(self, start, end, person_times):
        report, report_time = timed(monthly_units_report, start, end)
        sql, sql_time = timed(monthly_units_sql, start, end)
        self.stdout.write(f"units_breakdown: {report_time:.3f} s")
        self.stdout.write(f"hand-written SQL (monthly units): {sql_time:.3f} s")
        total = sum(classes + online for classes, online in report.values())
        self.stdout.write(f"Trend: {total} person-times over {len(report)} months.")
        if report != sql or total != person_times:
            raise CommandError("units_breakdown, the SQL and the person-times disagree.")
        self.stdout.write("units_breakdown agrees with the SQL and adds up to the person-times.")
        self.stdout.write(f"Ratio trend report_time / sql_time: {report_time / sql_time:.2f}")
