"""The report's figures come from the cache until the data under them changes
(coverage.freshness): whatever writes the data, through whichever module, the next
report shows it, and a second look at unchanged data runs the version query alone."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from classes.models import ClassSession
from coverage.drilldown import page_figures
from coverage.freshness import data_version, install_triggers
from coverage.models import RegistryMember
from coverage.registry_import import import_registry
from regions.models import Village
from tests.accounts.factories import UserFactory
from tests.coverage.conftest import (
    REGISTRY_HEADER,
    YEAR,
    attend,
    complete_online,
    member,
    new_id_number,
    session,
)
from tests.support import write_sheet

pytestmark = pytest.mark.django_db


def city():
    """The city page's county rows, as (eligible, person-times, persons) by county."""
    rows, _ = page_figures("county", *YEAR, lagging=True)
    return {row.county: (row.eligible, row.person_times, row.persons) for row in rows}


def test_a_second_look_at_the_same_data_runs_the_version_query_only(data):
    first = page_figures("county", *YEAR, lagging=True)
    with CaptureQueriesContext(connection) as captured:
        again = page_figures("county", *YEAR, lagging=True)
    assert again == first
    assert len(captured) == 1
    assert "coverage_dataversion" in captured[0]["sql"]


def test_another_period_or_area_is_another_entry(data, places):
    assert city() == {"罗定市": (14, 6, 4)}
    spring, _ = page_figures("county", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert [row.person_times for row in spring] == [5]
    town, _ = page_figures("village", *YEAR, town=places["v2"].town)
    assert [(row.village, row.person_times) for row in town] == [("杨绿村", 1)]


def test_an_import_shows_in_the_next_report(data, tmp_path):
    assert city() == {"罗定市": (14, 6, 4)}
    sheet = [
        REGISTRY_HEADER,
        ("罗定市", "罗镜镇", "太平村", "H900", "新成员", new_id_number(), "户主", "普通劳动力", ""),
    ]
    import_registry(write_sheet(tmp_path / "r.csv", sheet))
    # The county's newest file lists one member: the others are kept, inactive.
    assert city() == {"罗定市": (1, 0, 0)}


def test_an_attendance_shows_in_the_next_report(data, places, course):
    assert city() == {"罗定市": (14, 6, 4)}
    untrained = RegistryMember.objects.filter(village=places["v2"]).order_by("pk").last()
    attend(session(course, places["v1"], datetime.date(2026, 8, 8)), untrained)
    assert city() == {"罗定市": (14, 7, 5)}


def test_a_completion_shows_in_the_next_report(data, places, course):
    assert city() == {"罗定市": (14, 6, 4)}
    untrained = RegistryMember.objects.filter(village=places["v2"]).order_by("pk").last()
    user = UserFactory(id_number_hash=untrained.id_number_hash)
    complete_online(user, course, datetime.date(2026, 9, 9))
    assert city() == {"罗定市": (14, 7, 5)}


def test_a_member_changed_by_a_bulk_update_shows_in_the_next_report(data, places):
    """No model signal fires for QuerySet.update: the database's triggers see it."""
    assert city() == {"罗定市": (14, 6, 4)}
    RegistryMember.objects.filter(village=places["v2"]).update(work_status="省外务工")
    assert city() == {"罗定市": (4, 5, 3)}


@pytest.mark.parametrize(
    "change",
    [
        # A class moved out of the period.
        lambda p: ClassSession.objects.filter(date=datetime.date(2026, 3, 1)).update(
            date=datetime.date(2025, 3, 1)
        ),
        # A village leaves the scope.
        lambda p: Village.objects.filter(pk=p["v2"].pk).update(is_provincial_poor=False),
        # The online learner's account no longer holds the number.
        lambda p: User.objects.exclude(id_number_hash="").update(id_number_hash=""),
    ],
    ids=["session date", "village flag", "user's ID hash"],
)
def test_other_changes_under_the_figures_show_in_the_next_report(data, places, change):
    before = city()
    change(places)
    assert city() != before


def test_a_login_does_not_change_the_version(data):
    version = data_version(connection)
    User.objects.update(last_login=datetime.datetime(2026, 5, 5, tzinfo=datetime.UTC))
    assert data_version(connection) == version


def test_with_a_trigger_missing_nothing_is_cached_until_migrate_puts_it_back(data, places):
    """SQLite drops a table's triggers when a migration remakes the table."""
    assert data_version(connection) is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute('DROP TRIGGER coverage_data_version ON "classes_attendance"')
        else:
            cursor.execute('DROP TRIGGER "coverage_data_version_classes_attendance_insert"')
    assert data_version(connection) is None
    city()
    with CaptureQueriesContext(connection) as captured:
        city()
    assert len(captured) > 1
    install_triggers(connection)
    assert data_version(connection) is not None
    member(places["v1"])
    assert city() == {"罗定市": (15, 6, 4)}
