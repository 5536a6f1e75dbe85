"""The header links everyone to the lecturer team, and experts and mentees to their group."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_entrepreneur, make_expert

pytestmark = pytest.mark.django_db


def header(client, path="/mentors/team/"):
    html = client.get(path).content.decode()
    return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)


def test_everyone_sees_the_lecturer_team_in_the_header(client):
    assert f'href="{reverse("mentors:team")}">讲师团</a>' in header(client)


def test_an_expert_finds_their_group_and_a_mentee_their_mentor(client):
    expert = make_expert(user=UserFactory())
    mentee = make_entrepreneur(
        user=UserFactory(), mentor=expert, mentor_since=datetime.date(2026, 11, 1)
    )
    client.force_login(expert.user)
    assert f'href="{reverse("matching:group")}">我的帮带小组</a>' in header(client)
    client.force_login(mentee.user)
    assert f'href="{reverse("matching:mentor")}">我的帮带专家</a>' in header(client)
    status = client.get(reverse("mentors:status")).content.decode()
    assert f'href="{reverse("matching:mentor")}"' in status


def test_a_trainee_sees_no_mentoring_link(client):
    client.force_login(UserFactory())
    nav = header(client)
    assert reverse("matching:group") not in nav and reverse("matching:mentor") not in nav
