"""Enrolling in a course and leaving it, from the functions and from the course page."""

import pytest
from django.db import connection
from django.urls import reverse

from learning.enrolment import enrol, is_enrolled, leave
from learning.ledger import course_hours
from learning.models import Enrollment
from tests.accounts.factories import UserFactory
from tests.learning import enrolment_factories as make
from tests.support import at_once


def test_enrolling_twice_leaves_one_enrolment(db):
    user, course = UserFactory(), make.course()
    first = enrol(user, course)
    second = enrol(user, course)
    assert first.pk == second.pk
    assert Enrollment.objects.filter(user=user, course=course).count() == 1
    assert is_enrolled(user, course)


def test_leaving_keeps_the_row_and_the_hours_and_enrolling_again_reactivates_it(db):
    user, course = UserFactory(), make.course()
    enrolment = enrol(user, course)
    make.study_online(user, course, 1800)

    assert leave(user, course) is True
    enrolment.refresh_from_db()
    assert enrolment.left_at is not None
    assert not is_enrolled(user, course)
    assert course_hours(user, course).online == pytest.approx(0.5)
    assert leave(user, course) is False, "leaving twice changes nothing"

    again = enrol(user, course)
    assert again.pk == enrolment.pk
    assert again.left_at is None
    assert Enrollment.objects.get(pk=enrolment.pk).left_at is None
    assert Enrollment.objects.filter(user=user).count() == 1


def test_leaving_a_course_never_enrolled_in_does_nothing(db):
    assert leave(UserFactory(), make.course()) is False
    assert not Enrollment.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers, so only PostgreSQL can race two enrolments",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_enrolments_leave_one_row():
    user, course = UserFactory(), make.course()
    at_once(lambda: enrol(user, course), 8)
    assert Enrollment.objects.filter(user=user, course=course).count() == 1


def test_the_enrol_button_enrols_once_and_returns_to_the_course(client, db):
    user, course = UserFactory(), make.course()
    client.force_login(user)
    url = reverse("enrol", args=[course.pk])

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == course.url
    client.post(url)
    assert Enrollment.objects.filter(user=user, course=course).count() == 1
    assert client.get(url).status_code == 405, "enrolling changes data: POST only"


def test_the_course_page_offers_enrol_then_progress_and_leave(client, db):
    user, course = UserFactory(), make.course(lessons=2)
    client.force_login(user)

    page = client.get(course.url).content.decode()
    assert reverse("enrol", args=[course.pk]) in page
    assert reverse("leave_course", args=[course.pk]) not in page

    client.post(reverse("enrol", args=[course.pk]))
    page = client.get(course.url).content.decode()
    assert reverse("leave_course", args=[course.pk]) in page
    assert reverse("enrol", args=[course.pk]) not in page
    assert "已报名" in page
    assert "0 / 6 学时" in page and "0 / 2 课已学" in page

    response = client.post(reverse("leave_course", args=[course.pk]), follow=True)
    assert response.redirect_chain[-1][0] == course.url
    assert "已退出" in response.content.decode()
    assert not is_enrolled(user, course)
    assert reverse("enrol", args=[course.pk]) in response.content.decode()


def test_anonymous_visitors_see_a_login_link_that_comes_back_to_the_course(client, db):
    course = make.course()
    page = client.get(course.url).content.decode()
    assert f'href="/accounts/login/?next={course.url}"' in page
    assert "登录后报名" in page
    assert reverse("enrol", args=[course.pk]) not in page


def test_an_anonymous_post_goes_to_login_and_enrols_no_one(client, db):
    course = make.course()
    response = client.post(reverse("enrol", args=[course.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={course.url}"
    assert not Enrollment.objects.exists()


def test_unpublished_courses_cannot_be_enrolled_in(client, db):
    course = make.course()
    course.unpublish()
    client.force_login(UserFactory())
    assert client.post(reverse("enrol", args=[course.pk])).status_code == 404
    assert not Enrollment.objects.exists()


def test_a_completed_course_page_links_to_the_certificate(client, db):
    user, course = UserFactory(), make.course(hours="2")
    enrol(user, course)
    make.attend(make.session(course, hours="2"), user)
    client.force_login(user)
    page = client.get(course.url).content.decode()
    code = user.completions.get().certificate_code
    assert reverse("certificate", args=[code]) in page
    assert "已结业" in page and "查看结业证书" in page
    assert "2 / 2 学时（100%）" in page


def test_attending_a_class_enrols_and_brings_back_a_trainee_who_had_left(db):
    user, course, other = UserFactory(), make.course(hours="100"), make.course(hours="100")
    enrol(user, course)
    leave(user, course)
    make.attend(make.session(course), user)
    make.attend(make.session(other), user)
    assert is_enrolled(user, course)
    assert is_enrolled(user, other)
    assert Enrollment.objects.filter(user=user).count() == 2
