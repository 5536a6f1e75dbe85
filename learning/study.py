"""Online study time (在线学时): heartbeats from open lesson pages become credited seconds.

A lesson page sends a heartbeat every ``STUDY_HEARTBEAT_SECONDS`` while it is visible,
each carrying the page view's id, a sequence number and ``elapsed_ms``, the page's own
measure of the time since its previous beat. A beat credits the least of
- the server's time since the view's previous beat, and never before the trainee's
  ``StudyClock``, so however many tabs are open no second is counted twice;
- the page's own ``elapsed_ms``, so time a beat spent queueing on a busy server is never
  credited, and a page that lies about it can only lose time;
- ``STUDY_MAX_CREDIT_SECONDS``: a missed beat is forgiven, a long absence is not.
A page from before ``elapsed_ms`` (still open across a deploy) is credited by the server's
clock alone, as it was then. A beat whose ``seq`` is not past the view's last one (a retry,
a replay, a late arrival) credits nothing.

A credited beat costs three statements after the login's user lookup, and no transaction:
one upsert moves the page view on and reads the trainee's clock and course total; one
moves the clock only if it still reads what that upsert saw (two tabs racing: the loser
reads the clock again and recomputes); one adds the seconds to the day's ledger row. The
lesson's course and the trainee's enrolment come from the cache. Every statement is
atomic by itself, so a beat cut short between them loses its time but never doubles it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from courses.models import CoursePage, LessonPage

from .completion import complete_if_due
from .enrolment import forget_standing, study_standing
from .ledger import SECONDS_PER_HOUR
from .models import LessonView, OnlineStudy, StudyClock, epoch_ms


def heartbeat_seconds() -> int:
    """How often a visible lesson page beats."""
    return settings.STUDY_HEARTBEAT_SECONDS


def max_credit_seconds() -> int:
    """The most one beat may credit: a missed beat is forgiven, a long absence is not."""
    return settings.STUDY_MAX_CREDIT_SECONDS


@dataclass(frozen=True)
class HeartbeatResult:
    credited_seconds: int
    course_seconds: int


class HeartbeatRefused(Exception):
    """A beat that cannot count; the message is for the trainee."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NoSuchLesson(HeartbeatRefused):
    def __init__(self):
        super().__init__(_("There is no such published lesson."))


class NotEnrolled(HeartbeatRefused):
    def __init__(self):
        super().__init__(_("You are not enrolled in this course, so study time is not recorded."))


class ViewOfAnotherLesson(HeartbeatRefused):
    def __init__(self):
        super().__init__(_("This page view belongs to another lesson."))


@dataclass(frozen=True)
class LessonCourse:
    """A published lesson's course, as a heartbeat needs it."""

    course_id: int
    required_seconds: int


# A safety net only: publishing, unpublishing, moving or deleting clears the entry.
LESSON_SECONDS = 3600
_NO_LESSON = "none"


def _lesson_key(lesson_id) -> str:
    return f"learning:lesson-course:{lesson_id}"


def lesson_course(lesson_id) -> LessonCourse | None:
    """The course of a published lesson, or None: from the cache, else two queries."""
    key = _lesson_key(lesson_id)
    found = cache.get(key)
    if found is None:
        path = LessonPage.objects.live().filter(pk=lesson_id).values_list("path", flat=True)
        path = path.first()
        course = None
        if path is not None:
            course = (
                CoursePage.objects.filter(path=path[: -Page.steplen])
                .values_list("pk", "required_hours")
                .first()
            )
        if course is None:
            found = _NO_LESSON
        else:
            found = LessonCourse(course[0], int(course[1] * SECONDS_PER_HOUR))
        cache.set(key, found, LESSON_SECONDS)
    return None if found == _NO_LESSON else found


def forget_lesson(lesson_id):
    cache.delete(_lesson_key(lesson_id))


def forget_course_lessons(course):
    cache.delete_many(
        [_lesson_key(pk) for pk in LessonPage.objects.child_of(course).values_list("pk", flat=True)]
    )


def online_seconds(user, course) -> int:
    found = OnlineStudy.objects.filter(user=user, course=course).aggregate(seconds=Sum("seconds"))
    return found["seconds"] or 0


def record_heartbeat(user, lesson_id, view_id, seq, *, elapsed_ms=None, now=None):
    """Credit one heartbeat from a lesson page; raise ``HeartbeatRefused`` if it cannot count.

    The first beat of a page view only starts that view's clock. ``elapsed_ms`` is the
    page's own time since its previous beat, or None from a page that does not send it.
    Completion is looked at only when the course's online total reaches the point the
    trainee's cached standing names. Returns a ``HeartbeatResult``.
    """
    now = now or timezone.now()
    lesson = lesson_course(lesson_id)
    if lesson is None:
        raise NoSuchLesson()
    standing = study_standing(user, lesson.course_id)
    # Only an active enrolment (报名) earns study time.
    if not standing.enrolled:
        raise NotEnrolled()
    beat = _move_view_on(user, lesson_id, lesson.course_id, view_id, seq, now)
    if beat is None:
        return HeartbeatResult(0, online_seconds(user, lesson.course_id))
    if beat.lesson_id != lesson_id:
        raise ViewOfAnotherLesson()
    if beat.first:
        # A new view only starts its own clock; crediting here would take from another
        # tab the time since its last beat.
        return HeartbeatResult(0, beat.course_seconds)
    credited = _credit(user, beat, epoch_ms(now), elapsed_ms)
    if credited:
        _add_online_seconds(user, lesson.course_id, timezone.localdate(now), credited)
    total = beat.course_seconds + credited
    due = standing.due_at(lesson.required_seconds)
    if credited and due is not None and total >= due:
        complete_if_due(user, CoursePage.objects.get(pk=lesson.course_id))
        # Read again next time: completed now, or (a class taken away meanwhile) not yet.
        forget_standing(user.pk, lesson.course_id)
    return HeartbeatResult(credited, total)


@dataclass(frozen=True)
class _Beat:
    """A beat that moved its page view on, and what the view and the trainee stood at."""

    lesson_id: int
    first: bool
    started_ms: int
    clock_ms: int | None
    carry_ms: int
    course_seconds: int


def _db(model, field, value):
    return model._meta.get_field(field).get_db_prep_value(value, connection)


def _move_view_on(user, lesson_id, course_id, view_id, seq, now) -> _Beat | None:
    """Record the beat on its page view, in one statement; None if its ``seq`` is not past
    the view's last (a retry, a replay, a late arrival), which changes nothing.

    A view of another lesson is returned unchanged, for the caller to refuse. The same
    statement reads the trainee's clock and the course's online total: neither table is
    written by it, so both databases read them alike.
    """
    view, clock, study = (m._meta.db_table for m in (LessonView, StudyClock, OnlineStudy))
    now_ms = epoch_ms(now)
    sql = f"""
        INSERT INTO {view} (user_id, lesson_id, view_id, last_seq, started_at, started_ms)
        VALUES (%s, %s, %s, %s, %s, %s)
        ON CONFLICT (user_id, view_id) DO UPDATE SET last_seq = CASE
            WHEN {view}.lesson_id = excluded.lesson_id THEN excluded.last_seq
            ELSE {view}.last_seq END
        WHERE {view}.last_seq < excluded.last_seq OR {view}.lesson_id <> excluded.lesson_id
        RETURNING lesson_id, started_ms,
            (SELECT credited_until_ms FROM {clock} WHERE user_id = %s),
            (SELECT carry_ms FROM {clock} WHERE user_id = %s),
            (SELECT COALESCE(SUM(seconds), 0) FROM {study} WHERE user_id = %s AND course_id = %s)
    """
    params = [
        user.pk,
        lesson_id,
        _db(LessonView, "view_id", view_id),
        seq,
        _db(LessonView, "started_at", now),
        now_ms,
        user.pk,
        user.pk,
        user.pk,
        course_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    beat_lesson, started_ms, clock_ms, carry_ms, course_seconds = row
    return _Beat(
        lesson_id=beat_lesson,
        # The row was inserted by this beat: a view is never updated in the millisecond
        # it started, and if it were, that beat would credit nothing either way.
        first=started_ms == now_ms,
        started_ms=started_ms,
        clock_ms=clock_ms,
        carry_ms=carry_ms or 0,
        course_seconds=int(course_seconds),
    )


# Beats of one trainee racing for the clock: each retry is one more read and one more try.
_CLOCK_TRIES = 5


def _credit(user, beat, now_ms, elapsed_ms) -> int:
    """Whole seconds to credit for this beat, with the trainee's clock moved on.

    Credits are measured in milliseconds; the ledger takes whole seconds and the part of a
    second left over waits on the clock (``carry_ms``) for the next beat.
    """
    cap_ms = max_credit_seconds() * 1000
    own_ms = cap_ms if elapsed_ms is None else elapsed_ms
    clock_ms, carry_ms = beat.clock_ms, beat.carry_ms
    for _try in range(_CLOCK_TRIES):
        since = beat.started_ms if clock_ms is None else max(beat.started_ms, clock_ms)
        server_ms = now_ms - since
        if server_ms > cap_ms:
            # A stalled or sleeping tab: the beat earns the cap, the rest of the gap is lost.
            credit_ms, until = min(cap_ms, own_ms), now_ms
        else:
            # What the page did not vouch for stays before the clock: a later beat, of this
            # view or another, may still credit it, if its own page vouches for it.
            credit_ms = max(0, min(server_ms, own_ms))
            until = since + credit_ms
        if credit_ms == 0:
            return 0
        seconds, carry = divmod(carry_ms + credit_ms, 1000)
        if _move_clock(user, clock_ms, until, carry):
            return seconds
        clock_ms, carry_ms = (
            StudyClock.objects.filter(user=user)
            .values_list("credited_until_ms", "carry_ms")
            .first()
        )
    return 0


def _move_clock(user, was_ms, until_ms, carry_ms) -> bool:
    """Move the trainee's clock to ``until_ms`` if it still reads ``was_ms``, in one
    statement (creating it if there is none); whether it moved."""
    clock = StudyClock._meta.db_table
    still = (
        f"{clock}.credited_until_ms IS NULL"
        if was_ms is None
        else (f"{clock}.credited_until_ms = %s")
    )
    sql = f"""
        INSERT INTO {clock} (user_id, credited_until_ms, carry_ms) VALUES (%s, %s, %s)
        ON CONFLICT (user_id) DO UPDATE SET
            credited_until_ms = excluded.credited_until_ms, carry_ms = excluded.carry_ms
        WHERE {still}
        RETURNING user_id
    """
    params = [user.pk, until_ms, carry_ms] + ([] if was_ms is None else [was_ms])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def _add_online_seconds(user, course_id, day, seconds):
    """One statement whether or not the day's row exists yet."""
    study = OnlineStudy._meta.db_table
    sql = f"""
        INSERT INTO {study} (user_id, course_id, day, seconds) VALUES (%s, %s, %s, %s)
        ON CONFLICT (user_id, course_id, day) DO UPDATE
        SET seconds = {study}.seconds + excluded.seconds
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, course_id, _db(OnlineStudy, "day", day), seconds])
