"""The 我的学习 page: enrolled courses with their progress, all hours, completed courses."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.enrolment import course_progress, enrol, leave, lessons_visited, my_learning
from tests.accounts.factories import UserFactory
from tests.learning import enrolment_factories as make


@pytest.fixture
def trainee(db):
    return UserFactory(real_name="黄小梅")


def test_progress_adds_online_and_offline_hours_and_counts_lessons_visited(trainee):
    """Course of 6 hours: 1.5 h online + a 2 h class = 3.5 h, 58%; 2 of 3 lessons seen."""
    course = make.course("开设网店", hours="6", lessons=3)
    lessons = list(course.lessons())
    enrol(trainee, course)
    make.study_online(trainee, course, 5400)
    make.attend(make.session(course, hours="2"), trainee)
    make.view_lesson(trainee, lessons[0])
    make.view_lesson(trainee, lessons[0])  # a second visit is the same lesson
    make.view_lesson(trainee, lessons[2])
    make.view_lesson(UserFactory(), lessons[1])  # someone else's visit

    [progress] = my_learning(trainee).courses
    assert progress.course == course
    assert progress.hours.online == Decimal("1.5")
    assert progress.hours.offline == Decimal("2")
    assert progress.hours.total == Decimal("3.5")
    assert progress.percent == 58
    assert (progress.lessons, progress.lessons_visited) == (3, 2)
    assert progress.lessons_percent == 66
    assert progress.completion is None
    assert course_progress(trainee, course) == progress


def test_the_page_shows_the_numbers(client, trainee):
    course = make.course("开设网店", hours="6", lessons=3)
    enrol(trainee, course)
    make.study_online(trainee, course, 5400)
    make.attend(make.session(course, hours="2"), trainee)
    make.view_lesson(trainee, next(iter(course.lessons())))
    client.force_login(trainee)

    page = client.get(reverse("my_learning")).content.decode()
    assert "开设网店" in page
    assert "3.5 / 6 学时（58%）" in page
    assert "1 / 3 课已学" in page
    assert 'aria-valuenow="58"' in page and "width: 58%" in page
    assert "累计学时 <strong>3.5</strong>" in page
    assert "在线学习 1.5 学时 · 线下培训 2 学时" in page


def test_progress_is_capped_at_one_hundred_percent(trainee):
    course = make.course(hours="1")
    enrol(trainee, course)
    make.study_online(trainee, course, 3 * 3600)
    [progress] = my_learning(trainee).courses
    assert progress.hours.total == 3
    assert progress.percent == 100


def test_left_courses_leave_the_list_but_their_hours_stay_in_the_total(trainee):
    kept, left = make.course("微店运营"), make.course("网络营销")
    enrol(trainee, kept)
    enrol(trainee, left)
    make.study_online(trainee, kept, 3600)
    make.study_online(trainee, left, 1800)
    leave(trainee, left)

    learning = my_learning(trainee)
    assert [p.course for p in learning.courses] == [kept]
    assert learning.hours.total == Decimal("1.5")


def test_only_published_lessons_count(trainee):
    course = make.course(lessons=2)
    draft = make.lesson_draft(course)
    make.view_lesson(trainee, draft)
    assert lessons_visited(trainee, [course]) == {course.pk: (2, 0)}


def test_lessons_are_counted_per_course(trainee):
    one, two, none = make.course(lessons=1), make.course(lessons=3), make.course()
    make.view_lesson(trainee, next(iter(two.lessons())))
    assert lessons_visited(trainee, [one, two, none]) == {one.pk: (1, 0), two.pk: (3, 1)}
    assert lessons_visited(trainee, []) == {}


def _my_learning_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("my_learning"))
    assert response.status_code == 200
    return len(queries)


def _take_courses(user, count):
    for number in range(count):
        course = make.course(f"课程{number}", hours="1", lessons=2)
        enrol(user, course)
        make.study_online(user, course, 1800)
        make.attend(make.session(course, hours="1"), user)  # past the required hour
        make.view_lesson(user, next(iter(course.lessons())))


def test_the_page_makes_as_many_queries_for_five_courses_as_for_one(
    client, db, django_assert_max_num_queries
):
    one, five = UserFactory(), UserFactory()
    _take_courses(one, 1)
    _take_courses(five, 5)
    with_one = _my_learning_queries(client, one)
    client.force_login(five)
    with django_assert_max_num_queries(with_one):
        response = client.get(reverse("my_learning"))
    assert len(response.context["learning"].courses) == 5
    assert len(response.context["learning"].completions) == 5


def test_completed_courses_link_to_their_certificates(client, trainee):
    course = make.course("农产品网络营销", hours="2")
    enrol(trainee, course)
    make.attend(make.session(course, hours="2"), trainee)  # completes through the signal
    client.force_login(trainee)

    response = client.get(reverse("my_learning"))
    [completion] = response.context["learning"].completions
    assert completion.course == course
    assert completion.hours == Decimal("2")
    page = response.content.decode()
    assert "已结业课程" in page
    assert reverse("certificate", args=[completion.certificate_code]) in page
    assert "已结业" in page


def test_nothing_yet_points_to_the_catalog(client, trainee):
    client.force_login(trainee)
    page = client.get(reverse("my_learning")).content.decode()
    assert "您还没有报名任何课程" in page
    assert 'href="/courses/"' in page


def test_the_page_needs_a_login(client, db):
    response = client.get(reverse("my_learning"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/learning/")


def test_the_nav_links_to_my_learning_when_logged_in(client, trainee):
    assert "我的学习" not in client.get("/courses/").content.decode()
    client.force_login(trainee)
    assert f'href="{reverse("my_learning")}">我的学习' in client.get("/courses/").content.decode()
