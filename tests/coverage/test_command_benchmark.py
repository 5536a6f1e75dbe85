"""``manage.py benchmark_coverage``: prints its timings and ratios, its hand-written SQL
gives the report's figures, and it leaves nothing behind. Run here with tiny numbers;
it is not a timed test."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from accounts.models import User
from classes.models import Attendance, ClassSession
from courses.models import Track
from coverage.benchmark import (
    PERIOD,
    build_data,
    compare,
    lagging_report,
    lagging_sql,
    monthly_units_report,
    monthly_units_sql,
    monthly_units_sql_semijoin,
    remove_data,
    same_lagging,
    village_denominators_report,
    village_denominators_sql,
    village_figures_report,
    village_figures_sql,
    village_figures_sql_correlated,
)
from coverage.models import RegistryMember
from learning.models import Completion
from regions.models import County, Town, Village
from tests.coverage.test_export import member, report_data

MODELS = (RegistryMember, Attendance, ClassSession, Completion, User, Village, Town, County)
QUERIES = ("report (villages)", "lagging villages", "denominator", "monthly trend", "town page")
SPRING = (PERIOD[0], PERIOD[0].replace(month=3, day=31))


def counts():
    return {model.__name__: model.objects.count() for model in (*MODELS, Page, Track)}


@pytest.mark.django_db
def test_prints_each_querys_ratio_and_leaves_no_rows_behind():
    before = counts()
    out = io.StringIO()
    call_command(
        "benchmark_coverage", "--members", "50", "--records", "200", "--repeat", "2", stdout=out
    )
    text = out.getvalue()
    assert "Built 50 members in 1 villages, 180 attendances and 20 completions" in text
    assert "Each query 2 times, in turn (seconds, least / median):" in text
    for query in QUERIES:
        (line,) = [line for line in text.splitlines() if line.startswith(f"{query}: report ")]
        assert "; ratio report / SQL" in line
    assert "The report and every SQL variant agree on every figure." in text
    assert "from the cache while the data is unchanged." in text
    assert text.rstrip().endswith("Benchmark data removed.")
    assert counts() == before


@pytest.mark.django_db
def test_its_data_trains_some_people_and_not_others():
    """Trained, partly trained (classes only, online only), trained only before the
    period, untrained; villages above and below the target; records of people outside
    the registry and without an ID hash."""
    data = build_data(2400, 12000)
    assert (data.members, data.attendances, data.completions) == (2400, 10800, 1200)
    figures = village_figures_sql(*PERIOD)
    eligible, times, persons = (sum(row[n] for row in figures.values()) for n in range(3))
    assert 0 < persons < eligible
    assert 0 < lagging_sql(*PERIOD)[1] < len(figures)
    assert Attendance.objects.filter(id_number_hash="").exists()
    outsiders = Attendance.objects.exclude(
        id_number_hash__in=RegistryMember.objects.values("id_number_hash")
    )
    assert outsiders.exclude(id_number_hash="").exists()
    # Counted only by the figure's rules: some completions needed class hours (no
    # online date), some fall before the period, some belong to nobody in the registry.
    assert Completion.objects.filter(online_completed_on__isnull=True).exists()
    assert Completion.objects.filter(online_completed_on__lt=PERIOD[0]).exists()
    assert sum(online for _, online in monthly_units_sql(*PERIOD)[0].values()) > 0
    # Some members trained only before the period count there, not in it.
    last_month = (datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    assert sum(row[1] for row in village_figures_sql(*last_month).values()) > 0


@pytest.mark.django_db
def test_every_sql_variant_gives_the_reports_figures():
    build_data(2400, 12000)
    town = Town.objects.get(name="基准镇0")
    for period in (PERIOD, SPRING):
        report = village_figures_report(*period)
        assert village_figures_sql(*period) == report
        assert village_figures_sql_correlated(*period) == report
        in_town = village_figures_report(*period, town)
        assert 0 < len(in_town) < len(report)
        assert village_figures_sql(*period, town) == in_town
        assert village_figures_sql_correlated(*period, town) == in_town
        assert same_lagging(lagging_report(*period), lagging_sql(*period))
        assert monthly_units_sql(*period) == monthly_units_report(*period)
        assert monthly_units_sql_semijoin(*period) == monthly_units_report(*period)
    assert village_denominators_sql() == village_denominators_report()
    # Every step of the funnel cuts someone, and it ends at the figure's eligible persons.
    denominators = village_denominators_sql()
    registered, capable, eligible = (sum(row[n] for row in denominators.values()) for n in range(3))
    assert registered > capable > eligible > 0
    assert eligible == sum(row[0] for row in village_figures_sql(*PERIOD).values())
    months, courses = monthly_units_sql(*PERIOD)
    assert len(months) == 12 and len(courses) > 2  # the classes and several online
    person_times = sum(row[1] for row in village_figures_sql(*PERIOD).values())
    assert sum(classes + online for classes, online in months.values()) == person_times
    assert len(monthly_units_sql(*SPRING)[0]) == 3


@pytest.mark.django_db
def test_a_reference_that_disagrees_stops_the_benchmark():
    build_data(200, 1000)

    def one_short():
        figures = village_figures_sql(*PERIOD)
        pk, (eligible, times, persons) = next(iter(figures.items()))
        return figures | {pk: (eligible, times - 1, persons)}

    report = lambda: village_figures_report(*PERIOD)  # noqa: E731
    with pytest.raises(ValueError, match="SQL off by one disagrees"):
        compare("report", report, {"SQL off by one": one_short}, repeat=1)
    result = compare("report", report, {"SQL": lambda: village_figures_sql(*PERIOD)}, repeat=3)
    assert len(result.report.seconds) == len(result.best.seconds) == 3


@pytest.mark.django_db
def test_remove_data_takes_away_what_build_data_made():
    places = report_data()
    member(places["taiping"])
    before = counts()
    build_data(100, 800)
    remove_data()
    assert counts() == before


@pytest.mark.django_db
def test_refuses_a_database_with_registry_members_unless_told_yes():
    places = report_data()
    member(places["taiping"])
    with pytest.raises(CommandError, match="--yes"):
        call_command("benchmark_coverage", "--members", "5", "--records", "10")
    before = counts()
    out = io.StringIO()
    call_command(
        "benchmark_coverage",
        "--members",
        "5",
        "--records",
        "10",
        "--repeat",
        "1",
        "--yes",
        stdout=out,
    )
    assert "agree on every figure" in out.getvalue()
    assert counts() == before
