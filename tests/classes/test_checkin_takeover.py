"""Typing someone else's ID-card number in 我的资料 takes nothing of theirs (issue 13, finding 5).

The impostor types the number of a villager who attended classes by ID on a sign-in sheet,
then checks in by QR. Before the fix the check-in took the villager's sheet record over (it
became the impostor's), the villager's later records were refused as "already recorded",
and the impostor's attendance counted for the villager in the coverage figure.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.idcard import id_number_hash, mask_id_number
from classes.attendance import Person, record_attendance
from classes.attendance_import import import_attendance
from classes.checkin import check_in, make_checkin_token
from classes.marking import mark_attendance
from classes.models import Attendance
from coverage.report import coverage_total
from learning.ledger import training_units
from regions.models import County, Town, Village
from tests.accounts.factories import UserFactory
from tests.coverage.conftest import member

from .conftest import id_number, mobile
from .test_checkin import at

VICTIM_NUMBER = id_number(501)
VICTIM_PHONE = "+86" + mobile(501)
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def on_sheet(session, number=VICTIM_NUMBER, phone=""):
    """The villager, recorded by ID number on a sign-in sheet, without an account."""
    person = Person(
        name="王村民",
        id_number_hash=id_number_hash(number),
        id_number_masked=mask_id_number(number),
        phone=phone,
    )
    return record_attendance(session, person, method=Attendance.Method.SHEET)[0]


@pytest.fixture
def impostor(client, db):
    """A trainee who typed the villager's number in 我的资料."""
    user = UserFactory(real_name="张冒名")
    client.force_login(user)
    response = client.post(reverse("profile"), {"real_name": "张冒名", "id_number": VICTIM_NUMBER})
    assert response.status_code == 302
    user.refresh_from_db()
    return user


@pytest.mark.django_db
def test_checking_in_does_not_take_over_the_holders_sheet_record(session, impostor):
    sheet_record = on_sheet(session)

    attendance, created = check_in(impostor, make_checkin_token(session), now=at(10))

    sheet_record.refresh_from_db()
    assert sheet_record.user is None
    assert sheet_record.id_number_hash == id_number_hash(VICTIM_NUMBER)
    # The impostor's own check-in is recorded, against their account and nothing else.
    assert created
    assert attendance.user == impostor
    assert attendance.id_number_hash == ""
    assert session.attendances.count() == 2


@pytest.mark.django_db
def test_the_holder_is_still_recorded_after_the_impostor_checked_in(session, impostor, sheet):
    check_in(impostor, make_checkin_token(session), now=at(10))

    result = import_attendance(sheet([("王村民", VICTIM_NUMBER, "")]), session)

    assert result.tallies["attendances"].created == 1
    holder = session.attendances.get(id_number_hash=id_number_hash(VICTIM_NUMBER))
    assert (holder.name, holder.user) == ("王村民", None)


@pytest.mark.django_db
def test_the_holder_with_an_account_is_marked_by_id_and_phone(session, impostor, instructor):
    """The real holder has an account (by phone) but never typed the number: marking them
    by both is not refused as "two different accounts"."""
    holder = UserFactory(real_name="王村民", phone=VICTIM_PHONE)
    check_in(impostor, make_checkin_token(session), now=at(10))

    attendance, created = mark_attendance(
        session, name="王村民", id_number=VICTIM_NUMBER, phone=VICTIM_PHONE, by=instructor
    )

    assert created
    assert attendance.user == holder
    assert attendance.id_number_hash == id_number_hash(VICTIM_NUMBER)


@pytest.mark.django_db
def test_the_holders_classes_are_not_the_impostors_hours(make_session, impostor):
    on_sheet(make_session())

    assert training_units(user=impostor).classes == 0
    assert training_units(id_number_hash=id_number_hash(VICTIM_NUMBER)).classes == 1


@pytest.mark.django_db
def test_an_unproven_claim_adds_nothing_to_the_registry_members_coverage(course, impostor):
    """The coverage figure counts distinct ID hashes of registry members who trained: the
    impostor's class must not count for the member whose number they typed."""
    county = County.objects.create(name="郁南县", is_demonstration=True)
    town = Town.objects.create(county=county, name="连滩镇")
    village = Village.objects.create(town=town, name="光二村", is_provincial_poor=True)
    registry_member = member(village)
    registry_member.id_number_hash = id_number_hash(VICTIM_NUMBER)
    registry_member.save()
    session = course.class_sessions.create(
        date=datetime.date(2026, 12, 1),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        venue=village,
        hours=Decimal("3"),
    )

    check_in(impostor, make_checkin_token(session), now=at(10))

    total = coverage_total(*YEAR)
    assert (total.person_times, total.persons) == (0, 0)
