import time
from functools import partial

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from coverage.benchmark import (
    PERIOD,
    analyse,
    build_data,
    compare,
    lagging_report,
    lagging_sql,
    monthly_units_report,
    monthly_units_sql,
    monthly_units_sql_semijoin,
    remove_data,
    same_lagging,
    timed,
    village_denominators_report,
    village_denominators_sql,
    village_figures_report,
    village_figures_sql,
    village_figures_sql_correlated,
    village_figures_sql_members_first,
)
from coverage.drilldown import page_figures
from coverage.models import RegistryMember
from regions.models import Town


class Command(BaseCommand):
    help = (
        "Time the coverage report on synthetic data (default 60,000 registry members and "
        "500,000 training records) against the fastest hand-written SQL for each of its "
        "queries, each run --repeat times in turn; prints the least and median seconds and "
        "the ratios. The data is committed and analysed first, and removed at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=60_000)
        parser.add_argument("--records", type=int, default=500_000)
        parser.add_argument("--repeat", type=int, default=5, help="runs of each query (default 5)")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="run even though the database holds registry members",
        )

    def handle(self, *args, members, records, repeat, yes, **options):
        if members < 1 or records < 0 or repeat < 1:
            raise CommandError(
                "--members and --repeat must be at least 1 and --records at least 0."
            )
        if RegistryMember.objects.exists() and not yes:
            raise CommandError(
                "This database holds registry members; the benchmark adds its own and "
                "removes them at the end, but say --yes to run it here anyway."
            )
        # Committed, so that the queries run on data as it is in use, not inside the
        # transaction that wrote it.
        began = time.perf_counter()
        with transaction.atomic():
            data = build_data(members, records)
        # With the commit: PostgreSQL runs the deferred triggers' queued events then.
        built = time.perf_counter() - began
        try:
            self.stdout.write(
                f"Built {data.members} members in {data.villages} villages, "
                f"{data.attendances} attendances and {data.completions} completions "
                f"in {built:.2f} s, committed ({connection.vendor})."
            )
            analyse()
            self._run(repeat)
        finally:
            with transaction.atomic():
                remove_data()
        self.stdout.write("Benchmark data removed.")

    def _run(self, repeat):
        start, end = PERIOD
        by_sql = village_figures_sql(start, end)
        eligible, times, persons = (sum(row[n] for row in by_sql.values()) for n in range(3))
        self.stdout.write(
            f"Figures over {len(by_sql)} villages: {eligible} eligible, {times} "
            f"person-times, {persons} persons trained."
        )
        town = Town.objects.filter(villages__in=by_sql).distinct().order_by("pk").first()
        comparisons = [
            (
                "report (villages)",
                partial(village_figures_report, start, end),
                {
                    "SQL join": partial(village_figures_sql, start, end),
                    "SQL correlated": partial(village_figures_sql_correlated, start, end),
                    "SQL members first": partial(village_figures_sql_members_first, start, end),
                },
                None,
            ),
            (
                "lagging villages",
                partial(lagging_report, start, end),
                {
                    "SQL join": partial(lagging_sql, start, end),
                    "SQL correlated": partial(
                        lagging_sql, start, end, figures=village_figures_sql_correlated
                    ),
                    "SQL members first": partial(
                        lagging_sql, start, end, figures=village_figures_sql_members_first
                    ),
                },
                same_lagging,
            ),
            (
                "denominator",
                village_denominators_report,
                {"SQL": village_denominators_sql},
                None,
            ),
            (
                "monthly trend",
                partial(monthly_units_report, start, end),
                {
                    "SQL join": partial(monthly_units_sql, start, end),
                    "SQL semi-join": partial(monthly_units_sql_semijoin, start, end),
                },
                None,
            ),
            (
                "town page",
                partial(village_figures_report, start, end, town),
                {
                    "SQL join": partial(village_figures_sql, start, end, town),
                    "SQL correlated": partial(village_figures_sql_correlated, start, end, town),
                    "SQL members first": partial(
                        village_figures_sql_members_first, start, end, town
                    ),
                },
                None,
            ),
        ]
        self.stdout.write(f"Each query {repeat} times, in turn (seconds, least / median):")
        for name, report, references, same in comparisons:
            try:
                result = compare(name, report, references, repeat, same)
            except ValueError as error:
                raise CommandError(str(error)) from None
            variants = ", ".join(
                f"{timings.name} {timings.least:.3f} / {timings.median:.3f}"
                for timings in result.references
            )
            self.stdout.write(
                f"{name}: report {result.report.least:.3f} / {result.report.median:.3f}; "
                f"{variants}; ratio report / {result.best.name}: "
                f"{result.ratio_least:.2f} / {result.ratio_median:.2f}"
            )
        self.stdout.write("The report and every SQL variant agree on every figure.")
        self._cached(start, end)

    def _cached(self, start, end):
        """The city's page computed once, then from the cache (one query)."""
        _, first = timed(page_figures, "county", start, end, None, None, True)
        _, again = timed(page_figures, "county", start, end, None, None, True)
        self.stdout.write(
            f"The city's page, figures and dashboard: {first:.3f} s, then {again:.4f} s "
            "from the cache while the data is unchanged."
        )
