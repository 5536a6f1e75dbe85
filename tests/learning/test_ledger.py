"""The hours ledger: online and offline hours per course, periods with both ends
included, and one person found by their account or by their ID-card hash."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import OuterRef

from accounts.idcard import id_number_hash
from accounts.models import User
from learning.completion import settle_completion
from learning.ledger import (
    CourseHours,
    Units,
    course_hours,
    hours_by_course,
    training_units,
    unit_counts,
)
from learning.models import Completion
from tests.accounts.factories import UserFactory
from tests.learning import enrolment_factories as make

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
HASH = id_number_hash("445302199001011235")
OTHER_HASH = id_number_hash("445302198501021232")


@pytest.fixture
def trainee(db):
    user = UserFactory(real_name="黄小梅")
    user.set_id_number("445302199001011235")
    user.save()
    return user


def big_course(title):
    """A course no test reaches the end of, so that no attendance completes it."""
    return make.course(title, hours="100")


def test_online_and_offline_hours_add_up_per_course(trainee):
    shop, marketing, untouched = big_course("开设网店"), big_course("网络营销"), big_course("微店")
    make.study_online(trainee, shop, 3600, day=D(2026, 3, 1))
    make.study_online(trainee, shop, 1800, day=D(2026, 3, 2))
    make.attend(make.session(shop, hours="2"), trainee)
    make.attend(make.session(marketing, hours="1.5"), trainee)
    someone_else = UserFactory()
    make.study_online(someone_else, shop, 7200)
    make.attend(make.session(shop, hours="3"), someone_else)

    assert hours_by_course(user=trainee) == {
        shop.pk: CourseHours(online=Decimal("1.5"), offline=Decimal("2")),
        marketing.pk: CourseHours(online=Decimal("0"), offline=Decimal("1.5")),
    }
    assert course_hours(trainee, shop).total == Decimal("3.5")
    assert course_hours(trainee, marketing) == CourseHours(offline=Decimal("1.5"))
    assert course_hours(trainee, untouched) == CourseHours()
    assert course_hours(trainee, untouched).total == 0


def test_online_seconds_become_hours_rounded_to_the_hundredth(trainee):
    course = big_course("开设网店")
    make.study_online(trainee, course, 100, day=D(2026, 3, 1))  # 0.0277… h
    make.study_online(trainee, course, 100, day=D(2026, 3, 2))
    # Summed before rounding: 200 s is 0.06 h, not 0.03 + 0.03.
    assert course_hours(trainee, course).online == Decimal("0.06")


def test_periods_include_both_ends(trainee):
    course = big_course("开设网店")
    for day in (D(2026, 2, 28), D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 1)):
        make.study_online(trainee, course, 3600, day=day)
        make.attend(make.session(course, hours="2", date=day), trainee)

    march = hours_by_course(user=trainee, start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert march[course.pk] == CourseHours(online=Decimal("2"), offline=Decimal("4"))
    one_day = hours_by_course(user=trainee, start=D(2026, 3, 31), end=D(2026, 3, 31))
    assert one_day[course.pk] == CourseHours(online=Decimal("1"), offline=Decimal("2"))
    assert hours_by_course(user=trainee, start=D(2026, 3, 2), end=D(2026, 3, 30)) == {}

    until_march = hours_by_course(user=trainee, end=D(2026, 3, 1))
    assert until_march[course.pk].total == Decimal("6")
    from_april = hours_by_course(user=trainee, start=D(2026, 4, 1))
    assert from_april[course.pk].total == Decimal("3")
    assert hours_by_course(user=trainee)[course.pk].total == Decimal("12")


def test_a_user_is_also_known_by_the_id_hash_of_a_sign_in_sheet(trainee):
    """A sheet recorded the villager by ID number only; their account has the same ID."""
    course = big_course("开设网店")
    make.attend(make.session(course, hours="2"), id_number_hash=HASH, name="黄小梅")
    make.attend(make.session(course, hours="1"), trainee)
    make.study_online(trainee, course, 1800)
    make.attend(make.session(course, hours="4"), id_number_hash=OTHER_HASH, name="别人")

    by_user = hours_by_course(user=trainee)
    by_hash = hours_by_course(id_number_hash=HASH)
    assert (
        by_user == by_hash == {course.pk: CourseHours(online=Decimal("0.5"), offline=Decimal("3"))}
    )
    assert training_units(user=trainee) == training_units(id_number_hash=HASH) == Units(classes=2)


def test_an_attendance_without_a_hash_reaches_the_hash_through_the_profile(db):
    """The user gave their ID number after attending: the profile now links the two."""
    course = big_course("开设网店")
    user = UserFactory()
    make.attend(make.session(course, hours="2"), user)
    user.set_id_number("445302199001011235")
    user.save()
    assert hours_by_course(id_number_hash=HASH) == {course.pk: CourseHours(offline=Decimal("2"))}


def test_a_villager_without_an_account_is_known_by_hash_alone(db):
    course = big_course("开设网店")
    make.attend(make.session(course, hours="2"), id_number_hash=OTHER_HASH, name="李大姐")
    assert hours_by_course(id_number_hash=OTHER_HASH) == {
        course.pk: CourseHours(offline=Decimal("2"))
    }
    assert training_units(id_number_hash=OTHER_HASH) == Units(classes=1)
    assert hours_by_course(id_number_hash=HASH) == {}
    assert hours_by_course() == {}, "no person: nobody's hours, not everybody's"
    assert training_units() == Units()


def test_training_units_count_classes_and_completed_courses_in_the_period(trainee):
    course = big_course("开设网店")
    make.attend(make.session(course, date=D(2026, 3, 1)), trainee)
    make.attend(make.session(course, date=D(2026, 3, 31)), trainee)
    make.attend(make.session(course, date=D(2026, 4, 1)), trainee)
    # 00:30 on 1 April in Yunfu is still 31 March in UTC: the local date counts.
    make.completion(trainee, course, when=datetime.datetime(2026, 4, 1, 0, 30, tzinfo=SHANGHAI))
    other = big_course("微店")
    make.completion(trainee, other, when=datetime.datetime(2026, 3, 1, 9, tzinfo=SHANGHAI))

    march = training_units(user=trainee, start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert march == Units(classes=2, courses=1)
    assert march.total == 3
    assert training_units(user=trainee, start=D(2026, 4, 1), end=D(2026, 4, 1)) == Units(1, 1)
    assert training_units(id_number_hash=HASH) == Units(classes=3, courses=2)


def test_unit_counts_per_hash_for_reports(trainee):
    """Reports annotate each registry member (here: each user) by their hash."""
    course = big_course("开设网店")
    march = (D(2026, 3, 1), D(2026, 3, 31))
    make.attend(make.session(course, date=D(2026, 3, 1)), trainee)
    make.attend(make.session(course, date=D(2026, 3, 31)), id_number_hash=HASH, name="黄小梅")
    make.attend(make.session(course, date=D(2026, 4, 1)), trainee)  # outside the period
    # Completed by online study on 3-20: the day its online hours reached the 100 required.
    make.study_online(trainee, course, 60 * 3600, day=D(2026, 2, 1))
    make.study_online(trainee, course, 40 * 3600, day=D(2026, 3, 20))
    settle_completion(trainee, course)
    villager = UserFactory()
    villager.set_id_number("445302198501021232")
    villager.save()
    make.attend(make.session(course, date=D(2026, 3, 6)), id_number_hash=OTHER_HASH, name="李")
    idle = UserFactory()
    idle.set_id_number("445302197001011236")
    idle.save()

    rows = User.objects.annotate(**unit_counts(OuterRef("id_number_hash"), *march))
    counts = {user.pk: (user.attended, user.completed) for user in rows}
    assert counts[trainee.pk] == (2, 1)
    completion = Completion.objects.get(user=trainee, course=course)
    assert completion.online_completed_on == D(2026, 3, 20)
    assert counts[villager.pk] == (1, 0)
    assert counts[idle.pk] == (0, 0)
