"""A trainee who attended before giving an ID number is still found by it afterwards."""

import pytest

from accounts.idcard import id_number_hash
from classes.attendance import Person, record_attendance
from classes.models import Attendance
from learning.ledger import training_units
from tests.courses.factories import make_user

from .conftest import id_number


@pytest.mark.django_db
def test_earlier_attendances_get_the_hash_when_the_profile_gets_one(session):
    trainee = make_user("李学员")
    record_attendance(session, Person.of_user(trainee), method=Attendance.Method.QR)
    assert Attendance.objects.get().id_number_hash == ""

    trainee.set_id_number(id_number(7))
    trainee.save()

    attendance = Attendance.objects.get()
    assert attendance.id_number_hash == id_number_hash(id_number(7))
    assert attendance.id_number_masked == trainee.id_number_masked


@pytest.mark.django_db
def test_a_session_where_the_person_is_already_on_the_sheet_counts_once(make_session):
    """The same person on the sheet by ID and checked in by QR: one attendance, not failed.

    (Both rows used to stay, and the account's hours counted the class twice.)
    """
    trainee = make_user("李学员")
    session = make_session()
    number = id_number(8)
    on_sheet = Person(name="李学员", id_number_hash=id_number_hash(number))
    record_attendance(session, on_sheet, method=Attendance.Method.SHEET)
    by_qr, _ = record_attendance(session, Person.of_user(trainee), method=Attendance.Method.QR)

    trainee.set_id_number(number)
    trainee.save()

    attendance = session.attendances.get()
    assert attendance == by_qr
    assert attendance.id_number_hash == id_number_hash(number)
    assert training_units(user=trainee).classes == 1
