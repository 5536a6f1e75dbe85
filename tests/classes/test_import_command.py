"""manage.py import_attendance: into a session by id, or one described by its options."""

import datetime
import io
import logging
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from classes.models import Attendance, ClassSession
from tests.classes.conftest import id_number


def run(*args, language="zh-hans"):
    out = io.StringIO()
    with translation.override(language):
        call_command("import_attendance", *map(str, args), stdout=out, stderr=out)
    return out.getvalue()


def run_in_english(*args):
    """The summary and the row messages are the sheet layer's, checked in English."""
    return run(*args, language="en")


@pytest.fixture
def described(course):
    """The options that describe a class recorded afterwards."""
    return [
        "--course", course.slug, "--date", "2026-11-20", "--hours", "2.5",
        "--village", "罗定市/罗镜镇/水摆村",
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_sheet_goes_into_the_session_given_by_id(session, sheet, villagers):
    output = run_in_english(sheet(villagers), "--session", session.pk)

    assert session.attendances.count() == 10
    assert "Attendances: 10 added, 0 updated, 0 unchanged." in output
    assert "0 of them have an account on the site." in output


@pytest.mark.django_db
def test_importing_again_says_nothing_changed(session, sheet, villagers):
    path = sheet(villagers)
    run(path, "--session", session.pk)

    output = run_in_english(path, "--session", session.pk)

    assert "0 added, 0 updated, 10 unchanged" in output
    assert "Nothing changed" in output
    assert session.attendances.count() == 10


@pytest.mark.django_db
def test_the_described_session_is_created_from_nine_for_its_hours(
    village, course, sheet, villagers, described
):
    output = run(sheet(villagers), *described)

    session = ClassSession.objects.get()
    assert (session.course, session.venue, session.date) == (
        course,
        village,
        datetime.date(2026, 11, 20),
    )
    assert (session.start_time, session.end_time) == (datetime.time(9), datetime.time(11, 30))
    assert session.hours == Decimal("2.5")
    assert session.instructor is None
    assert session.attendances.count() == 10
    assert f"已创建第 {session.pk} 号培训场次" in output


@pytest.mark.django_db
def test_the_same_options_twice_reuse_the_session(village, sheet, villagers, described):
    run(sheet(villagers[:5]), *described)

    output = run_in_english(sheet(villagers), *described)

    assert ClassSession.objects.count() == 1
    assert ClassSession.objects.get().attendances.count() == 10
    assert "Created" not in output
    assert "5 added, 0 updated, 5 unchanged" in output


@pytest.mark.django_db
def test_a_start_time_can_be_given(village, sheet, villagers, described):
    run(sheet(villagers), *described, "--start", "14:00")

    session = ClassSession.objects.get()
    assert (session.start_time, session.end_time) == (datetime.time(14), datetime.time(16, 30))


@pytest.mark.django_db
def test_the_same_class_with_other_hours_is_refused(village, sheet, villagers, described):
    run(sheet(villagers), *described)
    other_hours = [*described]
    other_hours[other_hours.index("--hours") + 1] = "3"

    with pytest.raises(CommandError, match="已有第"):
        run(sheet(villagers), *other_hours)


@pytest.mark.django_db
def test_a_bad_sheet_writes_nothing_not_even_the_session(village, sheet, villagers, described):
    with pytest.raises(CommandError) as caught:
        run_in_english(sheet([*villagers, ("坏行", "", "")]), *described)

    assert "Row 12 (坏行)" in str(caught.value)
    assert not ClassSession.objects.exists()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, message",
    [
        (("--course", "no-such-course"), "没有 slug 为“no-such-course”的课程"),
        (("--village", "罗定市/罗镜镇/没有村"), "--village 罗定市/罗镜镇/没有村"),
        (("--village", "水摆村"), "请写成 县/镇/村"),
        (("--date", "2026-13-01"), "不是 2026-05-20 这样的日期"),
        (("--hours", "0"), "--hours 必须是大于零的学时数"),
        (("--hours", "abc"), "--hours 必须是大于零的学时数"),
        (("--hours", "20"), "午夜之后"),
    ],
)
def test_unknown_or_bad_options_are_command_errors(
    village, sheet, villagers, described, change, message
):
    options = [*described]
    options[options.index(change[0]) + 1] = change[1]

    with pytest.raises(CommandError, match=message):
        run(sheet(villagers), *options)
    assert not ClassSession.objects.exists()


@pytest.mark.django_db
def test_an_unknown_session_is_a_command_error(sheet, villagers):
    with pytest.raises(CommandError, match="没有第 999 号培训场次"):
        run(sheet(villagers), "--session", 999)


@pytest.mark.django_db
def test_session_and_description_together_are_refused(session, sheet, villagers, described):
    with pytest.raises(CommandError, match="请只给出 --session"):
        run(sheet(villagers), "--session", session.pk, *described)


@pytest.mark.django_db
def test_neither_session_nor_description_is_refused(sheet, villagers):
    with pytest.raises(CommandError, match="请给出 --session"):
        run(sheet(villagers), "--course", "x")


@pytest.mark.django_db
def test_the_id_number_never_appears_in_the_command_output_or_logs(
    session, sheet, villagers, caplog
):
    caplog.set_level(logging.DEBUG)
    bad = id_number(77)[:-1] + ("0" if id_number(77)[-1] != "0" else "1")
    good_path = sheet(villagers)
    bad_path = sheet([*villagers, ("坏号", bad, ""), ("重复", villagers[0][1], "")])

    outputs = [
        run_in_english(good_path, "--session", session.pk),
        run_in_english(good_path, "--session", session.pk),
    ]
    with pytest.raises(CommandError) as caught:
        run_in_english(bad_path, "--session", session.pk)
    outputs.append(str(caught.value))

    text = "\n".join([*outputs, caplog.text])
    assert "Row 12 (坏号):" in text and "Row 13 (重复):" in text
    for number in [bad, *(number for _name, number, _phone in villagers)]:
        assert number not in text
        assert number[:17] not in text


@pytest.mark.django_db
def test_the_village_is_found_however_its_committee_is_written(
    village, sheet, villagers, described
):
    """The statistics bureau's list says 水摆村委会; the instructor types 水摆村."""
    village.name = "水摆村委会"
    village.save()

    run(sheet(villagers), *described)

    assert ClassSession.objects.get().venue == village


@pytest.mark.django_db
def test_an_unknown_village_is_named_with_the_nearest_names(village, sheet, villagers, described):
    options = [*described]
    options[options.index("--village") + 1] = "罗定市/罗镜镇/水摆"

    with pytest.raises(CommandError, match="Did you mean “水摆村”"):
        run_in_english(sheet(villagers), *options)
    assert not ClassSession.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_into_a_session_writes_nothing(session, sheet, villagers):
    output = run_in_english(sheet(villagers), "--session", session.pk, "--dry-run")

    assert "Attendances: 10 added" in output
    assert "Dry run: nothing was written." in output
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_creates_no_session_either(village, sheet, villagers, described):
    output = run_in_english(sheet(villagers), *described, "--dry-run")

    assert "A class session would be created" in output
    assert "Attendances: 10 added" in output
    assert not ClassSession.objects.exists()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_the_sheets_columns_may_come_in_any_order_with_others(session, sheet, villagers):
    header = ("序号", "手机号", "姓名", "签名", "证件号码")
    rows = [(str(n), phone, name, "", number) for n, (name, number, phone) in enumerate(villagers)]

    run(sheet(rows, header=header), "--session", session.pk)

    assert session.attendances.count() == 10
