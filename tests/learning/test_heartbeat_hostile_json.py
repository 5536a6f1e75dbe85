"""A heartbeat body no lesson page sends (deeply nested, not an object, fields of the wrong
type, numbers beyond any column, NaN) is a 400 in JSON saying what is wrong, never a 500.

Before, 100,000 nested brackets raised RecursionError inside json.loads: a 500.
"""

import json
import uuid

import pytest

from courses.models import CatalogPage, Track
from learning.models import Enrollment, LessonView
from tests.accounts.factories import UserFactory
from tests.courses.factories import make_course, make_lesson

URL = "/learning/heartbeat/"
NOT_JSON = "学习计时数据不是有效的 JSON。"
NOT_AN_OBJECT = "学习计时数据应是一个 JSON 对象。"


@pytest.fixture
def lesson(db):
    course = make_course(CatalogPage.objects.get(), Track.objects.first(), "网店运营")
    return make_lesson(course, "第一课 开店")


@pytest.fixture
def logged_in(client, lesson):
    client.raise_request_exception = False
    user = UserFactory()
    Enrollment.objects.create(user=user, course=lesson.get_parent().specific)
    client.force_login(user)
    return client


def post_json(client, body: str):
    return client.post(URL, body, content_type="application/json")


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"lesson": ' * 50_000 + "1" + "}" * 50_000,
        "{" + '"a": {' * 3_000 + "}" * 3_001,
    ],
    ids=["brackets", "objects", "three-thousand-deep"],
)
def test_deeply_nested_json_is_a_400_not_a_recursion_error(logged_in, body):
    response = post_json(logged_in, body)
    assert response.status_code == 400
    assert response.json()["error"] == NOT_JSON


@pytest.mark.parametrize("body", ["[1, 2, 3]", '"a string"', "null", "12", "true"])
def test_json_that_is_not_an_object_is_a_400_saying_so(logged_in, body):
    response = post_json(logged_in, body)
    assert response.status_code == 400
    assert response.json()["error"] == NOT_AN_OBJECT


def test_a_number_too_long_for_python_to_read_is_a_400(logged_in):
    # Python refuses to turn more than 4,300 digits into an int (a ValueError).
    response = post_json(logged_in, '{"lesson": ' + "9" * 5_000 + ', "seq": 1}')
    assert response.status_code == 400
    assert response.json()["error"] == NOT_JSON


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lesson", "NaN"),
        ("seq", "Infinity"),
        ("seq", "-Infinity"),
        ("seq", "1e400"),
        ("seq", "9" * 4_000),
        ("lesson", "[1]"),
        ("lesson", '{"id": 1}'),
        ("seq", "true"),
        ("view", "[]"),
        ("view", '{"a": 1}'),
        ("view", "12345"),
        ("view", '"\\u0000"'),
    ],
)
def test_a_field_of_the_wrong_type_or_size_is_a_400_naming_it(logged_in, lesson, field, value):
    fields = {"lesson": str(lesson.pk), "view": json.dumps(str(uuid.uuid4())), "seq": "1"}
    fields[field] = value
    body = "{" + ", ".join(f'"{name}": {text}' for name, text in fields.items()) + "}"
    response = post_json(logged_in, body)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert not LessonView.objects.exists()


def test_a_well_formed_beat_still_counts(logged_in, lesson):
    body = json.dumps({"lesson": lesson.pk, "view": str(uuid.uuid4()), "seq": 1})
    assert post_json(logged_in, body).status_code == 200
    assert LessonView.objects.count() == 1
