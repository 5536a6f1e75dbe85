"""The dashboard beside the report (issue 11, item 4): 还差 N 人次, the lagging villages,
missing registry data, how the denominator is reached, and the monthly trend with its
split by kind and by course. Every figure is checked against a count made here, from
what the test itself created, and the trend against the report's own person-times.

The data set (``data``, ``places``, ``course``) is conftest.py's; its hand count:
太平村 4 eligible, 5 person-times (met); 杨绿村 10 eligible, 1 person-time (short by 4).
"""

import datetime
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import CatalogPage, Track
from coverage import signoff
from coverage.drilldown import LAGGING_SHOWN, trend_chart
from coverage.report import (
    AreaFigures,
    Denominator,
    MissingArea,
    UnitSplit,
    coverage_by,
    denominator_by,
    denominator_total,
    lagging_villages,
    missing_data,
    units_breakdown,
)
from learning.completion import new_certificate_code
from learning.models import Completion
from regions.models import County, Town, Village
from tests.accounts.factories import UserFactory
from tests.courses.factories import make_course
from tests.coverage.conftest import YEAR, attend, member, session

PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}


def figures(person_times, eligible):
    return AreaFigures(None, "罗定市", "", "", eligible, person_times, person_times)


def fewest_more(person_times, eligible, target):
    """The gap counted one person-time at a time: no ceiling, no fraction arithmetic."""
    more = 0
    while (person_times + more) * target.denominator < eligible * target.numerator:
        more += 1
    return more


# ---------------------------------------------------------------- 还差 N 人次


@pytest.mark.parametrize(
    ("person_times", "eligible", "gap"),
    [
        (0, 10, 5),
        (4, 10, 1),
        (5, 10, 0),
        (0, 11, 6),  # 2 × 5 = 10 < 11: one more than half of 11 rounded down
        (5000, 10001, 1),  # 49.995% shows 50.0%, and still needs one
        (50, 241, 71),  # 2 × 121 = 242 ≥ 241
        (7, 4, 0),  # over the target: never negative
        (0, 0, 0),  # nobody eligible: nothing to reach
    ],
)
def test_the_gap_is_the_fewest_person_times_that_meet_the_target(person_times, eligible, gap):
    row = figures(person_times, eligible)
    assert row.gap == gap == fewest_more(person_times, eligible, Fraction(1, 2))
    if eligible:
        assert (row.gap == 0) is row.met
        assert figures(person_times + row.gap, eligible).met is True
        if row.gap:
            assert figures(person_times + row.gap - 1, eligible).met is False


def test_the_gap_follows_the_configured_target(settings):
    settings.COVERAGE_TARGET = "0.6"
    for person_times, eligible in [(0, 7), (4, 7), (5, 7), (59, 100), (60, 100), (3, 1)]:
        row = figures(person_times, eligible)
        assert row.gap == fewest_more(person_times, eligible, Fraction(3, 5))
        assert (row.gap == 0) is row.met


@pytest.mark.django_db
def test_each_village_gap_from_the_data_set(data):
    rows = {row.village: row for row in coverage_by("village", *YEAR)}
    assert (rows["太平村"].gap, rows["杨绿村"].gap) == (0, 4)
    (county,) = coverage_by("county", *YEAR)
    assert county.gap == 1  # 6 of 14: 7 are needed


# ---------------------------------------------------------------- lagging villages


def villages_with(places, course, spec, town=None):
    """A poor village per (eligible, trained) in ``spec``, ``trained`` of its members at
    a class in May; returns {name: (eligible, trained)} as made here."""
    town = town or places["v1"].town
    made = {}
    class_ = session(course, places["v1"], datetime.date(2026, 5, 10))
    for n, (eligible, trained) in enumerate(spec):
        village = Village.objects.create(
            town=town, name=f"{town.name}测{n}村", is_provincial_poor=True
        )
        people = [member(village) for _ in range(eligible)]
        member(village, work="省外务工")  # a migrant, never counted
        for person in people[:trained]:
            attend(class_, person)
        made[village.name] = (eligible, trained)
    return made


def test_lagging_villages_city_wide_sorted_by_gap_with_a_count_of_all(data, places, course):
    other = County.objects.create(name="新兴县", is_demonstration=True)
    far_town = Town.objects.create(county=other, name="天堂镇")
    made = villages_with(places, course, [(10, 0), (6, 3), (9, 2), (3, 0)])
    made |= villages_with(places, course, [(14, 1), (4, 4)], town=far_town)
    made["杨绿村"] = (10, 1)
    made["太平村"] = (4, 5)
    expected = sorted(
        (
            (math.ceil(eligible / 2) - trained, name)
            for name, (eligible, trained) in made.items()
            if 2 * trained < eligible
        ),
        reverse=True,
    )
    shown, count = lagging_villages(*YEAR)
    assert count == len(expected) == 5
    assert [(row.gap, row.village) for row in shown] == expected
    assert (shown[0].county, shown[0].village, shown[0].gap) == ("新兴县", "天堂镇测0村", 6)
    # The limit keeps the furthest, and the count still says how many there are.
    top, count = lagging_villages(*YEAR, limit=2)
    assert [row.gap for row in top] == [6, 5] and count == 5
    # One county only: 新兴县's lagging village is not 罗定市's.
    mine, count = lagging_villages(*YEAR, county=places["demo"])
    assert count == 4 and {row.county for row in mine} == {"罗定市"}


def test_the_main_page_lists_the_lagging_villages_with_links_to_their_records(
    client, data, places, bureau, officer, course
):
    other = County.objects.create(name="新兴县", is_demonstration=True)
    villages_with(places, course, [(8, 1)], town=Town.objects.create(county=other, name="天堂镇"))
    client.force_login(bureau)
    response = client.get(reverse("coverage:report"), PERIOD)
    lagging = response.context["dashboard"].lagging
    assert [(row.figures.village, row.figures.gap) for row in lagging] == [
        ("杨绿村", 4),
        ("天堂镇测0村", 3),
    ]
    html = response.content.decode()
    section = html.split('class="coverage-card coverage-lagging"')[1].split("</section>")[0]
    records = reverse("coverage:village_records", args=[places["v2"].pk])
    assert f'href="{records}?start=2026-01-01&amp;end=2026-12-31">杨绿村</a>' in section
    assert "还差 4 人次" in section and "还差 3 人次" in section
    assert "新兴县" in section and "泗纶镇" in section
    # County staff see their county's only.
    client.force_login(officer)
    response = client.get(reverse("coverage:report"), PERIOD)
    assert [row.figures.village for row in response.context["dashboard"].lagging] == ["杨绿村"]
    assert "天堂镇测0村" not in response.content.decode()


def test_the_lagging_list_shows_at_most_its_limit_and_says_how_many(client, places, course, bureau):
    villages_with(places, course, [(1, 0)] * (LAGGING_SHOWN + 3))
    client.force_login(bureau)
    response = client.get(reverse("coverage:report"), PERIOD)
    board = response.context["dashboard"]
    assert (len(board.lagging), board.lagging_count) == (LAGGING_SHOWN, LAGGING_SHOWN + 3)
    html = response.content.decode()
    assert f"共 {LAGGING_SHOWN + 3} 个行政村未达标" in html
    assert f"还差人次最多的 {LAGGING_SHOWN} 个" in html


# ---------------------------------------------------------------- the denominator


def test_the_denominator_step_by_step(data, places):
    # Neither capacity nor home: counted once, as without capacity, never as a migrant.
    member(places["v1"], labour="无劳动力", work="省外务工")
    # 太平村's registry as conftest.py made it, by hand: 8 active (one inactive left
    # out), 6 with capacity (丧失劳动力 and 无劳动力 out), 2 migrants among them.
    villages = denominator_by("village")
    v1, v2 = villages[places["v1"].pk], villages[places["v2"].pk]
    assert (v1.registered, v1.without_capacity, v1.with_capacity, v1.migrants, v1.eligible) == (
        8,
        2,
        6,
        2,
        4,
    )
    assert (v2.registered, v2.with_capacity, v2.eligible) == (10, 10, 10)
    # 富裕村 (not poor) and 水东村 (not a demonstration county) are outside the scope.
    assert set(villages) == {places["v1"].pk, places["v2"].pk}
    (county,) = denominator_by("county").values()
    assert (county.registered, county.with_capacity, county.eligible) == (18, 16, 14)
    assert denominator_total(villages.values()) == Denominator(None, 18, 16, 14)
    towns = denominator_by("town", county=places["demo"])
    assert {pk: row.eligible for pk, row in towns.items()} == {
        places["v1"].town.pk: 4,
        places["v2"].town.pk: 10,
    }
    assert list(denominator_by("village", town=places["v2"].town)) == [places["v2"].pk]


def test_the_denominator_ends_at_the_reports_eligible_persons(data):
    for level in ("county", "town", "village"):
        eligible = {row.area_id: row.eligible for row in coverage_by(level, *YEAR)}
        assert {pk: row.eligible for pk, row in denominator_by(level).items()} == eligible


def test_the_page_shows_the_denominator_for_its_area_and_per_row(client, data, places, bureau):
    client.force_login(bureau)
    response = client.get(reverse("coverage:county", args=[places["demo"].pk]), PERIOD)
    board = response.context["dashboard"]
    total = board.denominator
    assert (total.registered, total.with_capacity, total.migrants, total.eligible) == (
        17,
        16,
        2,
        14,
    )
    assert total.eligible == response.context["total"].figures.eligible
    # Per row, in the table's order.
    assert [name for name, _ in board.denominators] == [r.name for r in response.context["rows"]]
    assert dict((name, row.eligible) for name, row in board.denominators) == {
        "罗镜镇": 4,
        "泗纶镇": 10,
    }
    html = response.content.decode()
    section = html.split('class="coverage-card coverage-denominator"')[1].split("</section>")[0]
    for label, value in [
        ("在册成员", "17"),
        ("有劳动能力", "16"),
        ("外出务工", "− 2"),
        ("应培训人数", "14"),
    ]:
        assert label in section and f'<span class="value">{value}</span>' in section


# ---------------------------------------------------------------- missing data


def test_areas_in_scope_without_eligible_members_are_flagged(data, places):
    town = places["v1"].town
    Village.objects.create(town=town, name="无档村", is_provincial_poor=True)
    gone = Village.objects.create(town=town, name="外出村", is_provincial_poor=True)
    member(gone, work="省外务工")
    member(gone, labour="丧失劳动力")
    member(gone, active=False)
    Village.objects.create(town=town, name="不在册村", is_provincial_poor=True, is_active=False)
    Village.objects.create(town=town, name="非贫困村", is_provincial_poor=False)
    no_registry = County.objects.create(name="郁南县", is_demonstration=True)
    far = Town.objects.create(county=no_registry, name="都城镇")
    for name in ("甲村", "乙村"):
        member(
            Village.objects.create(town=far, name=name, is_provincial_poor=True), work="省外务工"
        )
    Village.objects.create(town=far, name="丙村", is_provincial_poor=False)
    no_flags = County.objects.create(name="云安区", is_demonstration=True)
    Village.objects.create(
        town=Town.objects.create(county=no_flags, name="六都镇"),
        name="丁村",
        is_provincial_poor=False,
    )

    counties, villages = missing_data()
    # Listed by name; compared as sets, since a database's collation orders Chinese.
    assert {(c.county, c.villages, c.registered) for c in counties} == {
        ("云安区", 0, 0),
        ("郁南县", 2, 2),
    }
    # 外出村: two active members, neither eligible; 无档村: never imported. 郁南县's
    # villages are not repeated under their county.
    assert {(v.village, v.registered) for v in villages} == {("外出村", 2), ("无档村", 0)}
    assert missing_data(county=places["demo"]) == ([], villages)
    assert missing_data(county=no_registry) == (
        [MissingArea(no_registry.pk, "郁南县", "", "", 2, 2)],
        [],
    )
    assert {v.village for v in missing_data(town=far)[1]} == {"乙村", "甲村"}
    assert missing_data(town=places["v2"].town) == ([], [])


def test_the_pages_list_missing_data(client, data, places, bureau):
    Village.objects.create(town=places["v1"].town, name="无档村", is_provincial_poor=True)
    County.objects.create(name="郁南县", is_demonstration=True)
    client.force_login(bureau)
    html = client.get(reverse("coverage:report"), PERIOD).content.decode()
    section = html.split('class="coverage-card coverage-missing"')[1].split("</section>")[0]
    assert "缺少建档立卡数据" in section
    assert "郁南县" in section and "无档村" in section and "没有建档立卡数据" in section
    town = client.get(reverse("coverage:town", args=[places["v1"].town.pk]), PERIOD)
    assert [v.village for v in town.context["dashboard"].missing_villages] == ["无档村"]
    other_town = client.get(reverse("coverage:town", args=[places["v2"].town.pk]), PERIOD)
    assert "coverage-missing" not in other_town.content.decode()


# ---------------------------------------------------------------- the trend


def complete_online(person, course, day, completed=None):
    user = UserFactory(id_number_hash=person.id_number_hash)
    return Completion.objects.create(
        user=user,
        course=course,
        completed_at=timezone.make_aware(
            datetime.datetime.combine(completed or day, datetime.time(10))
        ),
        online_completed_on=day,
        hours=Decimal("6"),
        certificate_code=new_certificate_code(),
    )


@pytest.fixture
def trend(data, places, course):
    """Beyond conftest's set: a second course with classes in January and May, an online
    completion dated by ``online_completed_on`` (April) not ``completed_at`` (February),
    a course completed with class hours (no online date: not a person-time), and the
    same kinds for people the figure never counts."""
    second = make_course(CatalogPage.objects.get(), Track.objects.first(), "直播带货")
    v1, v2 = places["v1"], places["v2"]
    january = session(second, v1, datetime.date(2026, 1, 20))
    may = session(second, v2, datetime.date(2026, 5, 31))
    people = [member(v2) for _ in range(3)]
    for person in people:
        attend(january, person)
    attend(may, people[0])
    complete_online(people[1], second, datetime.date(2026, 4, 20), datetime.date(2026, 2, 10))
    class_completed = complete_online(people[2], course, datetime.date(2026, 4, 1))
    Completion.objects.filter(pk=class_completed.pk).update(online_completed_on=None)
    migrant = member(v1, work="县外省内务工")
    attend(january, migrant)
    complete_online(migrant, second, datetime.date(2026, 4, 2))
    attend(session(second, v1, datetime.date(2027, 1, 5)), people[0])  # after the period
    return second


def by_hand():
    """Per month of 2026, (classes, online) of eligible people, from the fixtures' docstrings:
    March: three_classes ×3, sheet_only, 杨绿村's first member (conftest); January: three
    of 杨绿村's new members; April: one online completion; May: one class; June: the
    online course of conftest's ``online`` member."""
    months = {datetime.date(2026, m, 1): (0, 0) for m in range(1, 13)}
    months |= {
        datetime.date(2026, 1, 1): (3, 0),
        datetime.date(2026, 3, 1): (5, 0),
        datetime.date(2026, 4, 1): (0, 1),
        datetime.date(2026, 5, 1): (1, 0),
        datetime.date(2026, 6, 1): (0, 1),
    }
    return months


def test_the_trend_counts_each_month_as_the_figure_counts(trend, places):
    breakdown = units_breakdown(*YEAR)
    assert {month: (s.classes, s.online) for month, s in breakdown.months} == by_hand()
    assert [month for month, _ in breakdown.months] == sorted(by_hand())
    assert breakdown.total == UnitSplit(classes=9, online=2)
    assert [(title, s.classes, s.online) for title, s in breakdown.courses] == [
        ("农村电商入门", 5, 1),
        ("直播带货", 4, 1),
    ]


def test_the_trend_adds_up_to_the_areas_person_times(trend, places):
    for level, model in (("county", County), ("town", Town)):
        rows = coverage_by(level, *YEAR)
        assert rows
        for row in rows:
            breakdown = units_breakdown(*YEAR, **{level: model.objects.get(pk=row.area_id)})
            assert breakdown.total.total == row.person_times
            assert sum(s.total for _, s in breakdown.courses) == row.person_times
        assert units_breakdown(*YEAR).total.total == sum(row.person_times for row in rows)


def test_the_trend_over_another_period(trend):
    spring = (datetime.date(2025, 12, 15), datetime.date(2026, 3, 1))
    breakdown = units_breakdown(*spring)
    # Months from the period's first to its last, the partial ones included.
    assert [month for month, _ in breakdown.months] == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 1),
    ]
    (total,) = coverage_by("county", *spring)
    assert breakdown.total.total == total.person_times == 1 + 3 + 2  # 12-31, January, 03-01


def test_the_chart_draws_each_month_to_scale():
    months = [
        (datetime.date(2026, 1, 1), UnitSplit(classes=3, online=1)),
        (datetime.date(2026, 2, 1), UnitSplit()),
        (datetime.date(2026, 3, 1), UnitSplit(classes=0, online=10)),
    ]
    chart = trend_chart(months)
    assert chart.top == 10  # the smallest of 1, 2, 5, 10, 20… reaching the highest month
    first, empty, third = chart.bars
    unit = Fraction(chart.plot_height, 10)
    assert first.classes_height == Decimal(round(3 * unit * 10)).scaleb(-1)
    assert first.online_height == Decimal(round(1 * unit * 10)).scaleb(-1)
    assert first.classes_y == chart.bottom - first.classes_height
    assert first.online_y == first.classes_y - first.online_height
    assert (
        third.online_height == chart.plot_height
        and third.online_y == chart.bottom - chart.plot_height
    )
    assert empty.classes_height == empty.online_height == 0
    assert first.x < empty.x < third.x
    assert [text for text, _ in chart.labels] == ["1", "2", "3"]
    assert trend_chart([(datetime.date(2026, 1, 1), UnitSplit())]) is None
    three_years = [
        (datetime.date(2018 + n // 12, n % 12 + 1, 1), UnitSplit(1, 0)) for n in range(36)
    ]
    years = trend_chart(three_years)
    assert [text for text, _ in years.labels] == ["2018", "2019", "2020"] and years.years
    assert not chart.years
    # Each year's label starts at its January bar.
    assert [x for _, x in years.labels] == [years.bars[n].x for n in (0, 12, 24)]


def test_the_page_draws_the_trend_split_and_courses_without_script(client, trend, places, bureau):
    client.force_login(bureau)
    response = client.get(reverse("coverage:report"), PERIOD)
    board = response.context["dashboard"]
    assert board.breakdown.total.total == response.context["total"].figures.person_times == 11
    html = response.content.decode()
    section = html.split('class="coverage-card coverage-trend"')[1].split("</section>")[0]
    assert "<script" not in section and "<svg" in section
    # A group per month; a rect only where there were units of its kind.
    assert section.count('<g class="month">') == 12
    assert (
        section.count('<rect class="classes"') == 3 and section.count('<rect class="online"') == 2
    )
    assert "<title>2026-03: 5" in section
    assert "11 人次：参加培训班 9 人次，在线学习结业 2 人次" in section
    assert '<th scope="row">2026-04</th><td>0</td><td>1</td><td>1</td>' in section
    courses = section.split('class="course-bars"')[1]
    assert courses.index("农村电商入门") < courses.index("直播带货")


def test_a_period_without_training_says_so(client, data, bureau):
    client.force_login(bureau)
    response = client.get(reverse("coverage:report"), {"start": "2019-01-01", "end": "2019-12-31"})
    assert response.context["dashboard"].chart is None
    assert "本期间没有培训人次" in response.content.decode()


# ---------------------------------------------------------------- queries


def queries_of(function, *args, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        function(*args, **kwargs)
    return len(captured)


def grow(places, course, villages, people):
    """More villages, members, classes and online completions, in two towns."""
    for n in range(villages):
        town = places["v1"].town if n % 2 else places["v2"].town
        village = Village.objects.create(
            town=town, name=f"增{villages}村{n}", is_provincial_poor=True
        )
        class_ = session(course, village, datetime.date(2026, 1 + n % 12, 3))
        for m in range(people):
            person = member(village, work="省外务工" if m == 0 else "")
            attend(class_, person)
            if m == 1:
                complete_online(person, course, datetime.date(2026, 1 + m % 12, 9))
        Village.objects.create(town=town, name=f"空{villages}村{n}", is_provincial_poor=True)


CALLS = {
    "lagging villages": (lambda p: lagging_villages(*YEAR), 1),
    "lagging villages of a county": (lambda p: lagging_villages(*YEAR, county=p["demo"]), 1),
    "denominator by village": (lambda p: denominator_by("village"), 1),
    "denominator by town of a county": (lambda p: denominator_by("town", county=p["demo"]), 1),
    "missing data": (lambda p: missing_data(), 2),
    "missing data of a town": (lambda p: missing_data(town=p["v1"].town), 1),
    "breakdown": (lambda p: units_breakdown(*YEAR), 2),
    "breakdown of a town": (lambda p: units_breakdown(*YEAR, town=p["v1"].town), 2),
}


def test_each_part_takes_a_fixed_number_of_queries(data, places, course):
    grow(places, course, villages=2, people=2)
    few = {name: queries_of(call, places) for name, (call, _) in CALLS.items()}
    assert few == {name: queries for name, (_, queries) in CALLS.items()}
    grow(places, course, villages=8, people=4)
    assert {name: queries_of(call, places) for name, (call, _) in CALLS.items()} == few


def test_the_pages_take_as_many_queries_for_many_villages_as_for_few(
    client, data, places, course, bureau
):
    client.force_login(bureau)
    urls = [
        reverse("coverage:report"),
        reverse("coverage:county", args=[places["demo"].pk]),
        reverse("coverage:town", args=[places["v1"].town.pk]),
    ]
    client.get(urls[0])  # Wagtail makes the user's profile on a first visit.
    grow(places, course, villages=2, people=2)
    few = [queries_of(client.get, url, PERIOD) for url in urls]
    grow(places, course, villages=8, people=4)
    many = [queries_of(client.get, url, PERIOD) for url in urls]
    assert many == few
    board = client.get(urls[0], PERIOD).context["dashboard"]
    assert len(board.missing_villages) == 10  # the empty villages grow() made
    assert board.denominator.registered == 17 + 2 * 2 + 8 * 4


# ---------------------------------------------------------------- the page's area


def test_the_county_page_lists_its_own_lagging_villages(client, data, places, course, bureau):
    other = County.objects.create(name="新兴县", is_demonstration=True)
    villages_with(places, course, [(8, 1)], town=Town.objects.create(county=other, name="天堂镇"))
    client.force_login(bureau)
    mine = client.get(reverse("coverage:county", args=[places["demo"].pk]), PERIOD)
    assert [row.figures.village for row in mine.context["dashboard"].lagging] == ["杨绿村"]
    theirs = client.get(reverse("coverage:county", args=[other.pk]), PERIOD)
    assert [row.figures.village for row in theirs.context["dashboard"].lagging] == ["天堂镇测0村"]
    # A town page's table shows each village's gap; it has no list of its own.
    town = client.get(reverse("coverage:town", args=[places["v2"].town.pk]), PERIOD)
    assert town.context["dashboard"].lagging is None
    assert "还差 4 人次" in town.content.decode().split('class="coverage-table"')[1]


def test_county_staff_see_their_countys_missing_data_only(client, data, places, officer):
    Village.objects.create(town=places["v1"].town, name="无档村", is_provincial_poor=True)
    County.objects.create(name="郁南县", is_demonstration=True)
    client.force_login(officer)
    board = client.get(reverse("coverage:report"), PERIOD).context["dashboard"]
    assert board.missing_counties == []
    assert [v.village for v in board.missing_villages] == ["无档村"]


def test_the_page_says_whether_its_period_is_signed_off(client, data, places, bureau, officer):
    client.force_login(bureau)
    url = reverse("coverage:county", args=[places["demo"].pk])
    status = client.get(url, PERIOD).context["signoff_status"]
    assert [(c.county, c.status) for c in status.counties] == [(places["demo"], "none")]
    signoff.approve(signoff.submit(places["demo"], *YEAR, officer), bureau, "核对无误")
    response = client.get(url, PERIOD)
    assert [c.status for c in response.context["signoff_status"].counties] == ["approved"]
    html = response.content.decode()
    assert 'class="signoff-status-box all-approved"' in html
    assert "coverage/signoff.css" in html
    # Another period is not signed off by it; the main page asks of every county shown.
    other = client.get(url, {"start": "2026-01-01", "end": "2026-06-30"})
    assert [c.status for c in other.context["signoff_status"].counties] == ["none"]
    main = client.get(reverse("coverage:report"), PERIOD).context["signoff_status"]
    assert [c.county.name for c in main.counties] == ["罗定市"]  # 云城区 is no demonstration county
