"""The CMS's 帮带匹配 menu, runs side: who sees it, starting a run, the runs list and the
weights panel that says which weights the matcher uses."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from courses.roles import INSTRUCTORS
from matching.models import MatchingRun, Proposal, WeightChoice
from tests.accounts.factories import UserFactory
from tests.matching.factories import make_run
from tests.mentors.factories import make_entrepreneur, make_expert, make_mentoring_staff

pytestmark = pytest.mark.django_db

RUNS = reverse("matching_runs:index")
START = reverse("matching_runs:start")
GROUPS = reverse("matching_groups:index")


@pytest.fixture
def staff(client):
    user = make_mentoring_staff(real_name="帮带管理员甲")
    client.force_login(user)
    return user


def assert_refused(response):
    """Wagtail answers a refused admin view by sending the user back to the dashboard."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_mentoring_staff_see_the_matching_menu(client, staff):
    html = page(client, reverse("wagtailadmin_home"))
    assert '"name": "matching"' in html
    assert RUNS in html and GROUPS in html


def test_the_matching_menu_is_hidden_from_an_instructor(client):
    instructor = UserFactory()
    instructor.groups.add(Group.objects.get(name=INSTRUCTORS))
    client.force_login(instructor)
    html = page(client, reverse("wagtailadmin_home"))
    assert '"name": "matching"' not in html
    assert RUNS not in html


def test_starting_a_run_shows_its_proposals_with_chinese_reasons(
    client, staff, django_capture_on_commit_callbacks
):
    make_expert("李老师", organisation="罗定市电商协会", counties=("罗定市",), capacity=2)
    make_entrepreneur("陈小龙")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START, {})

    run = MatchingRun.objects.get()
    assert response.url == reverse("matching_runs:run", args=[run.pk])
    assert run.status == MatchingRun.Status.DONE and not run.rematch
    assert run.started_by == staff
    proposal = Proposal.objects.get(run=run)
    html = page(client, response.url)
    assert "陈小龙" in html and "李老师" in html
    assert "同在罗定市" in html
    assert f'data-proposal="{proposal.pk}"' in html
    assert "1 / 1" in html  # matched / entrepreneurs


def test_the_rematch_box_starts_a_rematch(client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(START, {"rematch": "on"})
    assert MatchingRun.objects.get().rematch


def test_a_second_run_is_refused_while_one_is_going(client, staff):
    make_run(status=MatchingRun.Status.RUNNING)

    response = client.post(START, {}, follow=True)

    assert MatchingRun.objects.count() == 1
    assert response.redirect_chain[-1][0] == RUNS
    assert "匹配正在进行" in response.content.decode()


def test_the_runs_list_shows_each_runs_figures(client, staff):
    make_run(
        started_by=staff,
        rematch=True,
        figures={"matched": 7, "entrepreneurs": 9, "total_score": 8.5, "mean_score": 1.2143},
    )
    html = page(client, RUNS)
    assert "7 / 9" in html and "8.50" in html and "1.214" in html
    assert "帮带管理员甲" in html


def test_starting_a_run_needs_the_permission_to_add_one(client):
    viewer = UserFactory()
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_matchingrun"),
    )
    client.force_login(viewer)
    assert client.get(RUNS).status_code == 200
    assert "开始匹配" not in page(client, RUNS)
    assert_refused(client.post(START, {}))
    assert not MatchingRun.objects.exists()


def test_the_weights_panel_says_defaults_before_enough_decisions(client, staff):
    html = page(client, RUNS)
    assert "默认权重——决定还太少" in html


def test_the_weights_panel_shows_learned_weights_with_their_held_out_figures(client, staff):
    WeightChoice.objects.create(
        decisions=120,
        weights={"text": 1.4, "county": 0.2, "product": 0.3, "channel": 0.1, "stage": 0.5},
        uses_learned=True,
        held_out_learned=0.812,
        held_out_default=0.701,
    )
    html = page(client, RUNS)
    assert "根据工作人员的决定学得" in html
    assert "120" in html and "0.812" in html and "0.701" in html
    assert "1.40" in html


def test_the_weights_panel_says_when_learned_weights_lost_to_the_defaults(client, staff):
    WeightChoice.objects.create(
        decisions=80,
        weights={"text": 1.0, "county": 0.5, "product": 0.3, "channel": 0.3, "stage": 0.4},
        uses_learned=False,
        held_out_learned=0.61,
        held_out_default=0.66,
    )
    html = page(client, RUNS)
    assert "学得的权重在留出的决定上没有胜过默认权重" in html
    assert "0.610" in html and "0.660" in html
