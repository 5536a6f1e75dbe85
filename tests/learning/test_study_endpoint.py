"""POST /learning/heartbeat/ and the lesson page's heartbeat script."""

import datetime
import json
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import CatalogPage
from learning.models import LessonView, OnlineStudy, StudyClock, epoch_ms
from tests.accounts.factories import UserFactory
from tests.courses.factories import make_lesson

URL = "/learning/heartbeat/"


@pytest.fixture
def logged_in(client, trainee):
    client.force_login(trainee)
    return client


def beat(client, lesson, view, seq, **extra):
    return client.post(URL, {"lesson": lesson.pk, "view": str(view), "seq": seq}, **extra)


def thirty_seconds_pass(user, view):
    """Move the page view's start and the trainee's clock back, as if time had passed."""
    earlier = epoch_ms(timezone.now() - datetime.timedelta(seconds=30))
    LessonView.objects.filter(user=user, view_id=view).update(started_ms=earlier)
    StudyClock.objects.filter(user=user).update(credited_until_ms=earlier)


def test_the_url_is_named_heartbeat():
    assert reverse("heartbeat") == URL


def test_a_beat_answers_what_was_credited_and_the_course_total(logged_in, trainee, lesson):
    view = uuid.uuid4()
    first = beat(logged_in, lesson, view, 1)
    assert first.status_code == 200
    assert first.json() == {"credited": 0, "course_seconds": 0}

    thirty_seconds_pass(trainee, view)
    second = beat(logged_in, lesson, view, 2)
    assert second.json() == {"credited": 30, "course_seconds": 30}
    assert OnlineStudy.objects.get(user=trainee).seconds == 30


def test_a_json_body_works_as_well_as_a_form(logged_in, trainee, lesson):
    view = uuid.uuid4()
    response = logged_in.post(
        URL,
        json.dumps({"lesson": lesson.pk, "view": str(view), "seq": 1}),
        content_type="application/json",
    )
    assert response.json() == {"credited": 0, "course_seconds": 0}
    assert LessonView.objects.filter(user=trainee, view_id=view).exists()


def test_anonymous_beats_get_a_json_401_not_a_redirect_to_the_login(client, lesson):
    response = beat(client, lesson, uuid.uuid4(), 1)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "登录" in response.json()["error"]


def test_only_post_is_allowed(logged_in):
    assert logged_in.get(URL).status_code == 405


def test_a_beat_without_the_csrf_token_is_refused(trainee, lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee)
    assert beat(client, lesson, uuid.uuid4(), 1).status_code == 403
    assert not LessonView.objects.exists()


def test_the_lesson_page_sets_the_csrf_cookie_the_script_sends_back(trainee, lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee)
    client.get(lesson.url)
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL,
        {"lesson": lesson.pk, "view": str(uuid.uuid4()), "seq": 1, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    response = beat(client, lesson, uuid.uuid4(), 1, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_a_trainee_not_enrolled_gets_403_with_a_chinese_message(client, lesson):
    client.force_login(UserFactory())
    response = beat(client, lesson, uuid.uuid4(), 1)
    assert response.status_code == 403
    assert response.json()["error"] == "您还没有报名这门课程，学习时长不会被记录。"


def test_a_page_view_id_reused_on_another_lesson_is_refused(logged_in, course, lesson):
    other = make_lesson(course, "第二课")
    view = uuid.uuid4()
    beat(logged_in, lesson, view, 1)
    response = beat(logged_in, other, view, 2)
    assert response.status_code == 400
    assert response.json()["error"] == "这次页面浏览属于另一节课。"


def _post(client, data, **extra):
    return client.post(URL, data, **extra)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lesson": None}, "lesson"),
        ({"view": None}, "view"),
        ({"seq": None}, "seq"),
        ({"lesson": "abc"}, "lesson"),
        ({"lesson": str(10**20)}, "lesson"),
        ({"view": "not-a-uuid"}, "view"),
        ({"seq": "1.5"}, "seq"),
        ({"seq": "0"}, "seq"),
        ({"seq": "-3"}, "seq"),
        ({"seq": str(2**31)}, "seq"),
    ],
)
def test_missing_or_malformed_fields_get_400_naming_the_field(logged_in, lesson, change, field):
    data = {"lesson": lesson.pk, "view": str(uuid.uuid4()), "seq": 1} | change
    data = {name: value for name, value in data.items() if value is not None}
    response = _post(logged_in, data)
    assert response.status_code == 400
    assert response.json()["error"]
    assert list(response.json()["fields"]) == [field]


@pytest.mark.parametrize("body", ["{not json", "[1, 2, 3]", '"a string"', "\xff".encode("latin-1")])
def test_a_body_that_is_not_a_json_object_gets_400(logged_in, body):
    response = logged_in.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]


def test_unknown_and_unpublished_lessons_and_other_pages_get_400(logged_in, course, lesson):
    draft = make_lesson(course, "草稿课", publish=False)
    missing = lesson.pk + 1000
    for page_id in (missing, draft.pk, course.pk, CatalogPage.objects.get().pk):
        response = _post(logged_in, {"lesson": page_id, "view": str(uuid.uuid4()), "seq": 1})
        assert response.status_code == 400, page_id
        assert response.json()["error"] == "没有这节已发布的课。"


def test_a_beat_costs_the_same_few_queries_however_many_came_before(
    logged_in, trainee, lesson, django_assert_max_num_queries, django_assert_num_queries
):
    """The first beat starts the view; later beats credit; none grows with the history."""
    view = uuid.uuid4()
    with django_assert_max_num_queries(20):
        assert beat(logged_in, lesson, view, 1).json()["credited"] == 0
    counts = []
    for seq in range(2, 6):
        thirty_seconds_pass(trainee, view)
        with CaptureQueriesContext(connection) as queries:
            assert beat(logged_in, lesson, view, seq).json()["credited"] == 30
        counts.append(len(queries))
    assert counts == [counts[0]] * 4, counts
    thirty_seconds_pass(trainee, view)
    with django_assert_num_queries(counts[0]):
        assert beat(logged_in, lesson, view, 6).json()["course_seconds"] == 150
    assert counts[0] <= 20


def test_the_lesson_page_carries_the_heartbeat_script_for_an_enrolled_trainee(
    logged_in, lesson, settings
):
    settings.STUDY_HEARTBEAT_SECONDS = 5
    html = logged_in.get(lesson.url).content.decode()
    assert "learning/heartbeat" in html
    assert f'data-lesson="{lesson.pk}"' in html
    assert 'data-interval="5"' in html
    assert f'data-url="{URL}"' in html
    assert 'data-csrf-cookie="csrftoken"' in html


def test_the_interval_defaults_to_thirty_seconds(logged_in, lesson):
    from yunfu.settings import base

    # Defined once, in the settings, with its default (the suite sets no such variable).
    assert base.STUDY_HEARTBEAT_SECONDS == 30
    assert 'data-interval="30"' in logged_in.get(lesson.url).content.decode()


def test_pages_whose_time_would_not_count_get_no_heartbeat_script(client, lesson):
    assert "heartbeat" not in client.get(lesson.url).content.decode()
    client.force_login(UserFactory())
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "heartbeat" not in response.content.decode()
