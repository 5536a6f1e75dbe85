"""Instructors (讲师) write courses but cannot publish; course managers (课程管理员) approve.

Everything goes through the Wagtail admin views, as a person in a browser would.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import CoursePage, Track
from courses.roles import COURSE_MANAGERS, COURSE_REVIEW_TASK, INSTRUCTORS

from .factories import PASSWORD, make_course, make_user

SLUG = "wuhe-huangpi-shop"


@pytest.fixture
def instructor(db):
    user = get_user_model().objects.create_user(
        phone="+8613800138001", password=PASSWORD, real_name="陈讲师"
    )
    user.groups.add(Group.objects.get(name=INSTRUCTORS))
    return user


@pytest.fixture
def manager(db):
    return make_user("黄管理员", group=COURSE_MANAGERS)


def course_form(track, **actions):
    return nested_form_data(
        {
            "title": "无核黄皮网店运营",
            "slug": SLUG,
            "track": track.pk,
            "summary": "郁南无核黄皮从采摘、包装到网上销售的全过程。",
            "required_hours": "6",
            "level": "intro",
            "comments": inline_formset([]),
            **actions,
        }
    )


def create(client, catalog, track, action):
    url = reverse("wagtailadmin_pages:add", args=("courses", "coursepage", catalog.pk))
    response = client.post(url, course_form(track, **{action: "on"}))
    assert response.status_code == 302, response.context["form"].errors
    return CoursePage.objects.get(slug=SLUG)


def edit(client, page, action):
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.post(url, course_form(page.track, **{action: "on"}))
    assert response.status_code == 302, response.context["form"].errors
    page.refresh_from_db()
    return page


def approve(client, page):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    return client.post(url, {"comment": ""})


@pytest.mark.django_db
def test_an_instructor_can_use_the_admin_and_a_trainee_cannot(client, instructor):
    trainee = make_user("李学员")

    assert client.login(phone="+8613800138001", password=PASSWORD)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

    client.force_login(trainee)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


@pytest.mark.django_db
def test_publish_from_an_instructor_saves_a_draft_only(client, catalog, tracks, instructor):
    client.login(phone="+8613800138001", password=PASSWORD)

    page = create(client, catalog, tracks["online-shops"], "action-publish")

    assert not page.live
    assert page.has_unpublished_changes
    assert page.get_latest_revision().user == instructor
    assert client.get("/courses/wuhe-huangpi-shop/").status_code == 404

    page = edit(client, page, "action-publish")
    assert not page.live


@pytest.mark.django_db
def test_the_same_publish_from_a_course_manager_goes_live(client, catalog, tracks, manager):
    """The control for the test above: the form is valid, only the permission differs."""
    client.force_login(manager)

    page = create(client, catalog, tracks["online-shops"], "action-publish")

    assert page.live
    assert client.get("/courses/wuhe-huangpi-shop/").status_code == 200


@pytest.mark.django_db
def test_a_submitted_course_goes_live_when_a_course_manager_approves(
    client, catalog, tracks, instructor, manager
):
    client.login(phone="+8613800138001", password=PASSWORD)
    page = create(client, catalog, tracks["online-shops"], "action-publish")

    page = edit(client, page, "action-submit")

    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == COURSE_REVIEW_TASK
    assert not page.live

    # The instructor cannot approve their own course.
    approve(client, page)
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress

    client.force_login(manager)
    response = approve(client, page)

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert WorkflowState.objects.get(pk=state.pk).status == WorkflowState.STATUS_APPROVED
    public = client.get("/courses/wuhe-huangpi-shop/")
    assert public.status_code == 200
    assert "无核黄皮网店运营" in public.content.decode()


@pytest.mark.django_db
def test_only_course_managers_edit_the_tracks(client, instructor, manager):
    tracks_url = reverse("wagtailsnippets_courses_track:list")

    client.force_login(instructor)
    assert client.get(tracks_url).status_code == 302

    client.force_login(manager)
    response = client.get(tracks_url)
    assert response.status_code == 200
    assert "网络营销" in response.content.decode()


@pytest.mark.django_db
def test_instructors_cannot_edit_the_home_page(client, catalog, instructor):
    client.force_login(instructor)
    home = catalog.get_parent()

    assert client.get(reverse("wagtailadmin_pages:edit", args=(home.pk,))).status_code == 302
    assert client.get(reverse("wagtailadmin_pages:edit", args=(catalog.pk,))).status_code == 200


@pytest.mark.django_db
def test_an_instructor_gets_the_lesson_editor_with_every_block(client, catalog, tracks, instructor):
    course = make_course(catalog, tracks["micro-shops"], "微信小店开店")
    client.force_login(instructor)

    response = client.get(
        reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", course.pk))
    )

    assert response.status_code == 200
    block_names = set(response.context["form"].fields["body"].block.child_blocks)
    assert block_names == {"paragraph", "image", "video_embed", "video_file", "download"}


@pytest.mark.django_db
def test_only_members_of_the_instructor_group_can_be_named_instructors(
    client, catalog, instructor, manager
):
    trainee = make_user("李学员")
    client.force_login(manager)

    response = client.get(
        reverse("wagtailadmin_pages:add", args=("courses", "coursepage", catalog.pk))
    )

    choices = set(response.context["form"].fields["instructors"].queryset)
    assert instructor in choices
    assert trainee not in choices and manager not in choices


@pytest.mark.django_db
def test_a_track_that_has_courses_cannot_be_deleted(client, catalog, tracks, manager):
    make_course(catalog, tracks["basics"], "农村电商入门")
    client.force_login(manager)

    url = reverse("wagtailsnippets_courses_track:delete", args=(tracks["basics"].pk,))
    response = client.post(url)

    assert response.status_code in (200, 302)
    assert Track.objects.filter(pk=tracks["basics"].pk).exists()
