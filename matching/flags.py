"""Flags on mentoring groups that have gone quiet: yellow after 45 days without a
meeting, red after 60. Counted from the last meeting, or from when the newest member
joined if the group has not met since (a new member restarts the clock)."""

import datetime

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from .models import MentoringGroup


def quiet_flag(days_quiet: int) -> str:
    if days_quiet >= settings.MENTORING_RED_DAYS:
        return MentoringGroup.Flag.RED
    if days_quiet >= settings.MENTORING_YELLOW_DAYS:
        return MentoringGroup.Flag.YELLOW
    return MentoringGroup.Flag.NONE


def flag_quiet_groups(today: datetime.date | None = None) -> dict[str, int]:
    """Set every group's flag as of ``today``; returns how many groups carry each flag."""
    today = today or timezone.localdate()
    groups = MentoringGroup.objects.annotate(
        last_meeting=Max("meetings__date"),
        last_joined=Max("expert__mentees__mentor_since"),
        members=Count("expert__mentees", distinct=True),
    ).values("pk", "last_meeting", "last_joined", "members")
    wanted: dict[str, list[int]] = {flag: [] for flag in MentoringGroup.Flag.values}
    for group in groups:
        since = max(filter(None, (group["last_meeting"], group["last_joined"])), default=None)
        # A group with no members has nobody to meet.
        if group["members"] and since:
            flag = quiet_flag((today - since).days)
        else:
            flag = MentoringGroup.Flag.NONE
        wanted[flag].append(group["pk"])
    now = timezone.now()
    for flag, pks in wanted.items():
        changed = MentoringGroup.objects.filter(pk__in=pks).exclude(flag=flag)
        changed.update(flag=flag, flagged_at=now if flag else None)
    return {flag: len(pks) for flag, pks in wanted.items()}
