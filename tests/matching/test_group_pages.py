"""The mentoring group's own pages: the expert's group (/mentoring/group/) and the
entrepreneur's mentor (/mentoring/my-mentor/), and who may open them."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from matching.models import Meeting, MentoringGroup
from mentors.models import ExpertType
from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_entrepreneur, make_expert
from tests.support import ok_page

pytestmark = pytest.mark.django_db

GROUP, MENTOR = "/mentoring/group/", "/mentoring/my-mentor/"


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def make_group(members=2, joined_days_ago=30, **expert_fields):
    """An expert with a login and ``members`` mentees with logins, in one group."""
    expert = make_expert(user=UserFactory(real_name="导师"), **expert_fields)
    for _ in range(members):
        make_entrepreneur(mentor=expert, mentor_since=days_ago(joined_days_ago), user=UserFactory())
    group = MentoringGroup.objects.get_or_create(expert=expert)[0]
    return group


def mentees(group):
    return list(group.expert.mentees.order_by("pk"))


def test_the_urls_have_their_names():
    assert reverse("matching:group") == GROUP
    assert reverse("matching:mentor") == MENTOR


@pytest.mark.parametrize("url", [GROUP, MENTOR])
def test_the_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_expert_sees_their_mentees_with_full_phones(client):
    group = make_group(members=2)
    first, second = mentees(group)
    first.needs = "想学直播带货，卖自家的肉桂。"
    first.save()
    client.force_login(group.expert.user)
    html = ok_page(client.get(GROUP))
    assert "我的帮带小组" in html
    for member in (first, second):
        assert member.name in html
        assert member.phone.removeprefix("+86") in html
        assert f'href="tel:{member.phone}"' in html
        assert member.village.name in html
    assert "想学直播带货，卖自家的肉桂。" in html
    assert "沙糖桔" in html and "淘宝" in html
    assert "想法阶段" in html


def test_an_expert_never_sees_another_groups_mentees(client):
    mine, theirs = make_group(members=1), make_group(members=2)
    client.force_login(mine.expert.user)
    html = ok_page(client.get(GROUP))
    assert mentees(mine)[0].name in html
    for other in mentees(theirs):
        assert other.name not in html
        assert other.phone.removeprefix("+86") not in html
        assert other.masked_phone not in html


def test_an_expert_without_mentees_gets_a_friendly_page_without_the_form(client):
    expert = make_expert(user=UserFactory())
    client.force_login(expert.user)
    html = ok_page(client.get(GROUP))
    assert "还没有为您分配带头人" in html
    assert 'name="with_whom"' not in html


def test_the_entrepreneur_sees_their_mentor_with_full_phone(client):
    group = make_group(
        members=1,
        name="邓志强",
        expert_type=ExpertType.STARTUP,
        organisation="云浮市电子商务协会",
        tags=("直播带货", "短视频"),
        introduction="十年农村电商经验，擅长直播带货。",
    )
    client.force_login(mentees(group)[0].user)
    html = ok_page(client.get(MENTOR))
    assert "邓志强" in html
    assert "创业指导专家" in html
    assert "云浮市电子商务协会" in html
    assert "直播带货" in html and "短视频" in html
    assert "十年农村电商经验，擅长直播带货。" in html
    assert group.expert.phone.removeprefix("+86") in html
    assert group.expert.masked_phone not in html


def test_an_entrepreneur_without_a_mentor_is_pointed_to_the_status_page(client):
    entrepreneur = make_entrepreneur(user=UserFactory())
    client.force_login(entrepreneur.user)
    html = ok_page(client.get(MENTOR))
    assert 'href="/mentors/me/"' in html
    assert 'name="stars"' not in html


@pytest.mark.parametrize("url", [GROUP, MENTOR])
def test_someone_in_no_group_gets_a_404(client, url):
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"form": "meeting", "date": "2026-01-01", "way": "phone"}).status_code
        == 404
    )
    assert not Meeting.objects.exists()


def test_each_side_opening_the_others_page_is_sent_to_their_own(client):
    group = make_group(members=1)
    client.force_login(group.expert.user)
    assert client.get(MENTOR)["Location"] == GROUP
    client.force_login(mentees(group)[0].user)
    assert client.get(GROUP)["Location"] == MENTOR


def test_a_mentee_does_not_read_other_members_one_to_one_meetings(client):
    group = make_group(members=2)
    me, other = mentees(group)
    Meeting.objects.create(
        group=group, entrepreneur=me, date=days_ago(1), way="phone", notes="我的一对一"
    )
    Meeting.objects.create(
        group=group, entrepreneur=other, date=days_ago(1), way="phone", notes="别人的一对一"
    )
    Meeting.objects.create(group=group, date=days_ago(2), way="in_person", notes="全组见面")
    # Before this member joined: not their meeting.
    Meeting.objects.create(
        group=group, date=days_ago(40), way="in_person", notes="加入前的全组见面"
    )
    client.force_login(me.user)
    html = ok_page(client.get(MENTOR))
    assert "我的一对一" in html and "全组见面" in html
    assert "别人的一对一" not in html
    assert "加入前的全组见面" not in html
    client.force_login(group.expert.user)
    html = ok_page(client.get(GROUP))
    for notes in ("我的一对一", "别人的一对一", "全组见面", "加入前的全组见面"):
        assert notes in html


def render_link(user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load mentoring_tags %}{% mentoring_link 'button' %}").render(
        Context({"request": request})
    )


def test_the_mentoring_link_leads_each_to_their_page():
    group = make_group(members=1)
    expert_link = render_link(group.expert.user)
    assert f'href="{GROUP}"' in expert_link and "我的帮带小组" in expert_link
    assert 'class="button"' in expert_link
    mentee_link = render_link(mentees(group)[0].user)
    assert f'href="{MENTOR}"' in mentee_link and "我的帮带专家" in mentee_link
    waiting = make_entrepreneur(user=UserFactory())
    assert render_link(waiting.user).strip() == ""
    assert render_link(UserFactory()).strip() == ""
    assert render_link(AnonymousUser()).strip() == ""
