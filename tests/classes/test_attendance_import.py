"""Sign-in sheets: checked as a whole, every bad row reported by number, nothing half-written."""

import pytest

from accounts.idcard import id_number_hash, mask_id_number
from classes.attendance_import import AttendanceFileError, import_attendance
from classes.models import Attendance
from tests.classes.conftest import id_number, mobile
from tests.courses.factories import make_user


def problems(caught):
    return [(error.row, error.code) for error in caught.value.errors]


@pytest.mark.django_db
def test_ten_villagers_without_accounts_become_ten_attendances_with_hashes(
    session, sheet, villagers
):
    result = import_attendance(sheet(villagers), session)

    assert (result.created, result.unchanged, result.with_account) == (10, 0, 0)
    recorded = {a.name: a for a in session.attendances.all()}
    assert len(recorded) == 10
    for name, number, phone in villagers:
        attendance = recorded[name]
        assert attendance.user is None
        assert attendance.method == Attendance.Method.SHEET
        assert attendance.id_number_hash == id_number_hash(number)
        assert attendance.id_number_masked == mask_id_number(number)
        assert attendance.phone == f"+86{phone}"


@pytest.mark.django_db
def test_importing_the_same_sheet_again_changes_nothing(session, sheet, villagers):
    path = sheet(villagers)
    import_attendance(path, session)
    before = list(session.attendances.values())

    result = import_attendance(path, session)

    assert (result.created, result.unchanged) == (0, 10)
    assert not result.changed_anything
    assert list(session.attendances.values()) == before


@pytest.mark.django_db
def test_a_row_matching_a_user_by_phone_or_by_id_links_that_user(session, sheet):
    by_phone = make_user("王五")
    by_id = make_user("赵六")
    by_id.set_id_number(id_number(61))
    by_id.save()

    result = import_attendance(
        sheet(
            [
                ("王五", "", by_phone.phone.removeprefix("+86")),
                ("赵六", id_number(61), ""),
                ("村民甲", id_number(1), ""),
            ]
        ),
        session,
    )

    assert (result.created, result.with_account) == (3, 2)
    assert session.attendances.get(name="王五").user == by_phone
    linked = session.attendances.get(name="赵六")
    assert linked.user == by_id
    # Completed from the account, so a later QR check-in by phone finds the same person.
    assert linked.phone == by_id.phone
    assert session.attendances.get(name="村民甲").user is None


@pytest.mark.django_db
def test_a_person_who_checked_in_already_is_unchanged(session, sheet, trainee):
    Attendance.objects.create(
        session=session,
        user=trainee,
        name=trainee.real_name,
        phone=trainee.phone,
        id_number_hash=trainee.id_number_hash,
        method=Attendance.Method.QR,
    )

    result = import_attendance(sheet([("李学员", id_number(900), "")]), session)

    assert (result.created, result.unchanged) == (0, 1)
    assert session.attendances.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad_row, code",
    [
        (
            ("张三", id_number(50)[:-1] + ("0" if id_number(50)[-1] != "0" else "1"), ""),
            "bad_id_number",
        ),
        (("张三", "44530219900101", ""), "bad_id_number"),
        (("张三", "4453021990010100AB", ""), "bad_id_number"),
        (("张三", "", "12345"), "bad_phone"),
        (("张三", "", ""), "no_id_or_phone"),
        (("", id_number(50), ""), "empty_name"),
        (("张三", id_number(1), ""), "duplicate_id_number"),
        (("张三", "", mobile(2)), "duplicate_phone"),
        (("张三", id_number(50), "", "多余"), "too_many_columns"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_row_number_and_nothing_written(
    session, sheet, villagers, bad_row, code
):
    rows = [*villagers[:3], bad_row, *villagers[3:]]  # the bad row is row 5

    with pytest.raises(AttendanceFileError) as caught:
        import_attendance(sheet(rows), session)

    assert problems(caught) == [(5, code)]
    assert not Attendance.objects.exists()
    report = caught.value.report()
    assert "第 5 行" in report
    if bad_row[0]:
        assert "张三" in report


@pytest.mark.django_db
def test_every_bad_row_is_reported_at_once(session, sheet, villagers):
    rows = [
        ("甲", "", ""),
        *villagers[:2],
        ("乙", "", "123"),
        ("丙", villagers[0][1], ""),
        ("丁", "", villagers[1][2]),
    ]

    with pytest.raises(AttendanceFileError) as caught:
        import_attendance(sheet(rows), session)

    assert problems(caught) == [
        (2, "no_id_or_phone"),
        (5, "bad_phone"),
        (6, "duplicate_id_number"),
        (7, "duplicate_phone"),
    ]
    assert "与第 3 行（村民1）的身份证号码相同" in caught.value.report()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_the_id_number_never_appears_in_the_report(session, sheet, villagers):
    bad_check_digit = villagers[0][1][:-1] + ("0" if villagers[0][1][-1] != "0" else "1")
    rows = [
        ("甲", bad_check_digit, ""),
        *villagers[1:3],
        ("乙", villagers[1][1], ""),
        ("丙", villagers[1][1][:17], ""),
    ]

    with pytest.raises(AttendanceFileError) as caught:
        import_attendance(sheet(rows), session)

    report = caught.value.report()
    for number in (bad_check_digit, villagers[1][1], villagers[1][1][:17]):
        assert number not in report


@pytest.mark.django_db
def test_a_sheet_without_its_header_is_refused_without_echoing_the_first_row(session, sheet):
    path = sheet([("李四", id_number(7), "")], header=("张三", id_number(6), ""))

    with pytest.raises(AttendanceFileError) as caught:
        import_attendance(path, session)

    assert problems(caught) == [(1, "bad_header")]
    assert id_number(6) not in caught.value.report()
    assert "姓名,证件号码,手机号" in caught.value.report()


@pytest.mark.django_db
def test_a_sheet_with_only_its_header_is_refused(session, sheet):
    with pytest.raises(AttendanceFileError) as caught:
        import_attendance(sheet([]), session)

    assert problems(caught) == [(None, "empty_file")]


@pytest.mark.django_db
def test_two_accounts_for_one_row_is_a_problem(session, sheet):
    by_id = make_user("赵六")
    by_id.set_id_number(id_number(61))
    by_id.save()
    other = make_user("钱七")

    with pytest.raises(AttendanceFileError) as caught:
        import_attendance(sheet([("赵六", id_number(61), other.phone)]), session)

    assert problems(caught) == [(2, "conflicting_accounts")]


@pytest.mark.django_db
def test_a_gbk_csv_is_read(session, sheet, villagers):
    result = import_attendance(sheet(villagers, encoding="gbk"), session)

    assert result.created == 10
    assert session.attendances.filter(name="村民1").exists()


@pytest.mark.django_db
def test_a_csv_with_a_utf8_bom_is_read(session, sheet, villagers):
    result = import_attendance(sheet(villagers, encoding="utf-8-sig"), session)

    assert result.created == 10


@pytest.mark.django_db
def test_an_xlsx_is_read_with_numbers_stored_as_numbers(session, sheet, villagers):
    # Excel keeps a typed mobile number as a number; an ID ending in X stays text.
    rows = [(name, number, int(phone)) for name, number, phone in villagers]

    result = import_attendance(sheet(rows, name="签到表.xlsx"), session)

    assert result.created == 10
    assert session.attendances.get(name="村民3").phone == f"+86{mobile(3)}"


@pytest.mark.django_db
def test_an_unknown_file_type_is_refused(session, tmp_path):
    path = tmp_path / "sheet.txt"
    path.write_text("姓名,证件号码,手机号\n")

    with pytest.raises(AttendanceFileError) as caught:
        import_attendance(path, session)

    assert problems(caught) == [(None, "unknown_format")]


@pytest.mark.django_db
def test_an_id_number_in_the_name_column_is_reported_but_never_repeated(session, sheet):
    rows = [(id_number(8), "张三", ""), ("李四", id_number(9), "")]

    with pytest.raises(AttendanceFileError) as caught:
        import_attendance(sheet(rows), session)

    assert problems(caught) == [(2, "number_in_name"), (2, "bad_id_number")]
    assert id_number(8) not in caught.value.report()
    assert not Attendance.objects.exists()
