"""The daily flags on mentoring groups that have gone quiet (45 days yellow, 60 red)."""

import datetime

import pytest

from matching.flags import flag_quiet_groups
from matching.models import Meeting, MentoringGroup
from matching.tasks import flag_quiet_groups_task
from tests.mentors.factories import make_entrepreneur, make_expert
from yunfu.celery_app import app

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)


def group_with_member(joined_days_ago, met_days_ago=None):
    expert = make_expert()
    make_entrepreneur(mentor=expert, mentor_since=TODAY - datetime.timedelta(days=joined_days_ago))
    group = MentoringGroup.objects.get_or_create(expert=expert)[0]
    if met_days_ago is not None:
        Meeting.objects.create(
            group=group, date=TODAY - datetime.timedelta(days=met_days_ago), way="phone"
        )
    return group


@pytest.mark.parametrize(
    ("joined", "met", "flag"),
    [
        (100, 44, ""),
        (100, 45, "yellow"),
        (100, 59, "yellow"),
        (100, 60, "red"),
        (100, None, "red"),
        (50, None, "yellow"),
        (10, None, ""),
        # A member who joined recently restarts the clock of a group that never met.
        (3, 90, ""),
    ],
)
def test_groups_are_flagged_by_days_since_the_last_meeting(joined, met, flag):
    group = group_with_member(joined, met)
    flag_quiet_groups(TODAY)
    group.refresh_from_db()
    assert group.flag == flag
    assert (group.flagged_at is not None) == bool(flag)


def test_a_meeting_clears_the_flag():
    group = group_with_member(100, 70)
    flag_quiet_groups(TODAY)
    Meeting.objects.create(group=group, date=TODAY, way="in_person")
    counts = flag_quiet_groups(TODAY)
    group.refresh_from_db()
    assert group.flag == ""
    assert counts == {"": 1, "yellow": 0, "red": 0}


def test_a_group_without_members_is_not_flagged():
    group = MentoringGroup.objects.get_or_create(expert=make_expert())[0]
    flag_quiet_groups(TODAY)
    group.refresh_from_db()
    assert group.flag == ""


def test_beat_runs_the_flagging_task_every_day():
    entry = app.conf.beat_schedule["flag-quiet-mentoring-groups"]
    assert entry["task"] == flag_quiet_groups_task.name
    assert entry["schedule"].is_due(datetime.datetime(2026, 1, 1))[1] <= 24 * 3600


def test_the_task_flags_groups_when_run():
    group = group_with_member(100, None)
    assert flag_quiet_groups_task.delay().get(timeout=10)["red"] == 1
    group.refresh_from_db()
    assert group.flag == "red"
