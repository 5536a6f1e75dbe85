"""``manage.py benchmark_coverage``: prints its timings, agrees with coverage_by, and
leaves nothing behind. Run here with tiny numbers; it is not a timed test."""

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from accounts.models import User
from classes.models import Attendance, ClassSession
from coverage.benchmark import (
    PERIOD,
    build_data,
    monthly_units_report,
    monthly_units_sql,
    village_denominators_report,
    village_denominators_sql,
    village_figures_report,
    village_figures_sql,
)
from coverage.models import RegistryMember
from learning.models import Completion
from regions.models import Village
from tests.coverage.test_export import member, report_data

MODELS = (RegistryMember, Attendance, ClassSession, Completion, User, Village, Page)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_prints_the_ratio_and_leaves_no_rows_behind():
    before = counts()
    out = io.StringIO()
    call_command("benchmark_coverage", "--members", "50", "--records", "200", stdout=out)
    text = out.getvalue()
    assert "Built 50 members in 1 villages, 180 attendances and 20 completions" in text
    assert "coverage_by and the SQL agree on every village." in text
    assert "Ratio report_time / sql_time: " in text
    # The dashboard's parts: the gaps, the denominator and the trend, timed and checked.
    assert "lagging_villages: " in text and " villages short of the target, " in text
    for level in ("county", "town", "village"):
        assert f"denominator_by('{level}'): " in text
    assert "denominator_by and the SQL agree on every village." in text
    assert "Ratio denominator report_time / sql_time: " in text
    assert "units_breakdown agrees with the SQL and adds up to the person-times." in text
    assert "Ratio trend report_time / sql_time: " in text
    assert "missing_data: " in text
    assert text.rstrip().endswith("Benchmark data rolled back.")
    assert counts() == before


@pytest.mark.django_db
def test_its_sql_gives_the_same_numbers_as_coverage_by():
    data = build_data(120, 900)
    assert (data.members, data.attendances, data.completions) == (120, 810, 90)
    by_sql = village_figures_sql(*PERIOD)
    assert by_sql == village_figures_report(*PERIOD)
    assert sum(times for _, times, _ in by_sql.values()) > 0
    # A narrower period cuts sessions and completions at its bounds the same way.
    spring = (PERIOD[0], PERIOD[0].replace(month=3, day=31))
    assert village_figures_sql(*spring) == village_figures_report(*spring)


@pytest.mark.django_db
def test_its_sql_for_the_denominator_and_the_trend_gives_the_dashboards_numbers():
    build_data(300, 2000)
    denominators = village_denominators_sql()
    assert denominators == village_denominators_report()
    # Every step of the funnel cuts someone in this data set, and it ends at the figure.
    registered, capable, eligible = (sum(row[n] for row in denominators.values()) for n in range(3))
    assert registered > capable > eligible > 0
    assert eligible == sum(row[0] for row in village_figures_sql(*PERIOD).values())
    months = monthly_units_sql(*PERIOD)
    assert months == monthly_units_report(*PERIOD)
    assert len(months) == 12 and all(online for _, online in months.values())
    person_times = sum(row[1] for row in village_figures_sql(*PERIOD).values())
    assert sum(classes + online for classes, online in months.values()) == person_times
    spring = (PERIOD[0], PERIOD[0].replace(month=3, day=31))
    assert monthly_units_sql(*spring) == monthly_units_report(*spring)
    assert len(monthly_units_sql(*spring)) == 3


@pytest.mark.django_db
def test_refuses_a_database_with_registry_members_unless_told_yes():
    places = report_data()
    member(places["taiping"])
    with pytest.raises(CommandError, match="--yes"):
        call_command("benchmark_coverage", "--members", "5", "--records", "10")
    before = counts()
    out = io.StringIO()
    call_command("benchmark_coverage", "--members", "5", "--records", "10", "--yes", stdout=out)
    assert "agree on every village" in out.getvalue()
    assert counts() == before
