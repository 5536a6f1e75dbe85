"""The shape of the page tree: Home > Catalog > Course > Lesson, and what migrate leaves behind."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from wagtail.models import Page, Site

from courses.models import CatalogPage, CoursePage, HomePage, LessonPage

from .factories import make_course, make_lesson, make_user


def test_each_page_type_lives_only_under_the_one_above_it():
    assert HomePage.allowed_parent_page_models() == [Page]
    assert HomePage.allowed_subpage_models() == [CatalogPage]
    assert CatalogPage.allowed_parent_page_models() == [HomePage]
    assert CatalogPage.allowed_subpage_models() == [CoursePage]
    assert CoursePage.allowed_parent_page_models() == [CatalogPage]
    assert CoursePage.allowed_subpage_models() == [LessonPage]
    assert LessonPage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_subpage_models() == []


@pytest.mark.django_db
def test_courses_and_lessons_can_be_created_only_in_their_place(catalog, tracks):
    course = make_course(catalog, tracks["basics"], "农村电商入门")
    lesson = make_lesson(course, "什么是农村电商")
    home = catalog.get_parent()

    assert CoursePage.can_create_at(catalog)
    assert LessonPage.can_create_at(course)
    assert not CoursePage.can_create_at(home)
    assert not CoursePage.can_create_at(course)
    assert not LessonPage.can_create_at(catalog)
    assert not LessonPage.can_create_at(lesson)
    assert not CatalogPage.can_create_at(course)


@pytest.mark.django_db
def test_there_is_one_home_page_and_one_catalog(catalog):
    """The workflow and the roles hang on the catalog: a second one would escape them."""
    home = catalog.get_parent()
    assert HomePage.can_exist_under(Page.get_first_root_node())
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert CatalogPage.can_exist_under(home)
    assert not CatalogPage.can_create_at(home)


@pytest.mark.django_db
def test_the_admin_refuses_a_lesson_directly_under_the_catalog(client, catalog):
    superuser = make_user("系统管理员")
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)

    def add_view(model_name):
        return reverse("wagtailadmin_pages:add", args=("courses", model_name, catalog.pk))

    # Wagtail answers a forbidden admin page by sending the user back to the dashboard.
    refused = client.get(add_view("lessonpage"))
    assert refused.status_code == 302
    assert refused.url == reverse("wagtailadmin_home")
    assert client.get(add_view("coursepage")).status_code == 200


@pytest.mark.django_db
def test_migrate_replaces_the_wagtail_welcome_page_with_the_home_page_and_catalog(catalog):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert catalog.get_parent().pk == site.root_page.pk
    assert catalog.url == "/courses/"
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    # Tree paths were written by hand in the migration: treebeard must agree with them.
    assert list(Page.get_first_root_node().get_children()) == [site.root_page]
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_migrate_creates_the_four_tracks_in_curriculum_order(tracks):
    assert [(track.slug, track.name) for track in tracks.values()] == [
        ("basics", "电商基础"),
        ("online-shops", "开设网店"),
        ("micro-shops", "微店"),
        ("online-marketing", "网络营销"),
    ]


@pytest.mark.django_db
def test_a_course_needs_more_than_zero_hours(catalog, tracks):
    course = CoursePage(
        title="零学时课程", slug="zero", track=tracks["basics"], summary="无", required_hours=0
    )
    with pytest.raises(ValidationError) as raised:
        course.full_clean()
    assert "required_hours" in raised.value.message_dict

    saved = make_course(catalog, tracks["basics"], "农村电商入门", required_hours=Decimal("8"))
    with pytest.raises(IntegrityError):
        CoursePage.objects.filter(pk=saved.pk).update(required_hours=Decimal("0"))
