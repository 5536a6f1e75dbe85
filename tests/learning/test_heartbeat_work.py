"""What a heartbeat costs (statements per beat, through the whole request), and that it
never credits more than the learner's own page measured: a beat that queued on a busy
server earns no more for it, and a page that claims more time than it had gains nothing.

Before (issue 16), one credited beat ran 16 statements, and the server credited by its own
clock alone, so beats delayed in a queue earned their delay.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import CatalogPage, CoursePage, Track
from learning.enrolment import enrol
from learning.models import Completion, LessonView, StudyClock, epoch_ms
from learning.study import NoSuchLesson, online_seconds, record_heartbeat
from tests.accounts.factories import UserFactory
from tests.courses.factories import make_course, make_lesson
from tests.learning import enrolment_factories as make

URL = "/learning/heartbeat/"
START = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
PAGE_INTERVAL = 30  # seconds between beats, by the page's own clock


def at(seconds):
    return START + datetime.timedelta(seconds=seconds)


# Sessions from the cache (site/settings/base.py), so the login costs only the user lookup.
cached_sessions = override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")


def post_beat(client, lesson, view, seq, elapsed_ms=PAGE_INTERVAL * 1000):
    data = {"lesson": lesson.pk, "view": str(view), "seq": seq, "elapsed_ms": elapsed_ms}
    return client.post(URL, data)


def statements(client, lesson, view, seq, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = post_beat(client, lesson, view, seq, **extra)
    return response, [query["sql"] for query in queries.captured_queries]


def thirty_seconds_pass(user, view):
    """Move the page view's start and the trainee's clock back, as if time had passed."""
    earlier = epoch_ms(timezone.now() - datetime.timedelta(seconds=PAGE_INTERVAL))
    LessonView.objects.filter(user=user, view_id=view).update(started_ms=earlier)
    StudyClock.objects.filter(user=user).update(credited_until_ms=earlier)


@cached_sessions
def test_a_beat_runs_at_most_four_statements_and_loads_no_page(client, trainee, lesson):
    """Counted over the whole request, the login's user lookup included; the lesson's course
    and the enrolment are read once, then come from the cache."""
    client.force_login(trainee)
    cold, cold_sql = statements(client, lesson, uuid.uuid4(), 1)
    assert cold.status_code == 200
    # Once per lesson and per trainee and course: the lesson's course (two queries), the
    # enrolment, the completion and the class hours (three), then the beat's own two.
    assert len(cold_sql) == 7, cold_sql
    view = uuid.uuid4()

    first, first_sql = statements(client, lesson, view, 1)
    assert first.json() == {"credited": 0, "course_seconds": 0}
    assert len(first_sql) == 2, first_sql

    credited = []
    for seq in (2, 3):
        thirty_seconds_pass(trainee, view)
        response, sql = statements(client, lesson, view, seq)
        assert response.json()["credited"] == PAGE_INTERVAL
        credited.append(sql)
    assert [len(sql) for sql in credited] == [4, 4], credited

    replay, replay_sql = statements(client, lesson, view, 3)
    assert replay.json() == {"credited": 0, "course_seconds": 2 * PAGE_INTERVAL}
    assert len(replay_sql) == 3, replay_sql

    everything = " ".join(first_sql + replay_sql + credited[0] + credited[1]).lower()
    assert "wagtailcore_page" not in everything
    assert "django_session" not in everything
    assert "savepoint" not in everything


@cached_sessions
def test_a_beat_from_someone_not_enrolled_runs_one_statement_once_cached(client, lesson):
    client.force_login(UserFactory())
    assert post_beat(client, lesson, uuid.uuid4(), 1).status_code == 403
    refused, sql = statements(client, lesson, uuid.uuid4(), 1)
    assert refused.status_code == 403
    assert len(sql) == 1, sql


def send_and_arrive(delays):
    """A page beating every 30 s of its own time, seen at the server ``delay`` seconds after
    each was sent: (page time sent, server time arrived, elapsed_ms the page reports)."""
    return [
        (PAGE_INTERVAL * n, PAGE_INTERVAL * n + delay, 0 if n == 0 else PAGE_INTERVAL * 1000)
        for n, delay in enumerate(delays)
    ]


# A queue that builds up, drains and builds up again: beats 2 and 3 arrive a second apart,
# as do 8 and 9; the last one waits 12 s.
QUEUE_DELAYS = [0.1, 2, 25, 1.5, 9, 14, 20, 3, 0.5, 17, 25, 4, 12]


def replay(user, lesson, beats, *, send_elapsed):
    view = uuid.uuid4()
    credited = []
    for seq, (_sent, arrived, elapsed_ms) in enumerate(beats, start=1):
        result = record_heartbeat(
            user,
            lesson.pk,
            view,
            seq,
            elapsed_ms=elapsed_ms if send_elapsed else None,
            now=at(arrived),
        )
        credited.append(result.credited_seconds)
    return credited


def test_beats_delayed_in_a_queue_earn_no_more_than_the_page_was_open(course, lesson, trainee):
    beats = send_and_arrive(QUEUE_DELAYS)
    page_span = beats[-1][0] - beats[0][0]
    server_span = beats[-1][1] - beats[0][1]
    assert server_span > page_span  # the queue stretched the span the server sees

    credited = replay(trainee, lesson, beats, send_elapsed=True)
    for n in range(1, len(beats)):
        # At every beat, not only at the end, the credit so far is within the page's time.
        assert sum(credited[: n + 1]) <= beats[n][0] - beats[0][0], credited
    assert sum(credited) == page_span == online_seconds(trainee, course), credited

    # By the server's clock alone (a page from before elapsed_ms), the queue's delay is
    # credited: the flaw this guards against.
    other = UserFactory()
    enrol(other, course)
    by_server_clock = replay(other, lesson, beats, send_elapsed=False)
    assert sum(by_server_clock) == int(server_span) > page_span


def test_a_page_claiming_more_time_than_it_had_gains_nothing(course, lesson, trainee):
    view = uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, view, 1, elapsed_ms=0, now=at(0))
    forged = record_heartbeat(trainee, lesson.pk, view, 2, elapsed_ms=2**31 - 1, now=at(20))
    assert forged.credited_seconds == 20  # the server's time since the previous beat
    capped = record_heartbeat(trainee, lesson.pk, view, 3, elapsed_ms=2**31 - 1, now=at(620))
    assert capped.credited_seconds == 60  # and never more than the cap
    assert online_seconds(trainee, course) == 80


def test_a_page_that_measured_less_is_credited_what_it_measured(course, lesson, trainee):
    """Its clock ran 12.5 s between beats the server saw 30 s apart (a frozen tab, say)."""
    view = uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, view, 1, elapsed_ms=0, now=at(0))
    credited = [
        record_heartbeat(
            trainee, lesson.pk, view, seq, elapsed_ms=12_500, now=at(30 * (seq - 1))
        ).credited_seconds
        for seq in (2, 3)
    ]
    assert credited == [12, 13]  # half seconds carry over to the next beat
    assert online_seconds(trainee, course) == 25


def test_two_tabs_whose_pages_both_vouch_for_the_time_still_share_it(course, lesson, trainee):
    tab_a, tab_b = uuid.uuid4(), uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, tab_a, 1, elapsed_ms=0, now=at(0))
    record_heartbeat(trainee, lesson.pk, tab_b, 1, elapsed_ms=0, now=at(10))
    for seq in range(2, 6):
        for tab, offset in ((tab_a, 0), (tab_b, 10)):
            now = at(30 * (seq - 1) + offset)
            record_heartbeat(trainee, lesson.pk, tab, seq, elapsed_ms=30_000, now=now)
    assert online_seconds(trainee, course) == 130  # from 0 s to 130 s, once


@cached_sessions
@pytest.mark.parametrize("value", ["-1", "1.5", "abc", str(2**31)])
def test_an_elapsed_time_that_is_not_a_whole_number_of_milliseconds_is_a_400(
    client, trainee, lesson, value
):
    client.force_login(trainee)
    response = post_beat(client, lesson, uuid.uuid4(), 1, elapsed_ms=value)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["elapsed_ms"]


def test_a_page_from_before_elapsed_ms_is_credited_by_the_server_clock(client, trainee, lesson):
    client.force_login(trainee)
    view = uuid.uuid4()
    client.post(URL, {"lesson": lesson.pk, "view": str(view), "seq": 1})
    thirty_seconds_pass(trainee, view)
    response = client.post(URL, {"lesson": lesson.pk, "view": str(view), "seq": 2})
    assert response.json()["credited"] == PAGE_INTERVAL


def test_a_lesson_moved_to_another_course_credits_that_course(course, lesson, trainee):
    view = uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, view, 1, now=at(0))
    other = make_course(CatalogPage.objects.get(), Track.objects.first(), "直播带货")
    enrol(trainee, other)
    lesson.move(other, pos="last-child")
    record_heartbeat(trainee, lesson.pk, view, 2, now=at(30))
    assert online_seconds(trainee, other) == 30
    assert online_seconds(trainee, course) == 0


def test_an_unpublished_lesson_earns_nothing_from_the_next_beat(course, lesson, trainee):
    view = uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, view, 1, now=at(0))
    lesson.unpublish()
    with pytest.raises(NoSuchLesson):
        record_heartbeat(trainee, lesson.pk, view, 2, now=at(30))
    lesson.save_revision().publish()
    assert record_heartbeat(trainee, lesson.pk, view, 3, now=at(60)).credited_seconds == 60


def test_a_class_attended_meanwhile_lets_study_time_complete_the_course_sooner(trainee_with_id):
    """Completion is looked at only when the online total reaches what the cached standing
    says is left; a class recorded after the standing was cached moves that point."""
    course = make.course(hours="0.2")  # twelve minutes
    lesson = make_lesson(course, "短课")
    enrol(trainee_with_id, course)
    view = uuid.uuid4()
    record_heartbeat(trainee_with_id, lesson.pk, view, 1, now=at(0))
    make.attend(make.session(course, hours="0.1"), trainee_with_id)  # six minutes
    for seq in range(2, 13):
        record_heartbeat(trainee_with_id, lesson.pk, view, seq, now=at(30 * (seq - 1)))
    assert not Completion.objects.exists()  # five and a half minutes online
    record_heartbeat(trainee_with_id, lesson.pk, view, 13, now=at(360))
    completion = Completion.objects.get()
    assert completion.online_completed_on is None  # six minutes online, six in class
    assert completion.hours == Decimal("0.20")


def test_a_course_whose_required_hours_drop_completes_at_the_new_figure(trainee):
    course = make.course(hours="0.2")  # twelve minutes
    lesson = make_lesson(course, "短课")
    enrol(trainee, course)
    view = uuid.uuid4()
    for seq in range(1, 15):
        record_heartbeat(trainee, lesson.pk, view, seq, now=at(30 * (seq - 1)))
    assert not Completion.objects.exists()  # six and a half minutes
    page = CoursePage.objects.get(pk=course.pk)
    page.required_hours = Decimal("0.1")
    page.save_revision().publish()
    record_heartbeat(trainee, lesson.pk, view, 15, now=at(420))
    assert Completion.objects.get().online_completed_on is not None


@pytest.fixture
def trainee_with_id(db):
    user = UserFactory(real_name="黄小梅")
    user.set_id_number("445302199001011235")
    user.save()
    return user
