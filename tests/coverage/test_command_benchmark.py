"""``manage.py benchmark_coverage``: prints its timings, agrees with coverage_by, and
leaves nothing behind. Run here with tiny numbers; it is not a timed test."""

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from accounts.models import User
from classes.models import Attendance, ClassSession
from coverage.benchmark import PERIOD, build_data, village_figures_report, village_figures_sql
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
