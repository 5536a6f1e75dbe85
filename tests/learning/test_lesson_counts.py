"""A lesson says when its study time would not count, and how to make it count; the
course page shows small amounts of time in minutes; leaving a course asks first."""

from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse

from courses.models import LessonPage
from learning.enrolment import enrol, is_enrolled
from learning.templatetags.enrolment_tags import minutes_if_small
from tests.accounts.factories import UserFactory
from tests.learning import enrolment_factories as make


@pytest.fixture
def lesson(db):
    course = make.course(lessons=1)
    return LessonPage.objects.child_of(course).get()


def test_logged_out_a_lesson_says_time_counts_after_login_and_links_back(client, lesson):
    page = client.get(lesson.url).content.decode()
    assert "登录后学习时长才计入" in page
    assert f'href="/accounts/login/?next={quote(lesson.url)}"' in page
    assert "报名后计入学时" not in page


def test_not_enrolled_a_lesson_offers_enrolment_and_returns_to_the_lesson(client, lesson):
    user = UserFactory()
    course = lesson.get_parent().specific
    client.force_login(user)
    page = client.get(lesson.url).content.decode()
    assert "报名后计入学时" in page
    assert "登录后学习时长才计入" not in page
    assert reverse("enrol", args=[course.pk]) in page

    response = client.post(reverse("enrol", args=[course.pk]), {"next": lesson.url})
    assert response.status_code == 302 and response["Location"] == lesson.url
    assert is_enrolled(user, course)
    page = client.get(lesson.url).content.decode()
    assert "报名后计入学时" not in page and "登录后学习时长才计入" not in page


def test_enrolment_never_returns_to_another_site(client, lesson):
    course = lesson.get_parent().specific
    client.force_login(UserFactory())
    response = client.post(reverse("enrol", args=[course.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == course.url


def test_an_expired_session_enrolling_from_a_lesson_logs_in_and_comes_back(client, lesson):
    course = lesson.get_parent().specific
    response = client.post(reverse("enrol", args=[course.pk]), {"next": lesson.url})
    assert response["Location"] == f"/accounts/login/?next={quote(lesson.url)}"


@pytest.mark.parametrize(
    ("hours", "minutes"),
    [("0.03", 2), ("0.01", 1), ("0.5", 30), ("0.99", 59), ("0", None), ("1", None), ("6", None)],
)
def test_small_hours_read_as_minutes(hours, minutes):
    assert minutes_if_small(Decimal(hours)) == minutes


def test_the_course_page_shows_two_minutes_of_study_as_minutes(client, db):
    user, course = UserFactory(), make.course(hours="6")
    enrol(user, course)
    make.study_online(user, course, 120)
    client.force_login(user)
    page = client.get(course.url).content.decode()
    assert "0.03 / 6 学时" in page
    assert "已学 2 分钟" in page


def test_a_course_of_half_an_hour_says_thirty_minutes(client, db):
    course = make.course(hours="0.5")
    page = client.get(course.url).content.decode()
    assert "0.5 学时" in page and "（30 分钟）" in page


def test_leaving_a_course_asks_first_and_works_without_javascript(client, db):
    user, course = UserFactory(), make.course()
    enrol(user, course)
    client.force_login(user)
    url = reverse("leave_course", args=[course.pk])
    assert f'href="{url}"' in client.get(course.url).content.decode()

    confirm = client.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert f"确定退出课程《{course.title}》吗？" in page
    assert f'action="{url}"' in page and 'method="post"' in page
    assert is_enrolled(user, course), "asking changes nothing"

    response = client.post(url)
    assert response["Location"] == course.url
    assert not is_enrolled(user, course)
    assert client.get(url)["Location"] == course.url, "nothing to leave: back to the course"
