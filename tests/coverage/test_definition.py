"""The figure counts exactly what DESIGN.md defines, checked against a count made here
independently, in plain Python, from the raw rows: classes attended, and courses completed
by online study on the day their online hours alone reached the required hours."""

import datetime
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings

from classes.models import Attendance
from coverage.models import RegistryMember
from coverage.report import coverage_by, coverage_total
from learning.completion import settle_completion
from learning.models import OnlineStudy
from tests.accounts.factories import UserFactory
from tests.courses.factories import make_course
from tests.coverage.conftest import attend, complete_online, member, session

D = datetime.date
PLAN = (D(2018, 1, 1), D(2020, 12, 31))
LEVEL_KEY = {
    "county": lambda m: m.village.town.county_id,
    "town": lambda m: m.village.town_id,
    "village": lambda m: m.village_id,
}


def attend_as(session_, user):
    return Attendance.objects.create(
        session=session_,
        user=user,
        name=user.real_name or "学员",
        id_number_hash=user.id_number_hash,
        method=Attendance.Method.INSTRUCTOR,
    )


def test_two_old_classes_are_two_person_times_and_nothing_this_year(places, course):
    """The issue's case: two 2019 classes completed a course; the completion is no third unit."""
    person = member(places["v1"])
    user = UserFactory(id_number_hash=person.id_number_hash)
    for day in (D(2019, 3, 1), D(2019, 3, 8)):
        attend_as(session(course, places["v2"], day), user)  # 3 + 3 hours: completes
    assert user.completions.count() == 1
    [row] = coverage_by("village", *PLAN)
    assert (row.village, row.person_times, row.persons) == ("太平村", 2, 1)
    this_year = (D(2026, 1, 1), D(2026, 12, 31))
    assert coverage_total(*this_year).person_times == 0


def test_half_online_half_in_class_counts_the_class_only(places, course):
    person = member(places["v1"])
    user = UserFactory(id_number_hash=person.id_number_hash)
    OnlineStudy.objects.create(user=user, course=course, day=D(2019, 5, 1), seconds=3 * 3600)
    attend_as(session(course, places["v1"], D(2019, 6, 1)), user)
    assert user.completions.get().online_completed_on is None
    assert coverage_total(*PLAN).person_times == 1


def test_an_online_completion_counts_in_the_period_of_its_day(places, course):
    person = member(places["v1"])
    user = UserFactory(id_number_hash=person.id_number_hash)
    complete_online(user, course, D(2019, 12, 31))
    assert coverage_total(D(2019, 1, 1), D(2019, 12, 31)).person_times == 1
    assert coverage_total(D(2020, 1, 1), D(2020, 12, 31)).person_times == 0


def test_removing_an_attendance_takes_away_its_unit_and_the_completion_it_caused(places, course):
    person = member(places["v1"])
    user = UserFactory(id_number_hash=person.id_number_hash)
    OnlineStudy.objects.create(user=user, course=course, day=D(2019, 5, 1), seconds=3 * 3600)
    attendance = attend_as(session(course, places["v1"], D(2019, 6, 1)), user)
    assert (coverage_total(*PLAN).person_times, user.completions.count()) == (1, 1)
    attendance.delete()
    assert (coverage_total(*PLAN).person_times, user.completions.count()) == (0, 0)


def independent_counts(start, end):
    """Per eligible member: units in the period, from the raw rows, the definition applied
    by hand (no query of the report's, no completion row)."""
    capacity = set(settings.COVERAGE_CAPACITY_CATEGORIES)
    migrant = set(settings.COVERAGE_MIGRANT_STATUSES)
    members = [
        m
        for m in RegistryMember.objects.select_related("village__town__county")
        if m.is_active
        and m.labour_category in capacity
        and m.work_status not in migrant
        and m.village.is_active
        and m.village.is_provincial_poor
        and m.village.town.county.is_demonstration
    ]
    classes = Counter(
        a.id_number_hash
        for a in Attendance.objects.select_related("session")
        if a.id_number_hash and start <= a.session.date <= end
    )
    online = defaultdict(list)
    for row in OnlineStudy.objects.select_related("user", "course"):
        online[(row.user, row.course)].append((row.day, row.seconds))
    completed = Counter()
    for (user, course), days in online.items():
        total = 0
        for day, seconds in sorted(days):
            total += seconds
            if total >= course.required_hours * 3600:
                if user.id_number_hash and start <= day <= end:
                    completed[user.id_number_hash] += 1
                break
    return {m: classes[m.id_number_hash] + completed[m.id_number_hash] for m in members}


def test_every_level_equals_an_independent_count_on_a_random_data_set(places, course):
    """A seeded random registry, classes (some as accounts, some from sheets) and online
    study (some completing online, some completing only with classes)."""
    rng = random.Random(20181231)
    other = make_course(course.get_parent(), course.track, "网店运营", required_hours=Decimal("4"))
    villages = [places["v1"], places["v2"], places["rich"], places["elsewhere"]]
    labours = ["技能劳动力", "普通劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"]
    works = ["", "乡（镇）内务工", "乡（镇）外县内务工", "县外省内务工", "省外务工", "其他"]
    people = [
        member(
            rng.choice(villages),
            labour=rng.choice(labours),
            work=rng.choice(works),
            active=rng.random() > 0.1,
        )
        for _ in range(60)
    ]
    days = [D(2017, 12, 30) + datetime.timedelta(days=rng.randrange(0, 1200)) for _ in range(12)]
    sessions = [session(rng.choice([course, other]), rng.choice(villages), day) for day in days]
    for person in people:
        user = None
        if rng.random() < 0.6:
            user = UserFactory(id_number_hash=person.id_number_hash)
        for session_ in rng.sample(sessions, rng.randrange(0, 4)):
            if user is not None and rng.random() < 0.5:
                attend_as(session_, user)
            else:
                attend(session_, person)
        if user is not None:
            for taught in rng.sample([course, other], rng.randrange(0, 3)):
                for _ in range(rng.randrange(1, 4)):
                    day = D(2018, 1, 1) + datetime.timedelta(days=rng.randrange(-30, 1150))
                    OnlineStudy.objects.update_or_create(
                        user=user,
                        course=taught,
                        day=day,
                        defaults={"seconds": rng.choice([3600, 2 * 3600, 3 * 3600])},
                    )
                settle_completion(user, taught)

    for period in (PLAN, (D(2019, 1, 1), D(2019, 12, 31)), (D(2020, 6, 1), D(2021, 3, 1))):
        expected = independent_counts(*period)
        assert sum(expected.values()) > 0
        for level, key in LEVEL_KEY.items():
            eligible, times, persons = Counter(), Counter(), Counter()
            for m, units in expected.items():
                eligible[key(m)] += 1
                times[key(m)] += units
                persons[key(m)] += units > 0
            got = {
                row.area_id: (row.eligible, row.person_times, row.persons)
                for row in coverage_by(level, *period)
            }
            want = {area: (eligible[area], times[area], persons[area]) for area in eligible}
            assert got == want, (level, period)
