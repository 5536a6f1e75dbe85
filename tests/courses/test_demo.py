"""The demo loader behind seed_demo: a full catalog, and nothing more on a second run."""

from collections import Counter

import pytest
from django.contrib.auth.models import Group
from wagtail.images.models import Image
from wagtail.models import Page, WorkflowPage

from courses.demo import load_demo_courses
from courses.models import CatalogPage, CoursePage, LessonPage, Track
from courses.roles import COURSE_WORKFLOW, INSTRUCTORS

from .factories import make_user


@pytest.mark.django_db
def test_the_demo_has_three_live_courses_or_more_per_track_with_three_to_five_lessons():
    teacher = make_user("陈讲师")

    counts = load_demo_courses(instructors=[teacher])

    courses = CoursePage.objects.live().select_related("track")
    per_track = Counter(course.track.slug for course in courses)
    assert set(per_track) == set(Track.objects.values_list("slug", flat=True))
    assert min(per_track.values()) >= 3
    for course in courses:
        lessons = LessonPage.objects.child_of(course).live()
        assert 3 <= lessons.count() <= 5, course.title
        assert course.is_demo_data
        assert course.cover_image is not None
        assert list(course.instructors.all()) == [teacher]
    assert counts["courses_created"] == courses.count() >= 12
    assert counts["lessons_created"] == LessonPage.objects.live().count()
    assert teacher.groups.filter(name=INSTRUCTORS).exists()
    assert (
        Image.objects.filter(tags__name="demo").count()
        == counts["images_created"]
        == courses.count()
    )


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing():
    load_demo_courses()
    before = (Page.objects.count(), Image.objects.count(), Track.objects.count())

    counts = load_demo_courses()

    assert (Page.objects.count(), Image.objects.count(), Track.objects.count()) == before
    assert counts["courses_created"] == counts["lessons_created"] == 0
    assert counts["images_created"] == 0
    assert counts["courses"] >= 12


@pytest.mark.django_db
def test_the_demo_catalog_renders_on_the_site(client):
    load_demo_courses()

    home = client.get("/")
    catalog = client.get("/courses/", {"track": "online-marketing"})
    course = CoursePage.objects.get(slug="live-streaming-sales")
    lesson = LessonPage.objects.child_of(course).first()

    assert home.status_code == catalog.status_code == 200
    assert "抖音短视频带货" in catalog.content.decode()
    assert "淘宝开店实操" not in catalog.content.decode()
    assert "直播前的准备" in client.get(course.url).content.decode()
    assert "手机、一个支架" in client.get(lesson.url).content.decode()


@pytest.mark.django_db
def test_the_demo_rebuilds_a_deleted_catalog_under_the_review_workflow():
    """Deleting the catalog takes its page permissions and workflow link with it."""
    CatalogPage.objects.get().delete()

    load_demo_courses()

    catalog = CatalogPage.objects.get()
    assert catalog.url == "/courses/"
    assert WorkflowPage.objects.get(page=catalog).workflow.name == COURSE_WORKFLOW
    instructors = Group.objects.get(name=INSTRUCTORS)
    assert instructors.page_permissions.filter(page=catalog).exists()
    assert CoursePage.objects.child_of(catalog).count() >= 12
