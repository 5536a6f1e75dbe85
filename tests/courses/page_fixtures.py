"""A catalog as a trainee meets it, for the page cache and query count tests: courses
with covers in every track, one course with lessons, and a trainee enrolled in it who
has studied and opened a lesson."""

import datetime
from dataclasses import dataclass

from courses.models import CatalogPage, CoursePage, LessonPage, Track
from learning.enrolment import enrol
from learning.models import OnlineStudy
from tests.learning.enrolment_factories import view_lesson

from .factories import make_course, make_image, make_lesson, make_user

COURSES = 4


@dataclass
class Site:
    course: CoursePage
    lessons: list[LessonPage]
    trainee: object

    def pages(self) -> dict[str, str]:
        """Every public page a trainee reaches, by name."""
        return {
            "home": "/",
            "catalog": "/courses/",
            "track": f"/courses/?track={self.course.track.slug}",
            "search": "/courses/?q=课程",
            "course": self.course.url,
            "lesson": self.lessons[1].url,
            "team": "/mentors/team/",
        }


def build_site() -> Site:
    catalog = CatalogPage.objects.get()
    tracks = list(Track.objects.all())
    courses = [
        make_course(
            catalog, tracks[number % len(tracks)], f"网店课程{number}", cover_image=make_image()
        )
        for number in range(COURSES)
    ]
    course = courses[0]
    lessons = [make_lesson(course, f"第{number}课") for number in range(1, 5)]
    trainee = make_user("黄学员")
    enrol(trainee, course)
    OnlineStudy.objects.create(
        user=trainee, course=course, day=datetime.date(2026, 3, 5), seconds=1800
    )
    view_lesson(trainee, lessons[0])
    return Site(course=course, lessons=lessons, trainee=trainee)
