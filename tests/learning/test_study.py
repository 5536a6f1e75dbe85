"""Online study time: what record_heartbeat credits for the beats of open lesson pages.

Times are passed as ``now=``, so every test states exactly when each beat arrives.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from courses.models import CatalogPage, Track
from learning.enrolment import enrol, leave
from learning.models import Completion, Enrollment, LessonView, OnlineStudy, StudyClock
from learning.study import NotEnrolled, ViewOfAnotherLesson, online_seconds, record_heartbeat
from tests.accounts.factories import UserFactory
from tests.courses.factories import make_course, make_lesson
from tests.support import at_once

START = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def at(seconds):
    return START + datetime.timedelta(seconds=seconds)


def new_course(hours="6"):
    return make_course(
        CatalogPage.objects.get(),
        Track.objects.first(),
        "直播带货入门",
        required_hours=Decimal(hours),
    )


@pytest.fixture
def other_lesson(course):
    return make_lesson(course, "第二课 选品")


def beats(user, lesson, view, times, first_seq=1):
    """Send beats with seq counting up from first_seq; return what each one credited."""
    return [
        record_heartbeat(user, lesson.pk, view, seq, now=at(t)).credited_seconds
        for seq, t in enumerate(times, start=first_seq)
    ]


def test_the_first_beat_of_a_page_view_only_starts_its_clock(trainee, lesson):
    view = uuid.uuid4()
    result = record_heartbeat(trainee, lesson.pk, view, 1, now=at(0))
    assert (result.credited_seconds, result.course_seconds) == (0, 0)
    assert LessonView.objects.get(user=trainee, view_id=view).last_seq == 1
    assert not OnlineStudy.objects.exists()


def test_a_beat_thirty_seconds_later_credits_thirty(trainee, lesson, course):
    view = uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, view, 1, now=at(0))
    result = record_heartbeat(trainee, lesson.pk, view, 2, now=at(30))
    assert (result.credited_seconds, result.course_seconds) == (30, 30)
    row = OnlineStudy.objects.get()
    assert (row.user, row.course, row.day, row.seconds) == (
        trainee,
        course,
        datetime.date(2026, 3, 2),
        30,
    )


def test_fractions_of_a_second_carry_over_instead_of_being_lost(trainee, lesson):
    """Beats 30.4 s apart: ten of them credit 304 s, not 10 × 30."""
    beats(trainee, lesson, uuid.uuid4(), [30.4 * n for n in range(11)])
    assert online_seconds(trainee, lesson.get_parent().specific) == 304


def test_beats_add_up_in_one_row_per_day(trainee, lesson):
    assert beats(trainee, lesson, uuid.uuid4(), [0, 30, 60, 90]) == [0, 30, 30, 30]
    assert OnlineStudy.objects.get().seconds == 90


def test_a_beat_after_a_long_gap_credits_at_most_sixty_seconds(trainee, lesson):
    """A phone that slept or lost its signal for ten minutes gets one beat's worth, no more."""
    assert beats(trainee, lesson, uuid.uuid4(), [0, 600]) == [0, 60]


def test_the_cap_and_the_interval_come_from_settings(trainee, lesson, settings):
    from learning.study import heartbeat_seconds

    settings.STUDY_MAX_CREDIT_SECONDS = 45
    settings.STUDY_HEARTBEAT_SECONDS = 20
    assert heartbeat_seconds() == 20
    assert beats(trainee, lesson, uuid.uuid4(), [0, 600]) == [0, 45]


def test_a_replayed_beat_credits_nothing_and_does_not_move_the_clock(trainee, lesson):
    view = uuid.uuid4()
    beats(trainee, lesson, view, [0, 30])
    assert record_heartbeat(trainee, lesson.pk, view, 2, now=at(45)).credited_seconds == 0
    assert record_heartbeat(trainee, lesson.pk, view, 1, now=at(50)).credited_seconds == 0
    # Still counted from the beat at 30 s, not from the replays.
    assert record_heartbeat(trainee, lesson.pk, view, 3, now=at(60)).credited_seconds == 30
    assert online_seconds(trainee, lesson.get_parent()) == 60


def test_a_beat_arriving_after_a_later_one_credits_nothing(trainee, lesson):
    view = uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, view, 1, now=at(0))
    assert record_heartbeat(trainee, lesson.pk, view, 3, now=at(30)).credited_seconds == 30
    assert record_heartbeat(trainee, lesson.pk, view, 2, now=at(31)).credited_seconds == 0


def test_two_tabs_beating_in_turn_share_the_wall_time_instead_of_doubling_it(
    trainee, lesson, other_lesson
):
    """Tab A beats at 0, 30, 60…; tab B opens on another lesson at 15 s and beats at 15, 45….

    Over the two minutes from A's first beat to its last, each tab alone would claim
    about two minutes; together they get two minutes, not four.
    """
    tab_a, tab_b = uuid.uuid4(), uuid.uuid4()
    credited = []
    for seq, t in enumerate([0, 30, 60, 90, 120], start=1):
        credited += beats(trainee, lesson, tab_a, [t], first_seq=seq)
        if t + 15 < 120:
            credited += beats(trainee, other_lesson, tab_b, [t + 15], first_seq=seq)
    assert credited == [0, 0, 30, 15, 15, 15, 15, 15, 15]
    assert sum(credited) == 120
    assert OnlineStudy.objects.get().seconds == 120
    assert StudyClock.objects.get(user=trainee).credited_until == at(120)


def test_each_trainee_has_a_clock_of_their_own(course, lesson):
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        Enrollment.objects.create(user=user, course=course)
    view = uuid.uuid4()  # the same id from two people's pages is two page views
    assert beats(first, lesson, view, [0, 30]) == [0, 30]
    assert beats(second, lesson, view, [0, 30]) == [0, 30]
    assert online_seconds(first, course) == online_seconds(second, course) == 30


def test_a_trainee_not_enrolled_is_refused_and_nothing_is_kept(course, lesson):
    stranger = UserFactory()
    with pytest.raises(NotEnrolled):
        record_heartbeat(stranger, lesson.pk, uuid.uuid4(), 1, now=at(0))
    assert not LessonView.objects.exists()
    assert not StudyClock.objects.exists()


def test_a_trainee_who_left_the_course_is_refused(trainee, course, lesson):
    """The enrolment is cached for heartbeats; leaving clears it."""
    view = uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, view, 1, now=at(0))
    leave(trainee, course)
    with pytest.raises(NotEnrolled):
        record_heartbeat(trainee, lesson.pk, view, 2, now=at(30))
    assert online_seconds(trainee, course) == 0


def test_an_enrolment_ended_or_begun_in_the_cms_counts_from_the_next_beat(trainee, course, lesson):
    view = uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, view, 1, now=at(0))
    enrolment = Enrollment.objects.get(user=trainee)
    enrolment.left_at = at(10)
    enrolment.save()
    with pytest.raises(NotEnrolled):
        record_heartbeat(trainee, lesson.pk, view, 2, now=at(30))
    enrolment.delete()
    enrol(trainee, course)
    assert record_heartbeat(trainee, lesson.pk, view, 3, now=at(60)).credited_seconds == 60


def test_a_page_view_id_cannot_move_to_another_lesson(trainee, lesson, other_lesson):
    view = uuid.uuid4()
    beats(trainee, lesson, view, [0, 30])
    with pytest.raises(ViewOfAnotherLesson):
        record_heartbeat(trainee, other_lesson.pk, view, 3, now=at(60))
    assert online_seconds(trainee, lesson.get_parent()) == 30


def test_seconds_are_credited_to_the_local_day(trainee, lesson):
    """Half a minute past midnight in Yunfu is still the previous day in UTC."""
    midnight = timezone.make_aware(datetime.datetime(2026, 3, 3, 0, 0, 30))
    view = uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, view, 1, now=midnight - datetime.timedelta(seconds=30))
    record_heartbeat(trainee, lesson.pk, view, 2, now=midnight.astimezone(datetime.UTC))
    assert OnlineStudy.objects.get().day == datetime.date(2026, 3, 3)


def test_reaching_the_required_hours_online_completes_the_course_once(db):
    course = new_course(hours="0.1")  # six minutes
    lesson = make_lesson(course, "短课")
    trainee = UserFactory()
    Enrollment.objects.create(user=trainee, course=course)
    view = uuid.uuid4()

    beats(trainee, lesson, view, [30 * n for n in range(12)])  # 5½ minutes credited
    assert not Completion.objects.exists()
    beats(trainee, lesson, view, [360, 390, 420], first_seq=13)

    completion = Completion.objects.get()
    assert (completion.user, completion.course) == (trainee, course)
    assert completion.hours == Decimal("0.10")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite ignores select_for_update and serialises writers itself; "
    "only PostgreSQL can race ten beats at once",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_copies_of_one_beat_arriving_at_once_credit_once():
    course = new_course()
    lesson = make_lesson(course, "第一课")
    trainee = UserFactory()
    Enrollment.objects.create(user=trainee, course=course)
    view = uuid.uuid4()
    record_heartbeat(trainee, lesson.pk, view, 1, now=at(0))

    copies = 10
    credited = at_once(
        lambda: record_heartbeat(trainee, lesson.pk, view, 2, now=at(30)).credited_seconds, copies
    )
    assert sorted(credited) == [0] * (copies - 1) + [30]
    assert online_seconds(trainee, course) == 30


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite ignores select_for_update and serialises writers itself; "
    "only PostgreSQL can race ten beats at once",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_copies_of_a_first_beat_arriving_at_once_make_one_page_view():
    course = new_course()
    lesson = make_lesson(course, "第一课")
    trainee = UserFactory()
    Enrollment.objects.create(user=trainee, course=course)
    record_heartbeat(trainee, lesson.pk, uuid.uuid4(), 1, now=at(0))  # an earlier tab
    view = uuid.uuid4()

    credited = at_once(
        lambda: record_heartbeat(trainee, lesson.pk, view, 1, now=at(5)).credited_seconds, 10
    )

    assert credited == [0] * 10
    assert LessonView.objects.filter(user=trainee, view_id=view).count() == 1
    # The view's one clock starts at 5 s: its next beat credits the time since then, once.
    assert beats(trainee, lesson, view, [35], first_seq=2) == [30]
    assert StudyClock.objects.filter(user=trainee).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers itself; only PostgreSQL can race ten tabs at once",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_tabs_beating_at_the_same_moment_share_the_time_once():
    """Each tab's beat reads the trainee's clock and moves it only if it still reads the
    same; the tabs that lose the race read it again and find nothing left to credit."""
    course = new_course()
    lesson = make_lesson(course, "第一课")
    trainee = UserFactory()
    Enrollment.objects.create(user=trainee, course=course)
    tabs = [uuid.uuid4() for _ in range(10)]
    for tab in tabs:
        record_heartbeat(trainee, lesson.pk, tab, 1, now=at(0))
    waiting = list(tabs)

    def beat_of_one_tab():
        return record_heartbeat(trainee, lesson.pk, waiting.pop(), 2, now=at(30)).credited_seconds

    credited = at_once(beat_of_one_tab, len(tabs))
    assert sorted(credited) == [0] * 9 + [30]
    assert online_seconds(trainee, course) == 30
    assert StudyClock.objects.get(user=trainee).credited_until == at(30)
