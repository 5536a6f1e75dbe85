"""The instructor's page for a session: QR code and link, marking people, the list."""

import pytest
from django.urls import reverse

from accounts.idcard import id_number_hash
from classes.checkin import make_checkin_token
from classes.marking import mark_attendance
from classes.models import Attendance
from tests.classes.conftest import id_number, mobile
from tests.courses.factories import make_user


def page_of(session):
    return reverse("classes:session", args=[session.pk])


@pytest.mark.django_db
def test_the_instructor_sees_a_qr_code_of_the_signed_link(client, instructor, session):
    client.force_login(instructor)

    response = client.get(page_of(session))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page
    link = "http://testserver" + reverse(
        "classes:checkin", kwargs={"token": make_checkin_token(session)}
    )
    assert f'data-checkin-link="{link}"' in page
    assert "扫码签到" in page


@pytest.mark.django_db
def test_another_instructor_gets_a_404(client, other_instructor, session):
    client.force_login(other_instructor)

    assert client.get(page_of(session)).status_code == 404


@pytest.mark.django_db
def test_a_trainee_gets_a_404(client, trainee, session):
    client.force_login(trainee)

    assert client.get(page_of(session)).status_code == 404


@pytest.mark.django_db
def test_a_course_manager_opens_any_session(client, manager, session):
    client.force_login(manager)

    assert client.get(page_of(session)).status_code == 200


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_log_in(client, session):
    response = client.get(page_of(session))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_instructor_marks_a_villager_by_name_and_id_number(client, instructor, session):
    client.force_login(instructor)

    response = client.post(
        page_of(session), {"name": "张大爷", "id_number": id_number(31)}, follow=True
    )

    attendance = session.attendances.get()
    assert (attendance.name, attendance.user, attendance.phone) == ("张大爷", None, "")
    assert attendance.id_number_hash == id_number_hash(id_number(31))
    assert attendance.method == Attendance.Method.INSTRUCTOR
    assert attendance.recorded_by == instructor
    page = response.content.decode()
    assert "已为 张大爷 登记签到" in page
    assert attendance.id_number_masked in page
    assert id_number(31) not in page


@pytest.mark.django_db
def test_the_instructor_picks_a_registered_trainee_by_phone_alone(
    client, instructor, session, trainee
):
    client.force_login(instructor)

    client.post(page_of(session), {"phone": trainee.phone.removeprefix("+86")})

    attendance = session.attendances.get()
    assert attendance.user == trainee
    assert attendance.name == "李学员"
    assert attendance.id_number_hash == trainee.id_number_hash


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"name": "张大爷"}, "__all__", "请填写身份证号码或手机号码。"),
        (
            {"name": "张大爷", "id_number": "123"},
            "id_number",
            "身份证号码应为 18 位（旧号码为 15 位数字）。",
        ),
        ({"name": "张大爷", "phone": "123"}, "phone", None),
        ({"phone": mobile(44)}, "name", "姓名为空。"),
    ],
)
def test_what_is_not_enough_to_know_someone_is_shown_next_to_the_field(
    client, instructor, session, data, field, message
):
    client.force_login(instructor)

    response = client.post(page_of(session), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_marking_someone_twice_says_already_recorded(client, instructor, session):
    client.force_login(instructor)
    data = {"name": "张大爷", "phone": mobile(45)}

    client.post(page_of(session), data)
    response = client.post(page_of(session), data, follow=True)

    assert session.attendances.count() == 1
    assert "张大爷 已有签到记录" in response.content.decode()


@pytest.mark.django_db
def test_the_list_shows_masked_phone_and_id(client, instructor, session):
    mark_attendance(
        session, name="张大爷", id_number=id_number(46), phone=mobile(46), by=instructor
    )
    client.force_login(instructor)

    page = client.get(page_of(session)).content.decode()

    assert "张大爷" in page
    assert "139****0046" in page
    assert "4453**********" in page
    assert mobile(46) not in page
    assert "已签到 1 人" in page


@pytest.mark.django_db
def test_the_instructor_removes_an_attendance_by_post_only(client, instructor, session):
    attendance, _created = mark_attendance(session, name="张大爷", phone=mobile(47), by=instructor)
    client.force_login(instructor)
    remove = reverse("classes:remove_attendance", args=[session.pk, attendance.pk])

    assert client.get(remove).status_code == 405
    response = client.post(remove)

    assert response.status_code == 302
    assert not session.attendances.exists()


@pytest.mark.django_db
def test_another_instructor_cannot_remove_an_attendance(
    client, other_instructor, session, instructor
):
    attendance, _created = mark_attendance(session, name="张大爷", phone=mobile(48), by=instructor)
    client.force_login(other_instructor)

    response = client.post(reverse("classes:remove_attendance", args=[session.pk, attendance.pk]))

    assert response.status_code == 404
    assert session.attendances.exists()


@pytest.mark.django_db
def test_an_attendance_of_another_session_cannot_be_removed_through_this_one(
    client, instructor, make_session
):
    mine, elsewhere = make_session(), make_session(instructor=make_user("林讲师"))
    attendance, _created = mark_attendance(
        elsewhere, name="张大爷", phone=mobile(49), by=instructor
    )
    client.force_login(instructor)

    response = client.post(reverse("classes:remove_attendance", args=[mine.pk, attendance.pk]))

    assert response.status_code == 404
    assert elsewhere.attendances.exists()


@pytest.mark.django_db
def test_marking_a_sheet_attendee_again_by_phone_links_nothing_new(session, instructor, trainee):
    mark_attendance(session, name="李学员", phone=trainee.phone, by=instructor)

    _attendance, created = mark_attendance(
        session, name="", phone=trainee.phone.removeprefix("+86"), by=instructor
    )

    assert not created
    assert session.attendances.get().user == trainee
