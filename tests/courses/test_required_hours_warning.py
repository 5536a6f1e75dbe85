"""The CMS warns (without blocking anything) when a course asks for more hours than its
lessons state: online study alone could never complete it."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import CatalogPage, CoursePage, Track
from courses.wagtail_hooks import required_hours_warning

from .factories import make_course, make_lesson, make_user

WARNING = "各课标注的学习时长合计只有"


@pytest.fixture
def editor(client, db):
    superuser = make_user("系统管理员")
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    return client


@pytest.fixture
def course(db):
    course = make_course(CatalogPage.objects.get(), Track.objects.first(), "网店开设实操")
    course.required_hours = 6
    course.save_revision().publish()
    make_lesson(course, "第一课", minutes=15)
    make_lesson(course, "第二课", minutes=15, publish=False)
    return CoursePage.objects.get(pk=course.pk)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def course_form(course, hours, **actions):
    return nested_form_data(
        {
            "title": course.title,
            "slug": course.slug,
            "track": course.track_id,
            "summary": course.summary,
            "required_hours": hours,
            "level": "intro",
            "comments": inline_formset([]),
            **actions,
        }
    )


def test_the_warning_counts_every_lesson_drafts_included(course):
    warning = required_hours_warning(course)
    assert "要求 6 学时（360 分钟）" in warning and f"{WARNING} 30 分钟" in warning


def test_the_course_and_lesson_editors_warn(editor, course):
    page = editor.get(edit_url(course)).content.decode()
    assert page.count(WARNING) == 1
    lesson = course.get_children().first()
    assert WARNING in editor.get(edit_url(lesson)).content.decode()


def test_publishing_is_not_blocked_and_the_warning_follows_it_once(editor, course):
    response = editor.post(
        edit_url(course), course_form(course, "8", **{"action-publish": "on"}), follow=True
    )
    course.refresh_from_db()
    assert course.required_hours == 8 and course.live
    assert response.content.decode().count(WARNING) == 1


def test_saving_a_draft_warns_once_in_the_editor_it_returns_to(editor, course):
    response = editor.post(edit_url(course), course_form(course, "7"), follow=True)
    assert response.redirect_chain[-1][0] == edit_url(course)
    assert response.content.decode().count(WARNING) == 1


def test_enough_minutes_or_no_lessons_yet_say_nothing(editor, course):
    response = editor.post(
        edit_url(course), course_form(course, "0.5", **{"action-publish": "on"}), follow=True
    )
    assert WARNING not in response.content.decode()
    assert WARNING not in editor.get(edit_url(course)).content.decode()
    empty = make_course(CatalogPage.objects.get(), Track.objects.first(), "新课程")
    assert required_hours_warning(empty) == ""
    assert WARNING not in editor.get(edit_url(empty)).content.decode()
