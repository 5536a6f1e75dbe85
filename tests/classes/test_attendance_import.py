"""Sign-in sheets: columns found by heading, checked as a whole, every bad row reported by
number, nothing half-written."""

import pytest
from django.utils import translation

from accounts.idcard import id_number_hash, mask_id_number
from classes.attendance_import import import_attendance
from classes.models import Attendance
from sheets.checks import SheetError
from tests.classes.conftest import HEADER, id_number, mobile
from tests.courses.factories import make_user


@pytest.fixture(autouse=True)
def in_english():
    """Messages are read in English, the language the importers write them in."""
    with translation.override("en"):
        yield


def problems(caught):
    return [(error.row, error.code) for error in caught.value.errors]


def counts(result):
    tally = result.tally("attendances")
    return tally.created, tally.unchanged


def old_form(number):
    """The 15-digit number of someone born in the 1900s (GB 11643-1989)."""
    return number[:6] + number[8:17]


@pytest.mark.django_db
def test_ten_villagers_without_accounts_become_ten_attendances_with_hashes(
    session, sheet, villagers
):
    result = import_attendance(sheet(villagers), session)

    assert counts(result) == (10, 0)
    assert "0 of them have an account on the site." in str(result)
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

    assert counts(result) == (0, 10)
    assert not result.changed_anything
    assert list(session.attendances.values()) == before


@pytest.mark.django_db
def test_a_dry_run_counts_the_people_and_writes_nothing(session, sheet, villagers):
    import_attendance(sheet(villagers[:4]), session)

    result = import_attendance(sheet(villagers), session, dry_run=True)

    assert counts(result) == (6, 4)
    assert result.dry_run
    assert session.attendances.count() == 4


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

    assert counts(result) == (3, 0)
    assert "2 of them have an account on the site." in str(result)
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

    assert counts(result) == (0, 1)
    assert session.attendances.count() == 1


@pytest.mark.django_db
def test_columns_in_another_order_among_the_sheets_own_columns(session, sheet, villagers):
    """A sign-in sheet as printed: 序号 first, the numbers swapped, a signature and a
    village column besides."""
    header = ("序号", "手机号", "姓名", "签名", "证件号码", "村")
    rows = [
        (str(n), phone, name, "", number, "水摆村")
        for n, (name, number, phone) in enumerate(villagers, 1)
    ]

    assert counts(import_attendance(sheet(rows, header=header), session)) == (10, 0)
    attendance = session.attendances.get(name="村民3")
    assert (attendance.phone, attendance.id_number_hash) == (
        f"+86{mobile(3)}",
        id_number_hash(id_number(3)),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        ("姓名", "身份证号码", "联系电话"),
        ("姓名", "身份证号", "手机号码"),
        ("姓名", "公民身份号码", "手机号"),
    ],
)
def test_the_number_columns_may_carry_their_other_usual_headings(session, sheet, header):
    import_attendance(sheet([("村民1", id_number(1), mobile(1))], header=header), session)

    attendance = session.attendances.get()
    assert (attendance.id_number_hash, attendance.phone) == (
        id_number_hash(id_number(1)),
        f"+86{mobile(1)}",
    )


@pytest.mark.django_db
def test_a_sheet_may_have_only_one_of_the_number_columns(session, sheet):
    import_attendance(sheet([("村民1", mobile(1))], header=("姓名", "手机号")), session)
    import_attendance(sheet([("村民2", id_number(2))], header=("姓名", "身份证号")), session)

    assert session.attendances.get(name="村民1").phone == f"+86{mobile(1)}"
    assert session.attendances.get(name="村民2").id_number_hash == id_number_hash(id_number(2))


@pytest.mark.django_db
def test_a_sheet_with_neither_number_column_is_refused(session, sheet):
    with pytest.raises(SheetError) as caught:
        import_attendance(sheet([("村民1", "1")], header=("姓名", "序号")), session)

    assert problems(caught) == [(None, "missing_column")]


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
        (("张三", "4.45302E+17", ""), "number_lost_digits"),
        (("张三", "", "12345"), "bad_phone"),
        (("张三", "", ""), "no_id_or_phone"),
        (("", id_number(50), ""), "empty_cell"),
        (("张" * 51, id_number(50), ""), "too_long"),
        (("张三", id_number(1), ""), "duplicate_id_number"),
        (("张三", "", mobile(2)), "duplicate_phone"),
        (("张三", id_number(50), "", "多余"), "too_many_columns"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_row_number_and_nothing_written(
    session, sheet, villagers, bad_row, code
):
    rows = [*villagers[:3], bad_row, *villagers[3:]]  # the bad row is row 5

    with pytest.raises(SheetError) as caught:
        import_attendance(sheet(rows), session)

    assert problems(caught) == [(5, code)]
    assert not Attendance.objects.exists()
    report = caught.value.report()
    assert "Row 5" in report
    if bad_row[0] == "张三":
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

    with pytest.raises(SheetError) as caught:
        import_attendance(sheet(rows), session)

    assert problems(caught) == [
        (2, "no_id_or_phone"),
        (5, "bad_phone"),
        (6, "duplicate_id_number"),
        (7, "duplicate_phone"),
    ]
    assert "Row 6 (丙): “证件号码”: the same as in row 3 (村民1)." in caught.value.report()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_the_id_number_never_appears_in_the_report(session, sheet, villagers):
    bad_check_digit = villagers[0][1][:-1] + ("0" if villagers[0][1][-1] != "0" else "1")
    rows = [
        ("甲", bad_check_digit, ""),
        *villagers[1:3],
        ("乙", villagers[1][1], ""),
        ("丙", villagers[1][1][:17], ""),
        ("丁", int(villagers[3][1]), ""),
    ]

    with pytest.raises(SheetError) as caught:
        import_attendance(sheet(rows, name="签到表.xlsx"), session)

    report = caught.value.report()
    for number in (bad_check_digit, villagers[1][1], villagers[1][1][:17], villagers[3][1]):
        assert number not in report
        assert number[:15] not in report


@pytest.mark.django_db
def test_an_old_15_digit_id_number_is_the_same_person_as_the_18_digit_one(session, sheet, trainee):
    """The trainee's account holds the 18-digit number; the sheet lists their first card."""
    result = import_attendance(
        sheet([("李学员", old_form(id_number(900)), ""), ("村民1", old_form(id_number(1)), "")]),
        session,
    )

    assert counts(result) == (2, 0)
    assert session.attendances.get(name="李学员").user == trainee
    villager = session.attendances.get(name="村民1")
    assert villager.id_number_hash == id_number_hash(id_number(1))
    assert villager.id_number_masked == mask_id_number(id_number(1))


@pytest.mark.django_db
def test_an_18_digit_id_number_stored_as_a_number_is_refused_with_what_to_do(session, sheet):
    """Excel keeps 15 significant digits: the ID's last three are already gone."""
    rows = [("村民1", id_number(1), ""), ("村民2", int(id_number(2)), "")]

    with pytest.raises(SheetError) as caught:
        import_attendance(sheet(rows, name="签到表.xlsx"), session)

    assert problems(caught) == [(3, "number_lost_digits")]
    [error] = caught.value.errors
    assert "Text" in error.message and "村民2" in str(error)
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_sheet_without_its_header_is_refused_without_echoing_the_first_row(session, sheet):
    path = sheet([("李四", id_number(7), "")], header=("张三", id_number(6), ""))

    with pytest.raises(SheetError) as caught:
        import_attendance(path, session)

    assert problems(caught) == [(None, "no_header")]
    assert id_number(6) not in caught.value.report()
    assert "姓名" in caught.value.report()


@pytest.mark.django_db
def test_a_sheet_with_only_its_header_is_refused(session, sheet):
    with pytest.raises(SheetError) as caught:
        import_attendance(sheet([]), session)

    assert problems(caught) == [(None, "empty_file")]


@pytest.mark.django_db
def test_two_accounts_for_one_row_is_a_problem(session, sheet):
    by_id = make_user("赵六")
    by_id.set_id_number(id_number(61))
    by_id.save()
    other = make_user("钱七")

    with pytest.raises(SheetError) as caught:
        import_attendance(sheet([("赵六", id_number(61), other.phone)]), session)

    assert problems(caught) == [(2, "conflicting_accounts")]


@pytest.mark.django_db
def test_one_account_on_two_rows_is_a_problem(session, sheet):
    """Found by the ID-card number on one row and by the phone on the other, each row
    giving a number of its own besides."""
    user = make_user("王五")
    user.set_id_number(id_number(62))
    user.save()
    rows = [
        ("王五", id_number(62), mobile(99)),
        ("王五", id_number(63), user.phone.removeprefix("+86")),
    ]

    with pytest.raises(SheetError) as caught:
        import_attendance(sheet(rows), session)

    assert problems(caught) == [(3, "duplicate_account")]


@pytest.mark.django_db
def test_a_gbk_csv_is_read(session, sheet, villagers):
    path = sheet(villagers, encoding="gbk")
    assert path.read_bytes().decode("gbk").startswith(",".join(HEADER))

    assert counts(import_attendance(path, session)) == (10, 0)
    assert session.attendances.filter(name="村民1").exists()


@pytest.mark.django_db
def test_a_csv_with_a_utf8_bom_is_read(session, sheet, villagers):
    assert counts(import_attendance(sheet(villagers, encoding="utf-8-sig"), session)) == (10, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["签到表.xlsx", "签到表.xls"])
def test_a_workbook_is_read_with_the_phone_stored_as_a_number(session, sheet, villagers, name):
    # Excel keeps a typed mobile number as a number: 11 digits, nothing lost.
    rows = [(name_, number, int(phone)) for name_, number, phone in villagers]

    assert counts(import_attendance(sheet(rows, name=name), session)) == (10, 0)
    assert session.attendances.get(name="村民3").phone == f"+86{mobile(3)}"


@pytest.mark.django_db
def test_a_file_that_is_no_sheet_is_refused(session, tmp_path):
    path = tmp_path / "sheet.bin"
    path.write_bytes(b"\x00\x01\x02 binary")

    with pytest.raises(SheetError) as caught:
        import_attendance(path, session)

    assert problems(caught) == [(None, "unreadable")]


@pytest.mark.django_db
def test_an_id_number_in_the_name_column_is_reported_but_never_repeated(session, sheet):
    rows = [(id_number(8), "张三", ""), ("李四", id_number(9), "")]

    with pytest.raises(SheetError) as caught:
        import_attendance(sheet(rows), session)

    assert problems(caught) == [(2, "number_in_name"), (2, "bad_id_number")]
    assert id_number(8) not in caught.value.report()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_an_id_number_in_the_name_column_is_not_repeated_by_the_sheet_layers_checks(session, sheet):
    rows = [(id_number(8), "", "", "多余")]

    with pytest.raises(SheetError) as caught:
        import_attendance(sheet(rows), session)

    assert ("too_many_columns") in [error.code for error in caught.value.errors]
    assert id_number(8) not in caught.value.report()
