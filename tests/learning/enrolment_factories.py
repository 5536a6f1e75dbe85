"""Records for the enrolment, progress, certificate and ledger tests, made as the site
makes them: courses published in the page tree, attendance through the ORM (so the
signal that credits it runs), online seconds as the heartbeat leaves them."""

import datetime
import itertools
import uuid
from decimal import Decimal

from django.utils import timezone

from classes.models import Attendance, ClassSession
from courses.models import CatalogPage, Track
from learning.completion import holder_fields, new_certificate_code
from learning.models import Completion, LessonView, OnlineStudy
from regions.models import County, Town, Village
from tests.courses.factories import make_course, make_lesson

_numbers = itertools.count(1)


def course(title="农村电商入门", *, hours="6", lessons=0):
    made = make_course(
        CatalogPage.objects.get(), Track.objects.first(), title, required_hours=Decimal(hours)
    )
    for number in range(lessons):
        make_lesson(made, f"{title} 第{number + 1}课")
    return made


def village():
    number = next(_numbers)
    county = County.objects.create(name=f"测试县{number}")
    town = Town.objects.create(county=county, name=f"测试镇{number}")
    return Village.objects.create(town=town, name=f"测试村{number}")


def session(course, *, hours="2", date=datetime.date(2026, 3, 5), venue=None):
    return ClassSession.objects.create(
        course=course,
        date=date,
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        venue=venue or village(),
        hours=Decimal(hours),
    )


def attend(session, user=None, *, id_number_hash="", name="学员"):
    return Attendance.objects.create(
        session=session,
        user=user,
        name=user.real_name if user else name,
        id_number_hash=id_number_hash or (user.id_number_hash if user else ""),
        method=Attendance.Method.INSTRUCTOR,
    )


def study_online(user, course, seconds, *, day=datetime.date(2026, 3, 5)):
    return OnlineStudy.objects.create(user=user, course=course, day=day, seconds=seconds)


def view_lesson(user, lesson):
    return LessonView.objects.create(user=user, lesson=lesson, view_id=uuid.uuid4())


def completion(user, course, *, hours="6", when=None):
    return Completion.objects.create(
        user=user,
        course=course,
        completed_at=when or timezone.now(),
        hours=Decimal(hours),
        certificate_code=new_certificate_code(),
        **holder_fields(user),
    )


def lesson_draft(course):
    return make_lesson(course, "草稿课", publish=False)
