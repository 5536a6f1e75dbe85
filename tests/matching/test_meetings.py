"""Logging a mentoring meeting from either side of a group, and what is refused."""

import pytest
from django.utils import timezone

from matching.flags import flag_quiet_groups
from matching.models import Meeting, MentoringGroup
from tests.accounts.factories import UserFactory
from tests.matching.test_group_pages import GROUP, MENTOR, days_ago, make_group, mentees
from tests.mentors.factories import make_entrepreneur, make_expert
from tests.support import field_html, ok_page

pytestmark = pytest.mark.django_db


def expert_posts(client, group, **data):
    client.force_login(group.expert.user)
    data = {"form": "meeting", "date": days_ago(1).isoformat(), "way": "phone"} | data
    return client.post(GROUP, data)


def mentee_posts(client, mentee, **data):
    client.force_login(mentee.user)
    data = {"form": "meeting", "date": days_ago(1).isoformat(), "way": "phone"} | data
    return client.post(MENTOR, data)


def test_a_meeting_the_expert_logs_shows_on_both_pages(client):
    group = make_group(members=2)
    first, second = mentees(group)
    response = expert_posts(client, group, way="in_person", notes="一起去看了冷库。")
    assert response.status_code == 302 and response["Location"] == GROUP
    meeting = Meeting.objects.get()
    assert (meeting.group, meeting.entrepreneur, meeting.way) == (group, None, "in_person")
    assert meeting.logged_by == group.expert.user
    html = ok_page(client.get(GROUP))
    assert "见面记录已保存" in html
    assert "一起去看了冷库。" in html and "整个小组" in html
    for member in (first, second):
        client.force_login(member.user)
        assert "一起去看了冷库。" in ok_page(client.get(MENTOR))


def test_a_meeting_with_one_member_is_theirs(client):
    group = make_group(members=2)
    first, second = mentees(group)
    expert_posts(client, group, with_whom=first.pk, notes="帮她改了商品标题。")
    assert Meeting.objects.get().entrepreneur == first
    client.force_login(first.user)
    html = ok_page(client.get(MENTOR))
    assert "帮她改了商品标题。" in html and f"与{first.name}" in html
    client.force_login(second.user)
    assert "帮她改了商品标题。" not in ok_page(client.get(MENTOR))


def test_a_meeting_the_mentee_logs_shows_on_both_pages(client):
    group = make_group(members=1)
    (mentee,) = mentees(group)
    mentee.user.real_name = "黄小梅"
    mentee.user.save()
    response = mentee_posts(client, mentee, way="video", notes="视频里教我拍产品照片。")
    assert response.status_code == 302 and response["Location"] == MENTOR
    meeting = Meeting.objects.get()
    assert (meeting.entrepreneur, meeting.logged_by) == (mentee, mentee.user)
    assert "视频里教我拍产品照片。" in ok_page(client.get(MENTOR))
    client.force_login(group.expert.user)
    html = ok_page(client.get(GROUP))
    assert "视频里教我拍产品照片。" in html and "黄小梅记录" in html


@pytest.mark.parametrize(
    ("date", "error"),
    [
        ("tomorrow", "见面日期不能晚于今天。"),
        ("2026-02-30", "输入一个有效的日期。"),
        ("下周三", "输入一个有效的日期。"),
        ("", "请填写见面的日期。"),
        ("1999-01-01", "加入您的小组，见面日期不能早于这一天。"),
    ],
)
def test_a_bad_date_is_refused_beside_the_field_keeping_the_notes(client, date, error):
    group = make_group(members=1)
    if date == "tomorrow":
        date = days_ago(-1).isoformat()
    member = mentees(group)[0]
    response = expert_posts(client, group, with_whom=member.pk, date=date, notes="谈了包装。")
    html = ok_page(response)
    assert error in field_html(html, "date")
    assert "谈了包装。" in field_html(html, "notes")
    assert not Meeting.objects.exists()


def test_a_whole_group_meeting_cannot_predate_the_group(client):
    group = make_group(members=1, joined_days_ago=10)
    html = ok_page(expert_posts(client, group, date=days_ago(11).isoformat()))
    assert "您的小组成立于" in field_html(html, "date")
    assert not Meeting.objects.exists()


def test_the_mentee_cannot_log_a_meeting_before_their_mentor_took_them_on(client):
    group = make_group(members=1, joined_days_ago=5)
    html = ok_page(mentee_posts(client, mentees(group)[0], date=days_ago(6).isoformat()))
    assert "起担任您的导师，见面日期不能早于这一天。" in field_html(html, "date")
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("junk", ["abc", "99999999999999999999", "-1", "1.5"])
def test_junk_member_ids_are_refused(client, junk):
    group = make_group(members=1)
    html = ok_page(expert_posts(client, group, with_whom=junk))
    assert "请选择整个小组或本组的一位成员。" in field_html(html, "with_whom")
    assert not Meeting.objects.exists()


def test_an_expert_cannot_log_a_meeting_with_another_groups_member(client):
    mine, theirs = make_group(members=1), make_group(members=1)
    other = mentees(theirs)[0]
    html = ok_page(expert_posts(client, mine, with_whom=other.pk, notes="不该记在这里"))
    assert "请选择整个小组或本组的一位成员。" in field_html(html, "with_whom")
    assert "不该记在这里" in field_html(html, "notes")
    assert other.name not in html
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("way", ["", "carrier_pigeon"])
def test_the_way_must_be_chosen_from_the_list(client, way):
    group = make_group(members=1)
    html = ok_page(expert_posts(client, group, way=way, notes="记得选方式"))
    assert "请选择见面方式。" in field_html(html, "way")
    assert "记得选方式" in field_html(html, "notes")
    assert not Meeting.objects.exists()


def test_notes_longer_than_two_thousand_characters_are_refused_and_kept(client):
    group = make_group(members=1)
    notes = "谈" * 2001
    html = ok_page(mentee_posts(client, mentees(group)[0], notes=notes))
    assert "最多 2000 个字，现在有 2001 个字。" in field_html(html, "notes")
    assert notes in field_html(html, "notes")
    assert not Meeting.objects.exists()


def test_logging_a_meeting_clears_the_groups_quiet_flag_at_once(client):
    group = make_group(members=1, joined_days_ago=100)
    flag_quiet_groups()
    group.refresh_from_db()
    assert group.flag == MentoringGroup.Flag.RED
    mentee_posts(client, mentees(group)[0], date=timezone.localdate().isoformat())
    group.refresh_from_db()
    assert group.flag == MentoringGroup.Flag.NONE


def test_a_back_logged_old_meeting_leaves_the_group_flagged(client):
    group = make_group(members=1, joined_days_ago=100)
    expert_posts(client, group, date=days_ago(50).isoformat())
    group.refresh_from_db()
    assert group.flag == MentoringGroup.Flag.YELLOW


def test_a_mentor_set_in_the_admin_has_a_group_to_meet_in(client):
    """Staff may set a mentor by hand, without a proposal: the group exists all the same."""
    expert = make_expert(user=UserFactory())
    mentee = make_entrepreneur(user=UserFactory())
    mentee.mentor, mentee.mentor_since = expert, days_ago(3)
    mentee.save()
    assert MentoringGroup.objects.filter(expert=expert).exists()
    assert mentee_posts(client, mentee).status_code == 302
    assert Meeting.objects.get().group == MentoringGroup.objects.get(expert=expert)


def test_a_post_that_names_no_form_is_a_bad_request(client):
    group = make_group(members=1)
    response = mentee_posts(client, mentees(group)[0], form="other")
    assert response.status_code == 400
    assert not Meeting.objects.exists()
