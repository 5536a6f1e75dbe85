"""The coverage figure on a small data set computed by hand, traps included (DESIGN.md).

The data set (``data``, ``places``, ``course``) and its helpers live in conftest.py.
"""

import datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from coverage.drilldown import area_rows
from coverage.report import AreaFigures, coverage_by, coverage_total, percent
from learning.completion import settle_completion
from learning.models import Completion, OnlineStudy
from regions.models import County, Village
from tests.accounts.factories import UserFactory
from tests.coverage.conftest import YEAR, attend, complete_online, member, session

__all__ = ["attend", "member", "session"]  # imported from here by other tests


@pytest.mark.django_db
def test_village_figures(data):
    rows = {row.village: row for row in coverage_by("village", *YEAR)}
    assert set(rows) == {"太平村", "杨绿村"}
    v1 = rows["太平村"]
    # Eligible: three_classes, sheet_only, online, untrained.
    assert (v1.eligible, v1.person_times, v1.persons) == (4, 5, 3)
    assert v1.times_coverage == Decimal("1.25")
    assert v1.persons_coverage == Decimal("0.75")
    assert v1.met is True
    v2 = rows["杨绿村"]
    assert (v2.eligible, v2.person_times, v2.persons) == (10, 1, 1)
    assert v2.met is False


@pytest.mark.django_db
def test_county_is_a_ratio_of_sums_not_a_mean_of_villages(data):
    (county,) = coverage_by("county", *YEAR)
    assert (county.county, county.eligible, county.person_times, county.persons) == (
        "罗定市",
        14,
        6,
        4,
    )
    assert county.times_coverage == Fraction(6, 14)  # the mean of 125% and 10% is 67.5%
    assert county.met is False


@pytest.mark.django_db
def test_town_level_and_total(data):
    towns = {row.town: row for row in coverage_by("town", *YEAR)}
    assert {name: row.person_times for name, row in towns.items()} == {"罗镜镇": 5, "泗纶镇": 1}
    total = coverage_total(*YEAR)
    assert (total.eligible, total.person_times, total.persons) == (14, 6, 4)


@pytest.mark.django_db
def test_the_period_bounds_the_units(data):
    last_year = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    rows = {row.village: row for row in coverage_by("village", *last_year)}
    assert (rows["太平村"].person_times, rows["太平村"].persons) == (1, 1)


@pytest.mark.django_db
def test_one_county_only(data, places):
    total = coverage_total(*YEAR, county=places["demo"])
    assert total.person_times == 6
    assert coverage_by("village", *YEAR, county=County.objects.get(name="云城区")) == []


@pytest.mark.django_db
def test_query_count_does_not_grow_with_villages(places, course, django_assert_num_queries):
    for n in range(30):
        village = Village.objects.create(
            town=places["v1"].town, name=f"新村{n}", is_provincial_poor=True
        )
        attend(session(course, village), member(village))
    with django_assert_num_queries(1):
        rows = coverage_by("village", *YEAR)
    assert len(rows) == 30


def figures(person_times, eligible):
    return AreaFigures(None, "罗定市", "", "", eligible, person_times, person_times)


@pytest.mark.parametrize(
    ("person_times", "eligible", "shown", "met"),
    [
        (50, 241, "20.7%", False),  # 20.7468…%: 20.75% rounded again would show 20.8%
        (5000, 10001, "50.0%", False),  # 49.995% rounds to 50.0%, yet falls short
        (5000, 10000, "50.0%", True),
        (1, 2, "50.0%", True),
        (1, 3, "33.3%", False),
        (2, 3, "66.7%", True),
        (1, 8, "12.5%", False),  # exactly half a tenth: up
        (5, 4, "125.0%", True),
    ],
)
def test_met_is_decided_on_the_exact_fraction_and_percentages_rounded_once(
    person_times, eligible, shown, met
):
    row = figures(person_times, eligible)
    assert row.met is met
    assert percent(row.times_coverage) == shown


def test_nobody_eligible_has_no_percentage_and_no_verdict():
    row = figures(0, 0)
    assert (row.times_coverage, row.met, percent(row.times_coverage)) == (None, None, "—")


@pytest.mark.django_db
def test_a_towns_villages_are_chosen_by_the_query_itself(data, places, django_assert_num_queries):
    """The town's page asks for its villages alone: one query, no county-wide rows
    filtered afterwards."""
    town = places["v1"].town
    with django_assert_num_queries(1):
        rows = area_rows("village", *YEAR, town=town)
    assert [(row.village, row.eligible, row.person_times, row.persons) for row in rows] == [
        ("太平村", 4, 5, 3)
    ]
    other = coverage_by("village", *YEAR, town=places["v2"].town)
    assert [(row.village, row.person_times) for row in other] == [("杨绿村", 1)]
    assert coverage_by("town", *YEAR, town=town)[0].person_times == 5


@pytest.mark.django_db
def test_a_period_starts_and_ends_at_midnight_in_yunfu(places, course):
    """Units are dated by the local day (Asia/Shanghai): a course finished online at
    00:30 on 1 January in Yunfu (16:30 the day before in UTC, as stored) belongs to the
    new year; one finished at 23:30 on 31 December, and a class that day, to the old."""
    shanghai = ZoneInfo("Asia/Shanghai")
    late, early = member(places["v1"]), member(places["v1"])
    for person, moment in (
        (late, datetime.datetime(2026, 12, 31, 23, 30, tzinfo=shanghai)),
        (early, datetime.datetime(2027, 1, 1, 0, 30, tzinfo=shanghai)),
    ):
        user = UserFactory(id_number_hash=person.id_number_hash)
        OnlineStudy.objects.create(
            user=user,
            course=course,
            day=timezone.localdate(moment),
            seconds=int(course.required_hours * 3600),
        )
        settle_completion(user, course, now=moment)
    attend(session(course, places["v1"], datetime.date(2026, 12, 31)), late)
    attend(session(course, places["v1"], datetime.date(2027, 1, 1)), early)
    assert Completion.objects.get(
        user__id_number_hash=early.id_number_hash
    ).completed_at.astimezone(datetime.UTC).date() == datetime.date(2026, 12, 31)

    def units(start, end):
        (row,) = coverage_by("village", start, end)
        return row.person_times, row.persons

    assert units(*YEAR) == (2, 1)
    assert units(datetime.date(2027, 1, 1), datetime.date(2027, 1, 1)) == (2, 1)
    assert units(datetime.date(2026, 12, 31), datetime.date(2027, 1, 1)) == (4, 2)


@pytest.mark.django_db
def test_the_citys_rows_and_a_towns_rows_count_alike(data, places, course):
    """On PostgreSQL the city's rows keep the units whose hash is a member's and count
    them per hash, a town's rows count each member's units by lookups: two queries that
    must give the same figures. Two villages of one name in two towns stay apart, their
    names joined to each area's sums by its id."""
    namesake = Village.objects.create(
        town=places["v2"].town, name="太平村", is_provincial_poor=True
    )
    busy = member(namesake)
    for day in (4, 5):
        attend(session(course, namesake, datetime.date(2026, 6, day)), busy)
    complete_online(UserFactory(id_number_hash=busy.id_number_hash), course, YEAR[0])
    member(namesake)  # untrained
    villages = {row.area_id: row for row in coverage_by("village", *YEAR)}
    assert (villages[namesake.pk].eligible, villages[namesake.pk].person_times) == (2, 3)
    assert villages[namesake.pk].persons == 1
    assert villages[namesake.pk].town == "泗纶镇"
    assert villages[places["v1"].pk].town == "罗镜镇"
    towns = {row.area_id: row for row in coverage_by("town", *YEAR)}
    for town in {places["v1"].town, places["v2"].town}:
        for level, city in (("village", villages), ("town", towns)):
            rows = coverage_by(level, *YEAR, town=town)
            assert rows and all(row == city[row.area_id] for row in rows)
