"""Online study time (在线学时): heartbeats from open lesson pages become credited seconds.

A lesson page sends a heartbeat every ``STUDY_HEARTBEAT_SECONDS`` while it is visible,
each carrying the page view's id and a sequence number. The server trusts only its own
clock: it credits the wall time between consecutive beats of one page view, at most
``STUDY_MAX_CREDIT_SECONDS`` per beat, and per trainee never credits the same second
twice, however many tabs are open (``StudyClock.credited_until``).
"""

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage

from .completion import complete_if_due
from .enrolment import is_enrolled
from .models import LessonView, OnlineStudy, StudyClock


def heartbeat_seconds() -> int:
    """How often a visible lesson page beats."""
    return getattr(settings, "STUDY_HEARTBEAT_SECONDS", 30)


def max_credit_seconds() -> int:
    """The most one beat may credit: a missed beat is forgiven, a long absence is not."""
    return getattr(settings, "STUDY_MAX_CREDIT_SECONDS", 60)


@dataclass(frozen=True)
class HeartbeatResult:
    credited_seconds: int
    course_seconds: int


class HeartbeatRefused(Exception):
    """A beat that cannot count; the message is for the trainee."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotEnrolled(HeartbeatRefused):
    def __init__(self):
        super().__init__(_("You are not enrolled in this course, so study time is not recorded."))


class ViewOfAnotherLesson(HeartbeatRefused):
    def __init__(self):
        super().__init__(_("This page view belongs to another lesson."))


def course_of(lesson) -> CoursePage:
    """A lesson's course is its parent page, found in one query."""
    return CoursePage.objects.parent_of(lesson).get()


def online_seconds(user, course) -> int:
    found = OnlineStudy.objects.filter(user=user, course=course).aggregate(seconds=Sum("seconds"))
    return found["seconds"] or 0


def record_heartbeat(user, lesson, view_id, seq, now=None) -> HeartbeatResult:
    """Credit one heartbeat from a lesson page; raise ``HeartbeatRefused`` if it cannot count.

    The first beat of a page view only starts that view's clock. A later beat credits
    the time since the view's previous beat, capped, and never before the trainee's
    ``credited_until``, so two tabs beating in turn share the wall time instead of
    doubling it. A beat whose ``seq`` is not past the view's last one (a retry, a replay,
    a late arrival) credits nothing.
    """
    now = now or timezone.now()
    course = course_of(lesson)
    # Only an active enrolment (报名) earns study time.
    if not is_enrolled(user, course):
        raise NotEnrolled()
    with transaction.atomic():
        credited = _credit_beat(user, lesson, view_id, seq, now)
        if credited:
            _add_online_seconds(user, course, timezone.localdate(now), credited)
            complete_if_due(user, course)
        return HeartbeatResult(credited, online_seconds(user, course))


def _add_online_seconds(user, course, day, seconds):
    """Two statements whether or not the day's row exists yet, so every beat costs the same."""
    OnlineStudy.objects.bulk_create(
        [OnlineStudy(user=user, course=course, day=day)], ignore_conflicts=True
    )
    OnlineStudy.objects.filter(user=user, course=course, day=day).update(
        seconds=F("seconds") + seconds
    )


def _credit_beat(user, lesson, view_id, seq, now) -> int:
    """Seconds to credit for this beat, with the page view and the trainee's clock moved on.

    Runs with the trainee's ``StudyClock`` row locked, so that beats of one trainee
    (duplicates, other tabs) are decided one after another, each seeing the last one's
    writes. Inserting the row first, rather than get_or_create, costs the same query
    whether or not the row exists, and opens the transaction with a write, which SQLite
    needs to serialise writers without "database is locked".
    """
    StudyClock.objects.bulk_create([StudyClock(user=user)], ignore_conflicts=True)
    clock = StudyClock.objects.select_for_update().get(user=user)
    view = LessonView.objects.filter(user=user, view_id=view_id).first()
    if view is None:
        LessonView.objects.create(
            user=user,
            lesson=lesson,
            view_id=view_id,
            last_seq=seq,
            started_at=now,
            last_beat_at=now,
        )
        # A new view only starts its own clock; moving credited_until here would take
        # from another tab the time since its last beat.
        return 0
    if view.lesson_id != lesson.pk:
        raise ViewOfAnotherLesson()
    if seq <= view.last_seq:
        return 0
    since = max(view.last_beat_at, clock.credited_until or view.last_beat_at)
    elapsed = (now - since).total_seconds()
    if elapsed > max_credit_seconds():
        # A stalled or sleeping tab: the beat earns the cap, the rest of the gap is lost.
        credited, credited_until = max_credit_seconds(), now
    else:
        # Whole seconds, rounded down; the fraction left stays before the clock and is
        # credited with the next beat, so nothing is lost and nothing is counted twice.
        credited = max(0, math.floor(elapsed))
        credited_until = max(since + datetime.timedelta(seconds=credited), since)
    LessonView.objects.filter(pk=view.pk).update(last_seq=seq, last_beat_at=credited_until)
    StudyClock.objects.filter(pk=clock.pk).update(credited_until=credited_until)
    return credited
