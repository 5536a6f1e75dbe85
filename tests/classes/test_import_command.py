"""manage.py import_attendance: into a session by id, or one described by its options."""

import datetime
import io
import logging
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from classes.models import Attendance, ClassSession
from tests.classes.conftest import id_number


def run(*args):
    out = io.StringIO()
    call_command("import_attendance", *map(str, args), stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def described(course):
    """The options that describe a class recorded afterwards."""
    return [
        "--course", course.slug, "--date", "2026-11-20", "--hours", "2.5",
        "--village", "罗定市/罗镜镇/水摆村",
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_sheet_goes_into_the_session_given_by_id(session, sheet, villagers):
    output = run(sheet(villagers), "--session", session.pk)

    assert session.attendances.count() == 10
    assert "新增 10 条" in output


@pytest.mark.django_db
def test_importing_again_says_nothing_changed(session, sheet, villagers):
    path = sheet(villagers)
    run(path, "--session", session.pk)

    output = run(path, "--session", session.pk)

    assert "10 条未变" in output
    assert "没有变化" in output
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

    output = run(sheet(villagers), *described)

    assert ClassSession.objects.count() == 1
    assert ClassSession.objects.get().attendances.count() == 10
    assert "已创建" not in output
    assert "新增 5 条，5 条未变" in output


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
        run(sheet([*villagers, ("坏行", "", "")]), *described)

    assert "第 12 行" in str(caught.value)
    assert not ClassSession.objects.exists()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, message",
    [
        (("--course", "no-such-course"), "没有 slug 为“no-such-course”的课程"),
        (("--village", "罗定市/罗镜镇/没有村"), "没有村“罗定市/罗镜镇/没有村”"),
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

    outputs = [run(good_path, "--session", session.pk), run(good_path, "--session", session.pk)]
    with pytest.raises(CommandError) as caught:
        run(bad_path, "--session", session.pk)
    outputs.append(str(caught.value))

    text = "\n".join([*outputs, caplog.text])
    assert "第 12 行（坏号）：" in text and "第 13 行（重复）：" in text
    for number in [bad, *(number for _name, number, _phone in villagers)]:
        assert number not in text
        assert number[:17] not in text
