"""An account that comes to hold an ID number gets the classes recorded by it, and the
heartbeat's cached standing (learning) counts their hours at once."""

import pytest
from django.core.cache import cache

from accounts.idcard import id_number_hash
from classes.attendance import Person, record_attendance
from classes.id_claims import records_linked
from classes.models import Attendance
from learning.enrolment import Standing, _standing_key, enrol, study_standing
from tests.courses.factories import make_user

from .conftest import id_number

NUMBER = id_number(31)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Standings are kept by user and course ids, which rolled-back tests reuse."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_the_sheet(session):
    """A class the person attended before having an account: recorded by ID number."""
    person = Person(name="李学员", id_number_hash=id_number_hash(NUMBER))
    attendance, _ = record_attendance(session, person, method=Attendance.Method.SHEET)
    return attendance


@pytest.fixture
def trainee(course):
    user = make_user("李学员")
    enrol(user, course)
    return user


@pytest.mark.django_db
def test_holding_the_number_sends_records_linked_with_the_courses(trainee, course, on_the_sheet):
    sent = []

    def listen(sender, user, course_ids, **kwargs):
        sent.append((user, course_ids))

    records_linked.connect(listen)
    try:
        trainee.set_id_number(NUMBER)
        trainee.save()
    finally:
        records_linked.disconnect(listen)

    assert sent == [(trainee, {course.pk})]


@pytest.mark.django_db
def test_learning_forgets_the_standing_in_the_courses_linked(trainee, course):
    study_standing(trainee, course.pk)
    key = _standing_key(trainee.pk, course.pk)
    assert cache.get(key) is not None

    records_linked.send(sender=Attendance, user=trainee, course_ids={course.pk})

    assert cache.get(key) is None


@pytest.mark.django_db
def test_the_linked_class_hours_reach_a_heartbeat_that_read_before_the_commit(
    trainee, course, on_the_sheet, django_capture_on_commit_callbacks
):
    assert study_standing(trainee, course.pk).class_seconds == 0

    with django_capture_on_commit_callbacks(execute=True):
        trainee.set_id_number(NUMBER)
        trainee.save()
        # A heartbeat in another worker, before the commit, still sees no class.
        cache.set(_standing_key(trainee.pk, course.pk), Standing(enrolled=True))

    assert study_standing(trainee, course.pk).class_seconds == 3 * 3600
