"""The hours ledger: one place that says how much a person has studied and completed.

A person is a user, or an ID-card hash (a villager who attended classes without an
account, or a registry member). The same person may appear as both: an attendance
keeps the hash from the sign-in sheet or from the number the user holds, and a user's
online study and completions reach the hash through it. A user holds a number only once
it is proven (accounts.claims): one merely typed in a profile links nothing here, so an
impostor gains no one's classes and adds nothing to a registry member's figure.
Everything is computed by aggregate queries, so a report can run it over hundreds of
thousands of records.

A training unit (培训单元) is one attended class session or one completed course.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from classes.models import Attendance

from .models import Completion, OnlineStudy

SECONDS_PER_HOUR = Decimal(3600)
ZERO = Decimal("0")


@dataclass(frozen=True)
class CourseHours:
    online: Decimal = ZERO
    offline: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.online + self.offline


@dataclass(frozen=True)
class Units:
    classes: int = 0
    courses: int = 0

    @property
    def total(self) -> int:
        return self.classes + self.courses


def _attendance_of(user=None, id_number_hash=""):
    """Attendances of a user (linked, or by the number they hold) or of an ID hash."""
    if user is not None:
        id_number_hash = id_number_hash or user.id_number_hash
        person = Q(user=user)
    else:
        person = Q(user__id_number_hash=id_number_hash) if id_number_hash else Q(pk__in=[])
    if id_number_hash:
        person |= Q(id_number_hash=id_number_hash)
    return Attendance.objects.filter(person)


def _records_of(model, user=None, id_number_hash=""):
    """Online study or completions: these belong to users, found by user or held number."""
    if user is not None:
        return model.objects.filter(user=user)
    if not id_number_hash:
        return model.objects.none()
    return model.objects.filter(user__id_number_hash=id_number_hash)


def _in_period(queryset, start, end):
    """Dates inclusive; an open end reaches as far as dates go."""
    if start is None and end is None:
        return queryset
    return queryset.in_period(start or datetime.date.min, end or datetime.date.max)


def hours_by_course(*, user=None, id_number_hash="", start=None, end=None):
    """``{course_id: CourseHours}`` for a person, over a period (dates inclusive) or all time."""
    offline = (
        _in_period(_attendance_of(user, id_number_hash), start, end)
        .values("session__course")
        .annotate(hours=Sum("session__hours"))
    )
    online = (
        _in_period(_records_of(OnlineStudy, user, id_number_hash), start, end)
        .values("course")
        .annotate(seconds=Sum("seconds"))
    )
    hours = {row["session__course"]: CourseHours(offline=row["hours"]) for row in offline}
    for row in online:
        online_hours = (Decimal(row["seconds"]) / SECONDS_PER_HOUR).quantize(Decimal("0.01"))
        previous = hours.get(row["course"], CourseHours())
        hours[row["course"]] = CourseHours(online=online_hours, offline=previous.offline)
    return hours


def seconds_by_day(user, course) -> list[tuple[datetime.date, int, int]]:
    """A user's study of one course day by day: ``[(day, online_seconds, class_seconds)]``
    in date order, classes on their session's date (two queries)."""
    days: dict[datetime.date, list[int]] = {}
    online = OnlineStudy.objects.filter(user=user, course=course).values_list("day", "seconds")
    for day, seconds in online:
        days.setdefault(day, [0, 0])[0] += seconds
    classes = (
        _attendance_of(user)
        .filter(session__course=course)
        .values_list("session__date", "session__hours")
    )
    for day, hours in classes:
        days.setdefault(day, [0, 0])[1] += int(hours * SECONDS_PER_HOUR)
    return [(day, online, offline) for day, (online, offline) in sorted(days.items())]


def class_seconds(user, course_id) -> int:
    """The seconds of the classes a user attended in one course (one query)."""
    hours = (
        _attendance_of(user)
        .filter(session__course_id=course_id)
        .aggregate(hours=Sum("session__hours"))["hours"]
    )
    return int((hours or 0) * SECONDS_PER_HOUR)


def course_hours(user, course) -> CourseHours:
    """All the hours a user has for one course, online and offline, ever."""
    return hours_by_course(user=user).get(course.pk, CourseHours())


def training_units(*, user=None, id_number_hash="", start=None, end=None) -> Units:
    return Units(
        classes=_in_period(_attendance_of(user, id_number_hash), start, end).count(),
        courses=_in_period(_records_of(Completion, user, id_number_hash), start, end).count(),
    )


def unit_counts(id_number_hash, start, end):
    """Training units of the person whose ID hash is ``id_number_hash`` (an OuterRef, for
    reports that count per registry member): ``{"attended": …, "completed": …}`` as
    correlated subqueries on the indexed hash, zero where there are none.

    Attendances carry the hash themselves (from the sheet, or copied from the number the
    user holds when recorded or when they come to hold it); completions reach it through
    the user, and count only when completed by online study (DESIGN.md), on that day.
    """
    attended = (
        Attendance.objects.in_period(start, end)
        .filter(id_number_hash=id_number_hash)
        .order_by()
        .values("id_number_hash")
        .annotate(n=Count("pk"))
        .values("n")
    )
    completed = (
        Completion.objects.online_in_period(start, end)
        .filter(user__id_number_hash=id_number_hash)
        .order_by()
        .values("user__id_number_hash")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "attended": Coalesce(Subquery(attended), 0, output_field=IntegerField()),
        "completed": Coalesce(Subquery(completed), 0, output_field=IntegerField()),
    }
