"""The mentoring groups' overview in the CMS: flags as labelled badges, red first."""

import datetime

import pytest
from django.urls import reverse

from matching.flags import flag_quiet_groups
from matching.models import Meeting, MentoringGroup
from tests.mentors.factories import make_entrepreneur, make_expert, make_mentoring_staff

pytestmark = pytest.mark.django_db

GROUPS = reverse("matching_groups:index")
TODAY = datetime.date(2026, 11, 29)


@pytest.fixture
def staff(client):
    user = make_mentoring_staff(real_name="帮带管理员甲")
    client.force_login(user)
    return user


def group_quiet_for(name, days, *, members=1, capacity=3):
    """A group whose last meeting was ``days`` ago."""
    expert = make_expert(name, capacity=capacity)
    joined = TODAY - datetime.timedelta(days=days + 30)
    for _ in range(members):
        make_entrepreneur(mentor=expert, mentor_since=joined)
    group = MentoringGroup.objects.get_or_create(expert=expert)[0]
    Meeting.objects.create(
        group=group, date=TODAY - datetime.timedelta(days=days), way=Meeting.Way.PHONE
    )
    return group


@pytest.fixture
def groups():
    made = {
        "active": group_quiet_for("安静老师", 10, members=2),
        "yellow": group_quiet_for("黄老师", 50),
        "red": group_quiet_for("红老师", 70),
    }
    flag_quiet_groups(TODAY)
    return made


def rows(html):
    """The experts' names in the order the table lists them."""
    names = ["安静老师", "黄老师", "红老师"]
    return sorted((n for n in names if n in html), key=html.index)


def test_groups_are_listed_red_first_then_yellow_then_the_rest(client, staff, groups):
    html = client.get(GROUPS).content.decode()
    assert rows(html) == ["红老师", "黄老师", "安静老师"]


def test_flags_are_badges_with_words_not_colour_alone(client, staff, groups):
    html = client.get(GROUPS).content.decode()
    assert 'class="flag-badge flag-badge--red">红色预警 · 长期未见面' in html
    assert 'class="flag-badge flag-badge--yellow">黄色预警 · 近期未见面' in html
    assert 'class="flag-badge flag-badge--none">无预警' in html


def test_each_group_shows_members_capacity_and_last_meeting(client, staff, groups):
    html = client.get(GROUPS).content.decode()
    last = TODAY - datetime.timedelta(days=10)
    assert "2 / 3" in html
    assert f"{last:%Y-%m-%d}" in html


def test_a_group_that_never_met_says_so(client, staff):
    MentoringGroup.objects.get_or_create(expert=make_expert("新老师"))[0]
    assert "尚无见面记录" in client.get(GROUPS).content.decode()


@pytest.mark.parametrize(
    ("flag", "shown"), [("red", ["红老师"]), ("yellow", ["黄老师"]), ("", ["安静老师"])]
)
def test_the_flag_filter_shows_only_those_groups(client, staff, groups, flag, shown):
    html = client.get(GROUPS, {"flag": flag}).content.decode()
    assert rows(html) == shown


def test_a_junk_flag_shows_every_group(client, staff, groups):
    html = client.get(GROUPS, {"flag": "purple"}).content.decode()
    assert rows(html) == ["红老师", "黄老师", "安静老师"]
