"""Old 15-digit ID-card numbers (GB 11643-1989) in attendance records.

A villager born before 2000 may still give the number of their first card. Whether the
instructor types it, a sign-in sheet lists it or the registry holds it, it must be the
same person as the 18-digit number of the registry or of a trainee's account: the
coverage report joins them by hash alone.
"""

import pytest

from accounts.idcard import id_number_hash, mask_id_number
from classes.attendance import Person, identify_person, record_attendance
from classes.attendance_import import SheetError, import_attendance
from classes.marking import mark_attendance
from classes.models import Attendance
from coverage.idcrypt import decrypt_id_number, encrypt_id_number
from coverage.models import RegistryMember
from coverage.registry_import import import_registry
from coverage.report import coverage_total
from tests.coverage.conftest import REGISTRY_HEADER
from tests.support import write_sheet

from .conftest import id_number

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def old_form(number):
    """The 15-digit number of someone born in the 1900s: the 18 digits without the "19"
    of the year and without the check character."""
    return number[:6] + number[8:17]


@pytest.fixture
def eligible_village(village):
    """The session's venue, made a provincial poor village of a demonstration county."""
    village.is_provincial_poor = True
    village.save()
    county = village.town.county
    county.is_demonstration = True
    county.save()
    return village


def registry_member(village, number, name="张大爷"):
    return RegistryMember.objects.create(
        village=village,
        household_id="H001",
        name=name,
        id_number_hash=id_number_hash(number),
        id_number_masked=mask_id_number(number),
        id_number_encrypted=encrypt_id_number(number),
        relation_to_head="户主",
        labour_category="普通劳动力",
        work_status="",  # 务工状况 left blank: not a migrant, so eligible
    )


def coverage_of(session):
    figures = coverage_total(session.date, session.date)
    return figures.eligible, figures.person_times, figures.persons


def qr_check_in(session, trainee):
    record_attendance(session, Person.of_user(trainee), method=Attendance.Method.QR)


@pytest.mark.django_db
def test_identify_person_knows_an_old_number_by_its_18_digit_hash_and_mask():
    number = id_number(41)

    person = identify_person(name="张大爷", id_number=old_form(number))

    assert person.id_number_hash == id_number_hash(number)
    assert person.id_number_masked == mask_id_number(number)


@pytest.mark.django_db
def test_a_villager_marked_with_an_old_number_counts_for_their_registry_member(
    session, instructor, eligible_village
):
    number = id_number(42)
    member = registry_member(eligible_village, number)

    attendance, created = mark_attendance(
        session, name="张大爷", id_number=old_form(number), by=instructor
    )

    assert created
    assert attendance.id_number_hash == member.id_number_hash
    assert attendance.id_number_masked == member.id_number_masked
    assert coverage_of(session) == (1, 1, 1)


@pytest.mark.django_db
def test_a_trainee_who_checked_in_by_qr_is_not_marked_twice_under_the_old_number(
    session, instructor, trainee
):
    qr_check_in(session, trainee)

    attendance, created = mark_attendance(
        session, name="李学员", id_number=old_form(id_number(900)), by=instructor
    )

    assert not created
    assert attendance.user == trainee
    assert session.attendances.count() == 1


@pytest.mark.django_db
def test_a_sheet_of_old_spaced_and_full_width_numbers_finds_the_same_people(
    session, sheet, trainee, eligible_village
):
    """The trainee checked in by QR is on the sheet with the old number of their card; the
    registry member is listed with the full-width digits of a Chinese input method."""
    qr_check_in(session, trainee)
    member = registry_member(eligible_village, id_number(43))
    spaced_old = " ".join(old_form(id_number(900))[i : i + 4] for i in range(0, 15, 4))

    import_attendance(
        sheet(
            [
                ("李学员", spaced_old, ""),
                ("张大爷", id_number(43).translate(FULL_WIDTH), ""),
            ]
        ),
        session,
    )

    assert session.attendances.count() == 2
    assert session.attendances.get(name="张大爷").id_number_hash == member.id_number_hash
    assert session.attendances.get(user=trainee).method == Attendance.Method.QR
    assert coverage_of(session) == (1, 1, 1)


@pytest.mark.django_db
def test_a_sheet_listing_one_person_under_both_forms_is_refused(session, sheet):
    rows = [("村民甲", id_number(1), ""), ("村民甲", old_form(id_number(1)), "")]

    with pytest.raises(SheetError) as caught:
        import_attendance(sheet(rows), session)

    assert [(error.row, error.code) for error in caught.value.errors] == [
        (3, "duplicate_id_number")
    ]
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_registry_member_with_an_old_number_is_the_trainee_with_the_new_one(
    session, trainee, eligible_village, tmp_path
):
    """The registry still lists the trainee's first card; their profile has the new one."""
    place = eligible_village
    registry = write_sheet(
        tmp_path / "registry.csv",
        [
            REGISTRY_HEADER,
            (
                place.town.county.name,
                place.town.name,
                place.name,
                "H001",
                "李学员",
                old_form(id_number(900)),
                "户主",
                "普通劳动力",
                "",  # 务工状况 left blank: not a migrant, so eligible
            ),
        ],
    )
    import_registry(registry)
    qr_check_in(session, trainee)

    member = RegistryMember.objects.get()
    assert member.id_number_hash == trainee.id_number_hash
    assert member.id_number_masked == trainee.id_number_masked
    assert decrypt_id_number(member.id_number_encrypted) == id_number(900)
    assert coverage_of(session) == (1, 1, 1)
