import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from classes.models import ClassSession


@pytest.mark.django_db
def test_a_session_ending_before_it_starts_is_refused_next_to_the_end_time(make_session):
    session = make_session()
    session.end_time = datetime.time(8)

    with pytest.raises(ValidationError) as caught:
        session.full_clean()

    assert caught.value.message_dict["end_time"] == ["下课时间必须晚于上课时间。"]


@pytest.mark.django_db
@pytest.mark.parametrize("hours", ["0", "-1.5"])
def test_a_session_of_no_hours_is_refused_next_to_the_hours(make_session, hours):
    session = make_session()
    session.hours = Decimal(hours)

    with pytest.raises(ValidationError) as caught:
        session.full_clean()

    assert caught.value.message_dict["hours"] == ["学时必须大于零。"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"start_time": datetime.time(10), "end_time": datetime.time(10)},
        {"start_time": datetime.time(10), "end_time": datetime.time(9)},
        {"hours": Decimal("0")},
        {"hours": Decimal("-2")},
    ],
)
def test_the_database_refuses_what_the_form_would(make_session, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_session(**fields)


@pytest.mark.django_db
def test_instructors_run_their_own_sessions_and_managers_all(
    make_session, instructor, other_instructor, manager, trainee
):
    own = make_session()
    other = make_session(instructor=other_instructor)
    unassigned = make_session(instructor=None)

    assert list(ClassSession.objects.for_user(instructor)) == [own]
    assert set(ClassSession.objects.for_user(manager)) == {own, other, unassigned}
    assert not ClassSession.objects.for_user(trainee).exists()
