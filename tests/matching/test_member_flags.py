"""Flags per member: a group is as quiet as its quietest mentee, the CMS overview lists the
members with their days, and coordinators text (提醒) a quiet group's expert, at most once
per MENTORING_REMINDER_HOURS."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts import sms
from matching.flags import flag_quiet_groups
from matching.models import Meeting, MentoringGroup, Reminder
from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_entrepreneur, make_expert, make_mentoring_staff

pytestmark = pytest.mark.django_db

GROUPS = reverse("matching_groups:index")
MENTOR = "/mentoring/my-mentor/"


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def remind_url(group):
    return reverse("matching_groups:remind", args=[group.pk])


def member(expert, name, *, joined, met=None, alone=True):
    """A mentee who joined ``joined`` days ago and, if ``met``, met the expert ``met`` days
    ago (alone, or with the whole group)."""
    mentee = make_entrepreneur(
        name, mentor=expert, mentor_since=days_ago(joined), user=UserFactory()
    )
    if met is not None:
        group = MentoringGroup.objects.get_or_create(expert=expert)[0]
        Meeting.objects.create(
            group=group,
            entrepreneur=mentee if alone else None,
            date=days_ago(met),
            way=Meeting.Way.PHONE,
            notes=f"和{name}通电话",
        )
    return mentee


def group_of(expert):
    return MentoringGroup.objects.get_or_create(expert=expert)[0]


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()


@pytest.fixture
def staff(client):
    user = make_mentoring_staff(real_name="帮带管理员甲")
    client.force_login(user)
    return user


def flag_of(group):
    flag_quiet_groups()
    group.refresh_from_db()
    return group.flag


def test_a_member_quiet_for_200_days_keeps_the_group_red_when_a_new_member_joins():
    expert = make_expert("邓老师")
    member(expert, "老成员", joined=300, met=200)
    group = group_of(expert)
    assert flag_of(group) == "red"
    member(expert, "新成员", joined=2)
    assert flag_of(group) == "red"


def test_a_one_to_one_meeting_counts_only_for_that_member():
    expert = make_expert()
    member(expert, "老成员", joined=300, met=200)
    member(expert, "新成员", joined=100, met=1)
    assert flag_of(group_of(expert)) == "red"


def test_a_whole_group_meeting_counts_for_every_member():
    expert = make_expert()
    member(expert, "甲", joined=300, met=200)
    member(expert, "乙", joined=100, met=3, alone=False)
    assert flag_of(group_of(expert)) == ""


def test_a_whole_group_meeting_before_someone_joined_does_not_count_for_them():
    expert = make_expert()
    member(expert, "甲", joined=300, met=1)
    group = group_of(expert)
    Meeting.objects.create(group=group, date=days_ago(100), way=Meeting.Way.IN_PERSON)
    member(expert, "乙", joined=80)
    assert flag_of(group) == "red"


def test_meetings_with_a_former_mentor_do_not_count():
    before = make_expert()
    mentee = member(before, "换导师的人", joined=200, met=1)
    mentee.mentor, mentee.mentor_since = make_expert(), days_ago(50)
    mentee.save()
    assert flag_of(group_of(mentee.mentor)) == "yellow"


def test_the_overview_lists_the_worst_group_first_with_each_members_days(client, staff):
    hidden = make_expert("藏红老师")
    member(hidden, "陈久未", joined=300, met=200)
    member(hidden, "李刚见", joined=100, met=1)
    red = make_expert("红老师")
    member(red, "王七十", joined=100, met=70)
    yellow = make_expert("黄老师")
    member(yellow, "赵五十", joined=100, met=50)
    quiet = make_expert("安静老师")
    member(quiet, "钱十天", joined=100, met=10, alone=False)
    flag_quiet_groups()

    html = client.get(GROUPS).content.decode()
    experts = ["藏红老师", "红老师", "黄老师", "安静老师"]
    assert sorted(experts, key=lambda name: html.index(f">{name}<")) == experts
    row = html[html.index(">藏红老师<") : html.index(">红老师<")]
    assert "陈久未" in row and "200 天" in row
    assert "李刚见" in row and "1 天" in row
    # The group's last meeting and what was noted.
    assert days_ago(1).isoformat() in row
    assert "和李刚见通电话" in row


def test_a_member_who_never_met_counts_from_joining(client, staff):
    expert = make_expert("新组老师")
    member(expert, "孙未见", joined=47)
    flag_quiet_groups()
    html = client.get(GROUPS).content.decode()
    row = html[html.index(">新组老师<") :]
    assert "孙未见" in row and "47 天" in row
    assert "尚未见面" in row


def test_a_reminder_texts_the_expert_once_and_refuses_a_second_within_the_limit(
    client, staff, settings
):
    expert = make_expert("邓老师", phone="+8613900001234")
    member(expert, "老成员", joined=300, met=200)
    member(expert, "新成员", joined=2)
    group = group_of(expert)

    response = client.post(remind_url(group))
    assert response.status_code == 302
    assert response["Location"] == GROUPS
    ((phone, text),) = sms.outbox
    assert phone == "+8613900001234"
    assert "老成员" in text and "200 天" in text
    assert "新成员" not in text, "only the quiet members are named"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["已发短信提醒邓老师。"]

    response = client.post(remind_url(group), follow=True)
    assert response.status_code == 200
    assert len(sms.outbox) == 1, "no second text within the limit"
    page = response.content.decode()
    assert f"{settings.MENTORING_REMINDER_HOURS} 小时内已提醒过邓老师" in page


def test_the_limit_is_per_expert_and_ends(client, staff):
    first, second = make_expert("甲老师"), make_expert("乙老师")
    for expert in (first, second):
        member(expert, f"{expert.name}的成员", joined=300, met=100)
    client.post(remind_url(group_of(first)))
    client.post(remind_url(group_of(second)))
    assert len(sms.outbox) == 2
    Reminder.objects.filter(expert=first).update(
        sent_at=timezone.now() - datetime.timedelta(hours=25)
    )
    client.post(remind_url(group_of(first)))
    assert len(sms.outbox) == 3


def test_the_reminder_is_logged_and_shown_on_the_overview(client, staff):
    expert = make_expert("邓老师")
    member(expert, "老成员", joined=300, met=200)
    client.post(remind_url(group_of(expert)))
    (reminder,) = Reminder.objects.all()
    assert reminder.expert == expert
    assert reminder.sent_by == staff
    html = client.get(GROUPS).content.decode()
    sent = timezone.localtime(reminder.sent_at)
    assert "上次提醒" in html
    assert f"{sent:%Y-%m-%d %H:%M}" in html
    assert "帮带管理员甲" in html


def test_a_group_where_everyone_met_recently_is_not_reminded(client, staff):
    expert = make_expert("勤快老师")
    member(expert, "常见面", joined=300, met=3)
    response = client.post(remind_url(group_of(expert)), follow=True)
    assert response.status_code == 200
    assert sms.outbox == []
    assert not Reminder.objects.exists()
    assert "都在近期见过面" in response.content.decode()


def test_someone_who_may_not_see_the_overview_may_not_remind(client):
    expert = make_expert()
    member(expert, "老成员", joined=300, met=200)
    client.force_login(UserFactory(is_staff=True))
    response = client.post(remind_url(group_of(expert)))
    assert response.status_code in (302, 403)
    assert sms.outbox == []
    assert not Reminder.objects.exists()


def test_reminding_needs_a_post(client, staff):
    expert = make_expert()
    member(expert, "老成员", joined=300, met=200)
    assert client.get(remind_url(group_of(expert))).status_code == 405
    assert sms.outbox == []


def test_an_unknown_group_is_a_404(client, staff):
    assert client.post(reverse("matching_groups:remind", args=[999999])).status_code == 404


def test_the_mentee_sees_kindly_that_their_group_is_flagged(client):
    expert = make_expert()
    quiet = member(expert, "老成员", joined=300, met=200)
    fresh = member(expert, "新成员", joined=100, met=2)
    flag_quiet_groups()

    client.force_login(quiet.user)
    html = client.get(MENTOR).content.decode()
    assert 'class="group-flag' in html
    assert "200 天" in html

    # The other member sees the group's flag too, without being told they are the quiet one.
    client.force_login(fresh.user)
    html = client.get(MENTOR).content.decode()
    assert 'class="group-flag' in html
    assert "200 天" not in html


def test_the_mentee_of_an_active_group_sees_no_flag(client):
    expert = make_expert()
    mentee = member(expert, "常见面", joined=300, met=3)
    flag_quiet_groups()
    client.force_login(mentee.user)
    assert 'class="group-flag' not in client.get(MENTOR).content.decode()


def test_a_reminder_names_three_quiet_members_and_counts_the_rest(client, staff):
    expert = make_expert("大组老师", capacity=6)
    for days, name in ((90, "甲"), (80, "乙"), (70, "丙"), (60, "丁"), (50, "戊")):
        member(expert, name, joined=300, met=days)
    client.post(remind_url(group_of(expert)))
    ((_phone, text),) = sms.outbox
    assert "甲、乙、丙及另外 2 人" in text
    assert "90 天" in text, "the quietest member's days"


def test_the_expert_sees_when_they_last_met_each_member(client):
    expert = make_expert(user=UserFactory())
    member(expert, "老成员", joined=300, met=200)
    member(expert, "新成员", joined=2)
    client.force_login(expert.user)
    html = client.get("/mentoring/group/").content.decode()
    old = html[html.index("老成员") : html.index("新成员")]
    assert "上次见面" in old
    assert days_ago(200).strftime("%Y年%-m月%-d日") in old
    assert "尚未见面" in html[html.index("新成员") :]
