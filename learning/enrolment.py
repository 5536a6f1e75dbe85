"""Enrolment (报名) in courses, and what a trainee sees of their progress (我的学习).

Progress is read from the hours ledger and from the lesson views the heartbeat records;
everything for a list of courses comes from a fixed number of queries, however many
courses a trainee takes.

A heartbeat asks, thirty times an hour per open lesson, whether the trainee is enrolled
and how far they are from completing; ``study_standing`` answers from the cache, which
every change to an enrolment, a completion or an attendance clears (``forget_standing``,
called here and from learning.signals and learning.completion), at once and again at the
commit.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, FilteredRelation, Q
from django.db.models.functions import Substr
from django.utils import timezone

from courses.models import CoursePage, LessonPage

from .ledger import CourseHours, class_seconds, hours_by_course
from .models import Completion, Enrollment


def enrol(user, course) -> Enrollment:
    """Enrol ``user`` in ``course`` once; enrolling again re-activates a left enrolment.

    ``get_or_create`` rests on the unique (user, course) constraint, so concurrent
    requests still leave one row.
    """
    enrolment, created = Enrollment.objects.get_or_create(user=user, course=course)
    if not created and enrolment.left_at is not None:
        enrolment.left_at = None
        enrolment.save(update_fields=["left_at"])
    return enrolment


def leave(user, course) -> bool:
    """Leave a course; return whether the user was enrolled in it.

    The enrolment row stays (with the time of leaving) and so do the hours already
    studied: they are in the ledger, which knows nothing of enrolment.
    """
    left = (
        Enrollment.objects.active().filter(user=user, course=course).update(left_at=timezone.now())
    )
    # An update sends no signal: from now on, heartbeats of this course are refused.
    forget_standing(user.pk, course.pk)
    return bool(left)


def is_enrolled(user, course) -> bool:
    return Enrollment.objects.active().filter(user=user, course=course).exists()


# A safety net only: every change that matters clears the entry itself.
STANDING_SECONDS = 3600


@dataclass(frozen=True)
class Standing:
    """What a heartbeat needs to know of a trainee in a course, kept in the cache."""

    enrolled: bool
    completed: bool = False  # recorded, by online and class hours together
    completed_online: bool = False  # the online hours alone reached the required hours
    class_seconds: int = 0

    def due_at(self, required_seconds: int) -> int | None:
        """The online seconds at which study time may complete the course, or date its
        completion by online study; None once it is completed online (nothing is left)."""
        if self.completed_online:
            return None
        if self.completed:
            return required_seconds
        return required_seconds - self.class_seconds


def _standing_key(user_id, course_id) -> str:
    return f"learning:standing:{user_id}:{course_id}"


def study_standing(user, course_id) -> Standing:
    """The trainee's standing in a course, from the cache (three queries when it is not)."""
    key = _standing_key(user.pk, course_id)
    standing = cache.get(key)
    if standing is None:
        completion = Completion.objects.filter(user=user, course_id=course_id).values_list(
            "online_completed_on", flat=True
        )
        completed = list(completion)
        standing = Standing(
            enrolled=Enrollment.objects.active().filter(user=user, course_id=course_id).exists(),
            completed=bool(completed),
            completed_online=bool(completed) and completed[0] is not None,
            class_seconds=class_seconds(user, course_id),
        )
        cache.set(key, standing, STANDING_SECONDS)
    return standing


def forget_standing(user_id, course_id):
    """Clear the entry now, and again when the transaction commits: a heartbeat in another
    worker that reads the old rows in between would otherwise keep them for an hour.
    Every change clears it so (signals for saves and deletes; ``leave`` and
    ``records_linked`` for the changes no save signal tells of)."""
    key = _standing_key(user_id, course_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


@dataclass(frozen=True)
class CourseProgress:
    """How far one trainee has come in one course."""

    course: CoursePage
    hours: CourseHours = CourseHours()
    lessons: int = 0
    lessons_visited: int = 0
    completion: Completion | None = None

    @property
    def percent(self) -> int:
        """Credited hours as a share of the required hours, capped at 100."""
        share = self.hours.total * 100 / self.course.required_hours
        return min(100, int(share))

    @property
    def lessons_percent(self) -> int:
        if not self.lessons:
            return 0
        return min(100, self.lessons_visited * 100 // self.lessons)


@dataclass(frozen=True)
class MyLearning:
    """The 我的学习 page: enrolled courses, all hours, completed courses."""

    courses: list[CourseProgress] = field(default_factory=list)
    hours: CourseHours = CourseHours()
    completions: list[Completion] = field(default_factory=list)


def lessons_visited(user, courses) -> dict[int, tuple[int, int]]:
    """``{course_id: (lessons, visited)}`` for the courses' published lessons, in one query.

    A lesson is visited once the user has a lesson view of it. Lessons are grouped by
    their parent's tree path, which is their own path less its last step; the user's
    views are joined with the condition in the join, not every trainee's.
    """
    course_by_path = {course.path: course.pk for course in courses}
    if not course_by_path:
        return {}
    rows = (
        LessonPage.objects.live()
        .public()
        .annotate(
            parent_path=Substr("path", 1, (F("depth") - 1) * LessonPage.steplen),
            own_views=FilteredRelation("views", condition=Q(views__user=user)),
        )
        .filter(parent_path__in=list(course_by_path))
        .values("parent_path")
        .annotate(
            lessons=Count("pk", distinct=True),
            visited=Count("pk", distinct=True, filter=Q(own_views__isnull=False)),
        )
        .order_by()
    )
    return {course_by_path[row["parent_path"]]: (row["lessons"], row["visited"]) for row in rows}


def _progress(course, hours, lessons, completions) -> CourseProgress:
    total, visited = lessons.get(course.pk, (0, 0))
    return CourseProgress(
        course=course,
        hours=hours.get(course.pk, CourseHours()),
        lessons=total,
        lessons_visited=visited,
        completion=completions.get(course.pk),
    )


def course_progress(user, course) -> CourseProgress:
    """One course's progress, for its course page."""
    return _progress(
        course,
        hours_by_course(user=user),
        lessons_visited(user, [course]),
        {c.course_id: c for c in Completion.objects.filter(user=user, course=course)},
    )


def my_learning(user) -> MyLearning:
    """Everything on the 我的学习 page, in a constant number of queries."""
    enrolments = (
        Enrollment.objects.active()
        .filter(user=user)
        .select_related("course__track")
        .order_by("-enrolled_at", "-pk")
    )
    courses = [enrolment.course for enrolment in enrolments]
    completions = list(
        Completion.objects.filter(user=user)
        .select_related("course")
        .order_by("-completed_at", "-pk")
    )
    by_course = {completion.course_id: completion for completion in completions}
    hours = hours_by_course(user=user)
    lessons = lessons_visited(user, courses)
    # All hours ever studied, including courses left since: leaving keeps them.
    total = CourseHours(
        online=sum((h.online for h in hours.values()), Decimal(0)),
        offline=sum((h.offline for h in hours.values()), Decimal(0)),
    )
    return MyLearning(
        courses=[_progress(course, hours, lessons, by_course) for course in courses],
        hours=total,
        completions=completions,
    )
