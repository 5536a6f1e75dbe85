"""QR check-in: a signed link to a session, open from a margin before it to after it."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from classes.checkin import CheckinRefused, check_in, checkin_window, make_checkin_token
from classes.models import Attendance
from tests.courses.factories import make_user

SHANGHAI = timezone.get_default_timezone()


def at(hour, minute=0, day=datetime.date(2026, 12, 1)):
    """A moment on the session's day, in Asia/Shanghai (the session runs 09:00–12:00)."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


@pytest.mark.django_db
@pytest.mark.parametrize("now", [at(8, 30), at(9), at(10, 15), at(12), at(12, 30)])
def test_the_link_checks_in_during_the_session_and_its_margins(session, trainee, now):
    attendance, created = check_in(trainee, make_checkin_token(session), now=now)

    assert created
    assert attendance.session == session
    assert attendance.user == trainee
    assert attendance.method == Attendance.Method.QR


@pytest.mark.django_db
@pytest.mark.parametrize(
    "now, code, shown",
    [
        (at(8, 29), "not_open_yet", "2026-12-01 08:30"),
        (at(12, 31), "closed", "2026-12-01 12:30"),
        (at(10, day=datetime.date(2026, 11, 30)), "not_open_yet", "08:30"),
        (at(10, day=datetime.date(2026, 12, 2)), "closed", "12:30"),
    ],
)
def test_the_link_is_refused_before_and_after_the_window(session, trainee, now, code, shown):
    with pytest.raises(CheckinRefused) as refused:
        check_in(trainee, make_checkin_token(session), now=now)

    assert refused.value.code == code
    assert refused.value.status == 403
    assert shown in refused.value.message
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_the_window_is_in_the_sites_time_zone_and_its_margin_configurable(session, settings):
    settings.CLASS_CHECKIN_MARGIN_MINUTES = 10

    opens, closes = checkin_window(session)

    # 08:50 in Shanghai is 00:50 UTC.
    assert opens == datetime.datetime(2026, 12, 1, 0, 50, tzinfo=datetime.UTC)
    assert closes == datetime.datetime(2026, 12, 1, 4, 10, tzinfo=datetime.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: signing.Signer(salt="classes.checkin").sign_object({"session": 0}) + "x",
        lambda token: signing.Signer(salt="another.purpose").sign_object(
            {"session": token_session_id(token)}
        ),
        lambda token: "not-a-token",
    ],
    ids=["changed signature", "bad suffix", "other salt", "garbage"],
)
def test_a_tampered_link_is_refused(session, trainee, tamper):
    token = tamper(make_checkin_token(session))

    with pytest.raises(CheckinRefused) as refused:
        check_in(trainee, token, now=at(10))

    assert refused.value.code == "bad_link"
    assert refused.value.status == 400
    assert not Attendance.objects.exists()


def token_session_id(token):
    return signing.Signer(salt="classes.checkin").unsign_object(token)["session"]


@pytest.mark.django_db
def test_the_link_of_one_session_is_not_valid_for_another(make_session, trainee):
    first, second = (
        make_session(),
        make_session(start_time=datetime.time(14), end_time=datetime.time(16)),
    )

    attendance, _created = check_in(trainee, make_checkin_token(first), now=at(10))

    assert attendance.session == first
    assert make_checkin_token(first) != make_checkin_token(second)


@pytest.mark.django_db
def test_a_second_check_in_does_not_duplicate(session, trainee):
    token = make_checkin_token(session)

    first, created_first = check_in(trainee, token, now=at(9, 5))
    second, created_second = check_in(trainee, token, now=at(9, 6))

    assert (created_first, created_second) == (True, False)
    assert first == second
    assert session.attendances.count() == 1


@pytest.mark.django_db
def test_the_attendance_keeps_the_users_name_phone_and_id_hash(session, trainee):
    attendance, _created = check_in(trainee, make_checkin_token(session), now=at(10))

    attendance.refresh_from_db()
    assert attendance.name == "李学员"
    assert attendance.phone == trainee.phone
    assert attendance.id_number_hash == trainee.id_number_hash != ""
    assert attendance.id_number_masked == trainee.id_number_masked


@pytest.mark.django_db
def test_checking_in_after_being_on_a_sheet_links_that_record_and_adds_none(session, trainee):
    sheet_record = Attendance.objects.create(
        session=session,
        name="李学员",
        id_number_hash=trainee.id_number_hash,
        method=Attendance.Method.SHEET,
    )

    attendance, created = check_in(trainee, make_checkin_token(session), now=at(10))

    assert not created
    assert attendance == sheet_record
    sheet_record.refresh_from_db()
    assert sheet_record.user == trainee
    assert session.attendances.count() == 1


@pytest.mark.django_db
def test_checking_in_enrols_the_trainee_in_the_course(session, trainee):
    check_in(trainee, make_checkin_token(session), now=at(10))

    assert trainee.enrollments.filter(course=session.course).exists()


# The views, against the real clock: the session is today and the margin two days wide,
# or the session is long past.


@pytest.fixture
def open_session(make_session, settings):
    settings.CLASS_CHECKIN_MARGIN_MINUTES = 2 * 24 * 60
    return make_session(date=timezone.localdate())


def checkin_path(session):
    return reverse("classes:checkin", kwargs={"token": make_checkin_token(session)})


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_log_in_and_back(client, open_session):
    path = checkin_path(open_session)

    response = client.get(path)

    assert response.status_code == 302
    login = urlsplit(response.url)
    assert login.path == reverse("account_login")
    assert parse_qs(login.query)["next"] == [path]


@pytest.mark.django_db
def test_opening_the_link_asks_to_confirm_and_records_nothing(client, open_session, trainee):
    client.force_login(trainee)

    response = client.get(checkin_path(open_session))

    assert response.status_code == 200
    page = response.content.decode()
    assert "确认签到" in page
    assert "网店开设实操" in page
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_confirming_checks_in_once_and_says_so(client, open_session, trainee):
    client.force_login(trainee)
    path = checkin_path(open_session)

    first = client.post(path)
    second = client.post(path)

    assert first.status_code == second.status_code == 200
    assert "签到成功" in first.content.decode()
    assert "您已签到" in second.content.decode()
    assert Attendance.objects.filter(user=trainee).count() == 1
    assert "您已签到过本次培训" in client.get(path).content.decode()


@pytest.mark.django_db
def test_a_tampered_link_is_a_400_with_a_chinese_message(client, open_session, trainee):
    client.force_login(trainee)
    path = checkin_path(open_session).replace(":", ":x", 1)

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400
        assert "签到链接无效" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_link_after_its_window_is_a_403_with_a_chinese_message(client, make_session, trainee):
    client.force_login(trainee)
    path = checkin_path(make_session(date=datetime.date(2020, 5, 1)))

    response = client.post(path)

    assert response.status_code == 403
    assert "本次培训的签到已于 2020-05-01 12:30 结束" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_user_without_a_real_name_is_recorded_by_masked_phone(client, open_session):
    user = make_user("")
    client.force_login(user)

    client.post(checkin_path(open_session))

    assert Attendance.objects.get().name == user.masked_phone
