"""Class sessions in the CMS: instructors see and edit their own, course managers all.

A session's sign-in sheet goes through the shared upload (sheets, kind "attendance",
``?session=<pk>``): checked first, imported once confirmed."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse

from classes.models import Attendance, ClassSession
from courses.roles import COURSE_MANAGERS, INSTRUCTORS
from regions.models import Village
from sheets.models import SheetUpload
from tests.accounts.factories import UserFactory
from tests.classes.conftest import id_number, mobile
from tests.courses.factories import make_user


@pytest.fixture
def other_village(village):
    return Village.objects.create(town=village.town, name="龙岩村")


@pytest.fixture
def sessions(make_session, other_instructor, other_village):
    return {
        "own": make_session(),
        "other": make_session(instructor=other_instructor, venue=other_village),
    }


def form_data(session_fields, **changes):
    data = {
        "course": session_fields["course"].pk,
        "date": "2026-12-08",
        "start_time": "14:00",
        "end_time": "16:30",
        "venue": session_fields["venue"].pk,
        "hours": "2.5",
    }
    return {**data, **changes}


def csv_upload(rows, name="签到表.csv"):
    lines = ["姓名,证件号码,手机号", *(",".join(row) for row in rows)]
    return SimpleUploadedFile(name, "\n".join(lines).encode("utf-8"), content_type="text/csv")


def upload_url(session):
    """The shared sheet upload (sheets), for this session's sign-in sheet."""
    return reverse("sheets:upload", args=["attendance"]) + f"?session={session.pk}"


def status_url(upload):
    return reverse("sheets:status", args=[upload.pk])


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"


@pytest.fixture
def client_factory(db):
    """``client_factory(user)``: a second browser, logged in as ``user``."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """``send(client, session, file)``: upload a sign-in sheet, its check run; the upload."""

    def upload(client, session, file):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(upload_url(session), {"file": file})
        assert response.status_code == 302
        return SheetUpload.objects.get(pk=resolve(response.url).kwargs["pk"])

    return upload


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """``confirm(client, upload)``: press 确认导入 on its status page; the upload after."""

    def press(client, upload):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(status_url(upload), {"action": "confirm"})
        assert response.status_code == 302
        upload.refresh_from_db()
        return upload

    return press


@pytest.mark.django_db
@pytest.mark.parametrize("group", [INSTRUCTORS, COURSE_MANAGERS])
def test_both_groups_may_add_change_and_view_sessions_and_attendances(group):
    codenames = set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))

    assert {
        "add_classsession",
        "change_classsession",
        "view_classsession",
        "add_attendance",
        "change_attendance",
        "view_attendance",
    } <= codenames
    assert "delete_classsession" not in codenames


@pytest.mark.django_db
def test_an_instructor_lists_only_their_own_sessions(client, instructor, sessions):
    client.force_login(instructor)

    page = client.get(reverse("class_sessions:index")).content.decode()

    assert reverse("class_sessions:edit", args=[sessions["own"].pk]) in page
    assert reverse("class_sessions:edit", args=[sessions["other"].pk]) not in page
    assert "龙岩村" not in page
    assert reverse("classes:session", args=[sessions["own"].pk]) in page


@pytest.mark.django_db
def test_a_course_manager_lists_every_session(client, manager, sessions):
    client.force_login(manager)

    page = client.get(reverse("class_sessions:index")).content.decode()

    for session in sessions.values():
        assert reverse("class_sessions:edit", args=[session.pk]) in page


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["edit", "history", "usage"])
def test_another_instructors_session_is_not_found(client, instructor, sessions, view):
    client.force_login(instructor)

    response = client.get(reverse(f"class_sessions:{view}", args=[sessions["other"].pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_an_instructor_cannot_edit_anothers_session_by_posting(
    client, instructor, sessions, course, village
):
    client.force_login(instructor)
    other = sessions["other"]

    response = client.post(
        reverse("class_sessions:edit", args=[other.pk]),
        form_data({"course": course, "venue": village}),
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.date == datetime.date(2026, 12, 1)


@pytest.mark.django_db
def test_an_instructor_creates_a_session_of_their_own(
    client, instructor, other_instructor, course, village
):
    client.force_login(instructor)
    add = reverse("class_sessions:add")

    form_page = client.get(add).content.decode()
    response = client.post(
        add, form_data({"course": course, "venue": village}, instructor=other_instructor.pk)
    )

    assert 'name="instructor"' not in form_page
    assert response.status_code == 302
    session = ClassSession.objects.get()
    assert session.instructor == instructor
    assert (session.start_time, session.end_time) == (datetime.time(14), datetime.time(16, 30))


@pytest.mark.django_db
def test_an_instructor_editing_keeps_the_session_theirs(
    client, instructor, other_instructor, sessions, course, village
):
    client.force_login(instructor)
    own = sessions["own"]

    response = client.post(
        reverse("class_sessions:edit", args=[own.pk]),
        form_data({"course": course, "venue": village}, instructor=other_instructor.pk),
    )

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.instructor == instructor
    assert own.date == datetime.date(2026, 12, 8)


@pytest.mark.django_db
def test_a_course_manager_chooses_the_instructor(client, manager, instructor, course, village):
    client.force_login(manager)
    add = reverse("class_sessions:add")

    form_page = client.get(add).content.decode()
    response = client.post(
        add, form_data({"course": course, "venue": village}, instructor=instructor.pk)
    )

    assert 'name="instructor"' in form_page
    assert response.status_code == 302
    assert ClassSession.objects.get().instructor == instructor


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"start_time": "16:00", "end_time": "15:00"}, "end_time", "下课时间必须晚于上课时间。"),
        ({"start_time": "16:00", "end_time": "16:00"}, "end_time", "下课时间必须晚于上课时间。"),
        ({"hours": "0"}, "hours", "学时必须大于零。"),
        ({"hours": "-1"}, "hours", "学时必须大于零。"),
    ],
)
def test_bad_times_and_hours_are_shown_in_chinese_next_to_the_field(
    client, instructor, course, village, changes, field, message
):
    client.force_login(instructor)

    response = client.post(
        reverse("class_sessions:add"), form_data({"course": course, "venue": village}, **changes)
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert message in response.content.decode()
    assert not ClassSession.objects.exists()


@pytest.mark.django_db
def test_a_trainee_has_no_way_into_the_session_admin(client, trainee, sessions):
    client.force_login(trainee)

    response = client.get(reverse("class_sessions:index"))

    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_a_course_manager_uploads_a_sign_in_sheet(client, manager, sessions, send, confirm):
    client.force_login(manager)
    other = sessions["other"]
    rows = [(f"村民{n}", id_number(n), mobile(n)) for n in range(1, 4)]

    form_page = client.get(upload_url(other)).content.decode()
    upload = send(client, other, csv_upload(rows))
    checked = client.get(status_url(upload)).content.decode()

    assert 'enctype="multipart/form-data"' in form_page
    assert all(f"<td>{heading}</td>" in form_page for heading in ("姓名", "证件号码", "手机号"))
    assert str(other) in form_page, "the page names the session"
    assert upload.status == SheetUpload.Status.READY
    assert upload.options == {"session": other.pk}
    assert "签到记录：新增 3，" in checked and str(other) in checked
    assert not other.attendances.exists(), "the check writes nothing"

    upload = confirm(client, upload)

    assert upload.status == SheetUpload.Status.DONE
    assert "签到记录：新增 3，" in client.get(status_url(upload)).content.decode()
    assert other.attendances.count() == 3
    assert set(other.attendances.values_list("recorded_by", flat=True)) == {manager.pk}


@pytest.mark.django_db
def test_the_attendances_are_recorded_by_whoever_confirmed_the_import(
    client, client_factory, instructor, manager, sessions, send, confirm
):
    client.force_login(instructor)
    own = sessions["own"]
    upload = send(client, own, csv_upload([("村民1", id_number(1), mobile(1))]))

    confirm(client_factory(manager), upload)

    assert upload.uploaded_by == instructor
    assert list(own.attendances.values_list("recorded_by", flat=True)) == [manager.pk]


@pytest.mark.django_db
def test_an_uploaded_bad_sheet_lists_its_problems_and_writes_nothing(
    client, instructor, sessions, send, confirm
):
    client.force_login(instructor)
    bad = id_number(3)[:-1] + ("0" if id_number(3)[-1] != "0" else "1")
    rows = [("村民1", id_number(1), ""), ("王二", bad, ""), ("张三", "", "")]

    upload = send(client, sessions["own"], csv_upload(rows))
    page = client.get(status_url(upload)).content.decode()

    assert upload.status == SheetUpload.Status.REFUSED
    assert "发现 2 个问题" in page
    assert "第 3 行（王二）：" in page and "第 4 行（张三）：" in page
    assert "第 2 行" not in page
    assert bad not in page
    assert 'value="confirm"' not in page
    confirm(client, upload)
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_an_xlsx_upload_works(client, instructor, sessions, sheet, villagers, send, confirm):
    client.force_login(instructor)
    path = sheet(villagers, name="签到表.xlsx")

    upload = send(client, sessions["own"], SimpleUploadedFile(path.name, path.read_bytes()))
    confirm(client, upload)

    assert sessions["own"].attendances.count() == 10


@pytest.mark.django_db
def test_another_instructors_session_has_no_upload_for_them(
    client, client_factory, instructor, other_instructor, sessions, send
):
    """Neither its upload page nor the report of an upload for it, which names people."""
    other = sessions["other"]
    upload = send(
        client_factory(other_instructor), other, csv_upload([("村民1", id_number(1), "")])
    )
    client.force_login(instructor)

    assert client.get(upload_url(other)).status_code == 404
    assert client.post(upload_url(other), {"file": csv_upload([])}).status_code == 404
    assert client.get(status_url(upload)).status_code == 404
    assert client.post(status_url(upload), {"action": "confirm"}).status_code == 404

    assert SheetUpload.objects.get() == upload
    upload.refresh_from_db()
    assert upload.status == SheetUpload.Status.READY
    assert not Attendance.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?session=", "?session=x", "?session=999"])
def test_an_upload_names_a_session_that_exists(client, instructor, sessions, query):
    client.force_login(instructor)

    response = client.get(reverse("sheets:upload", args=["attendance"]) + query)

    assert response.status_code == 404


@pytest.mark.django_db
def test_a_cms_user_who_runs_no_sessions_may_not_upload(client, sessions):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get(upload_url(sessions["own"]))

    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


@pytest.mark.django_db
def test_a_trainee_may_not_upload(client, trainee, sessions):
    client.force_login(trainee)

    response = client.post(upload_url(sessions["own"]), {"file": csv_upload([])})

    assert response.status_code in (302, 403)
    assert not SheetUpload.objects.exists()


@pytest.mark.django_db
def test_the_edit_page_links_to_the_session_page_and_the_upload(client, instructor, sessions):
    client.force_login(instructor)
    own = sessions["own"]

    page = client.get(reverse("class_sessions:edit", args=[own.pk])).content.decode()

    assert reverse("classes:session", args=[own.pk]) in page
    assert upload_url(own) in page


@pytest.mark.django_db
def test_the_session_page_links_to_its_upload(client, instructor, sessions):
    """The front-end page (QR code, marking) the instructor has open during the class."""
    client.force_login(instructor)
    own = sessions["own"]

    response = client.get(reverse("classes:session", args=[own.pk]))

    assert response.status_code == 200
    assert upload_url(own) in response.content.decode()


@pytest.mark.django_db
def test_the_listing_links_each_session_to_its_upload(client, manager, sessions):
    client.force_login(manager)

    page = client.get(reverse("class_sessions:index")).content.decode()

    for session in sessions.values():
        assert f'{upload_url(session)}"' in page


@pytest.mark.django_db
def test_the_admin_menu_shows_offline_classes_to_an_instructor(client, instructor):
    client.force_login(instructor)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    # The sidebar is JSON with non-ASCII escaped; decode it to read the labels.
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S).group(1)
    assert '"线下培训班"' in json.dumps(json.loads(props), ensure_ascii=False)


@pytest.mark.django_db
def test_a_superuser_sees_every_session(client, sessions):
    admin = make_user("超级管理员")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)

    page = client.get(reverse("class_sessions:index")).content.decode()

    for session in sessions.values():
        assert reverse("class_sessions:edit", args=[session.pk]) in page
