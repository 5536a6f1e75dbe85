"""A completion is dated the day its hours were reached, and marked as online only when
the online hours alone reached them (DESIGN.md, "Training person-time")."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.utils import timezone

from classes.models import Attendance
from learning.completion import complete_if_due, hours_reached, settle_completion
from learning.models import Completion
from tests.accounts.factories import UserFactory
from tests.learning import enrolment_factories as make

D = datetime.date
HOUR = 3600


@pytest.fixture
def trainee(db):
    user = UserFactory(real_name="黄小梅")
    user.set_id_number("445302199001011235")
    user.save()
    return user


def completion_of(user, course):
    return Completion.objects.filter(user=user, course=course).first()


def local_day(moment):
    return timezone.localdate(moment)


def test_online_study_completes_on_the_day_the_online_hours_reach_the_requirement(trainee):
    course = make.course(hours="6")
    make.study_online(trainee, course, 4 * HOUR, day=D(2019, 3, 1))
    make.study_online(trainee, course, 2 * HOUR, day=D(2019, 4, 10))
    make.study_online(trainee, course, 5 * HOUR, day=D(2019, 5, 2))  # after: changes nothing
    completion = settle_completion(trainee, course)
    assert local_day(completion.completed_at) == D(2019, 4, 10)
    assert completion.online_completed_on == D(2019, 4, 10)
    assert completion.hours == Decimal("6.00")


def test_a_course_completed_half_online_half_in_class_is_not_an_online_completion(trainee):
    course = make.course(hours="6")
    make.study_online(trainee, course, 3 * HOUR, day=D(2019, 5, 1))
    make.attend(make.session(course, hours="3", date=D(2019, 6, 1)), trainee)
    completion = completion_of(trainee, course)
    # The attendance completed it, on the class's day, not on the day it was recorded.
    assert local_day(completion.completed_at) == D(2019, 6, 1)
    assert completion.online_completed_on is None


def test_two_old_classes_complete_a_course_on_the_second_class_day(trainee):
    """The issue's inflation: two 2019 classes recorded today made a completion dated today."""
    course = make.course(hours="6")
    make.attend(make.session(course, hours="3", date=D(2019, 3, 1)), trainee)
    assert completion_of(trainee, course) is None
    make.attend(make.session(course, hours="3", date=D(2019, 3, 8)), trainee)
    completion = completion_of(trainee, course)
    assert local_day(completion.completed_at) == D(2019, 3, 8)
    assert completion.online_completed_on is None


def test_online_hours_reaching_the_requirement_later_make_it_an_online_completion(trainee):
    course = make.course(hours="6")
    make.attend(make.session(course, hours="6", date=D(2019, 3, 1)), trainee)
    make.study_online(trainee, course, 6 * HOUR, day=D(2019, 9, 9))
    completion = complete_if_due(trainee, course)
    assert local_day(completion.completed_at) == D(2019, 3, 1)
    assert completion.online_completed_on == D(2019, 9, 9)


def test_removing_the_attendance_that_completed_a_course_undoes_the_completion(trainee):
    course = make.course(hours="6")
    make.study_online(trainee, course, 3 * HOUR, day=D(2019, 5, 1))
    attendance = make.attend(make.session(course, hours="3", date=D(2019, 6, 1)), trainee)
    assert completion_of(trainee, course) is not None
    attendance.delete()
    assert completion_of(trainee, course) is None


def test_removing_an_attendance_re_dates_a_completion_still_reached(trainee):
    course = make.course(hours="6")
    early = make.attend(make.session(course, hours="6", date=D(2019, 3, 1)), trainee)
    make.attend(make.session(course, hours="6", date=D(2019, 7, 1)), trainee)
    assert local_day(completion_of(trainee, course).completed_at) == D(2019, 3, 1)
    early.delete()
    assert local_day(completion_of(trainee, course).completed_at) == D(2019, 7, 1)


def test_moving_a_class_to_another_day_re_dates_the_completion(trainee):
    course = make.course(hours="6")
    session = make.session(course, hours="6", date=D(2019, 3, 1))
    make.attend(session, trainee)
    session.date = D(2019, 4, 2)
    session.save()
    assert local_day(completion_of(trainee, course).completed_at) == D(2019, 4, 2)


def test_a_sheet_attendance_by_id_number_completes_for_the_account_with_that_number(trainee):
    course = make.course(hours="3")
    make.attend(
        make.session(course, hours="3", date=D(2019, 3, 1)),
        id_number_hash=trainee.id_number_hash,
        name="黄小梅",
    )
    assert Attendance.objects.get().user is None
    assert local_day(completion_of(trainee, course).completed_at) == D(2019, 3, 1)


def test_a_completion_recorded_directly_takes_its_online_date_from_the_ledger(trainee):
    course = make.course(hours="6")
    make.study_online(trainee, course, 6 * HOUR, day=D(2020, 2, 2))
    assert make.completion(trainee, course).online_completed_on == D(2020, 2, 2)
    other = make.course("网店运营", hours="6")
    # No online study behind it: recorded, but not a completion by online study.
    assert make.completion(trainee, other).online_completed_on is None


def test_a_removal_never_takes_away_a_completion_the_ledger_never_had(trainee):
    """Completions recorded by hand stay when an unrelated attendance of theirs goes."""
    course = make.course(hours="6")
    make.completion(trainee, course)
    make.attend(make.session(course, hours="1", date=D(2019, 3, 1)), trainee).delete()
    assert completion_of(trainee, course) is not None


def test_reaching_the_hours_today_keeps_the_moment(trainee):
    course = make.course(hours="1")
    today = timezone.localdate()
    make.study_online(trainee, course, HOUR, day=today)
    before = timezone.now()
    completion = complete_if_due(trainee, course)
    assert completion.completed_at >= before
    assert completion.online_completed_on == today


def test_hours_not_reached_give_no_dates(db):
    course = make.course(hours="6")
    user = UserFactory()
    make.study_online(user, course, 5 * HOUR, day=D(2019, 3, 1))
    assert hours_reached(user, course).on is None
    assert settle_completion(user, course) is None


def test_the_data_migration_dates_existing_completions_from_the_ledger(trainee):
    """Rows recorded the old way (dated when recorded, all counted) are re-dated; the
    schema is the same before and after it, so today's models stand in for history."""
    from django.apps import apps

    migration = importlib.import_module("learning.migrations.0003_date_completions_from_the_ledger")
    by_class, online, by_hand = (make.course(title, hours="6") for title in ("甲", "乙", "丙"))
    make.attend(make.session(by_class, hours="6", date=D(2019, 3, 1)), trainee)
    make.study_online(trainee, online, 6 * HOUR, day=D(2019, 4, 4))
    make.completion(trainee, by_hand)
    recorded = timezone.now()
    Completion.objects.update(completed_at=recorded, online_completed_on=D(2026, 1, 1))
    if not Completion.objects.filter(course=online).exists():
        make.completion(trainee, online, when=recorded)

    migration.date_from_the_ledger(apps, None)

    dates = {
        c.course_id: (local_day(c.completed_at), c.online_completed_on)
        for c in Completion.objects.all()
    }
    assert dates[by_class.pk] == (D(2019, 3, 1), None)
    assert dates[online.pk] == (D(2019, 4, 4), D(2019, 4, 4))
    # No hours in the ledger: the date stays, and it is no online completion.
    assert dates[by_hand.pk] == (local_day(recorded), None)
