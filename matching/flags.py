"""Flags on mentoring groups that have gone quiet, measured per member: yellow once a
mentee has not met their mentor for MENTORING_YELLOW_DAYS, red after MENTORING_RED_DAYS.
A member's clock runs from their last meeting (with them alone, or with the whole group
since they joined), or from when they joined if they have not met since. A group takes
its worst member's flag, so a newcomer does not hide a member nobody has seen for months.

Coordinators can text the expert of a quiet group (提醒), once per
MENTORING_REMINDER_HOURS; each reminder is kept.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.tasks import queue_sms
from mentors.models import Entrepreneur, Expert

from .models import Meeting, MentoringGroup, Reminder

# How many quiet members a reminder names before it says "and N others".
NAMED_IN_REMINDER = 3


class ReminderRefused(Exception):
    """Why an expert was not texted, in words for the coordinator."""


def quiet_flag(days_quiet: int) -> str:
    if days_quiet >= settings.MENTORING_RED_DAYS:
        return MentoringGroup.Flag.RED
    if days_quiet >= settings.MENTORING_YELLOW_DAYS:
        return MentoringGroup.Flag.YELLOW
    return MentoringGroup.Flag.NONE


def _meetings_counting_for_member():
    """The meetings that count for the mentee in the outer query, latest first: with their
    current mentor, since they joined, one-to-one with them or with the whole group."""
    return (
        Meeting.objects.filter(
            group__expert_id=OuterRef("mentor_id"), date__gte=OuterRef("mentor_since")
        )
        .filter(Q(entrepreneur_id=OuterRef("pk")) | Q(entrepreneur__isnull=True))
        .order_by("-date", "-pk")
    )


def with_last_meeting(entrepreneurs):
    """Mentees with ``last_meeting`` (a date or None), ``last_meeting_notes`` and
    ``quiet_since``: the date their clock runs from."""
    latest = _meetings_counting_for_member()
    return entrepreneurs.annotate(
        last_meeting=Subquery(latest.values("date")[:1]),
        last_meeting_notes=Subquery(latest.values("notes")[:1]),
    ).annotate(quiet_since=Coalesce("last_meeting", "mentor_since"))


def quiet_since_of_quietest_member():
    """For a queryset of groups: the ``quiet_since`` of the member quiet the longest; None
    for a group without members."""
    members = with_last_meeting(Entrepreneur.objects.filter(mentor_id=OuterRef("expert_id")))
    return Subquery(members.order_by("quiet_since", "pk").values("quiet_since")[:1])


def days_quiet(entrepreneur, today: datetime.date | None = None) -> int | None:
    """Days since a mentee last met their mentor (or joined); None without a mentor.
    ``entrepreneur`` must come from ``with_last_meeting``."""
    if entrepreneur.quiet_since is None:
        return None
    return ((today or timezone.localdate()) - entrepreneur.quiet_since).days


def flag_quiet_groups(today: datetime.date | None = None) -> dict[str, int]:
    """Set every group's flag as of ``today``; returns how many groups carry each flag."""
    today = today or timezone.localdate()
    quietest = dict(
        MentoringGroup.objects.annotate(since=quiet_since_of_quietest_member()).values_list(
            "pk", "since"
        )
    )
    wanted: dict[str, list[int]] = {flag: [] for flag in MentoringGroup.Flag.values}
    for pk, since in quietest.items():
        # A group with no members has nobody to meet.
        flag = quiet_flag((today - since).days) if since else MentoringGroup.Flag.NONE
        wanted[flag].append(pk)
    now = timezone.now()
    for flag, pks in wanted.items():
        changed = MentoringGroup.objects.filter(pk__in=pks).exclude(flag=flag)
        changed.update(flag=flag, flagged_at=now if flag else None)
    return {flag: len(pks) for flag, pks in wanted.items()}


def quiet_members(expert, today: datetime.date | None = None) -> list:
    """The expert's mentees flagged yellow or red, the quietest first, with ``days_quiet``."""
    today = today or timezone.localdate()
    members = with_last_meeting(expert.mentees.all()).order_by("quiet_since", "name", "pk")
    quiet = []
    for member in members:
        member.days_quiet = days_quiet(member, today)
        if quiet_flag(member.days_quiet):
            quiet.append(member)
    return quiet


def next_reminder_allowed(expert) -> datetime.datetime | None:
    """When the expert may be reminded again; None if they may be now."""
    last = Reminder.objects.filter(expert=expert).values_list("sent_at", flat=True).first()
    if last is None:
        return None
    allowed = last + datetime.timedelta(hours=settings.MENTORING_REMINDER_HOURS)
    return allowed if allowed > timezone.now() else None


def remind_expert(group: MentoringGroup, *, by) -> Reminder:
    """Text the group's expert which members they have not met for a while, and keep a
    note of it. Refused (ReminderRefused) when nobody in the group is quiet, or when the
    expert was reminded less than MENTORING_REMINDER_HOURS ago."""
    with transaction.atomic():
        # Locked so that two coordinators clicking at once send one text, not two.
        expert = Expert.objects.select_for_update().get(pk=group.expert_id)
        again = next_reminder_allowed(expert)
        if again is not None:
            raise ReminderRefused(
                _(
                    "%(expert)s was reminded less than %(hours)d hours ago; "
                    "you can remind them again after %(time)s."
                )
                % {
                    "expert": expert.name,
                    "hours": settings.MENTORING_REMINDER_HOURS,
                    "time": date_format(timezone.localtime(again), "DATETIME_FORMAT"),
                }
            )
        quiet = quiet_members(expert)
        if not quiet:
            raise ReminderRefused(
                _(
                    "Everyone in %(expert)s's group has met them recently: "
                    "there is nothing to remind them of."
                )
                % {"expert": expert.name}
            )
        queue_sms(expert.phone, reminder_text(quiet))
        return Reminder.objects.create(expert=expert, sent_by=by)


def reminder_text(quiet: list) -> str:
    # Only names: a message body may be logged by the SMS backend, phone numbers must not.
    names = "、".join(member.name for member in quiet[:NAMED_IN_REMINDER])
    others = len(quiet) - NAMED_IN_REMINDER
    if others > 0:
        names = ngettext(
            "%(names)s and %(count)d other", "%(names)s and %(count)d others", others
        ) % {"names": names, "count": others}
    return _(
        "[Yunfu E-commerce Training] A reminder from the mentoring staff: you have not met "
        "%(names)s for %(days)d days. Please get in touch, and log the meeting on the site "
        "afterwards."
    ) % {"names": names, "days": quiet[0].days_quiet}


def for_overview(groups):
    """Groups with what the coordinators' overview shows beside the members: when the
    quietest member's clock started (``quiet_since``, for ordering worst-first), the last
    meeting's notes and the latest reminder (when, by whom)."""
    latest = Meeting.objects.filter(group=OuterRef("pk")).order_by("-date", "-pk")
    reminders = Reminder.objects.filter(expert=OuterRef("expert_id")).order_by("-sent_at", "-pk")
    return groups.annotate(
        quiet_since=quiet_since_of_quietest_member(),
        last_meeting_notes=Subquery(latest.values("notes")[:1]),
        last_reminded_at=Subquery(reminders.values("sent_at")[:1]),
        last_reminded_by=Subquery(reminders.values("sent_by__real_name")[:1]),
    )


def attach_members(groups: list, today: datetime.date | None = None) -> list:
    """Give each group ``member_rows``: its mentees, the quietest first, each with
    ``days_quiet`` and their own ``flag``; one query for all the groups."""
    today = today or timezone.localdate()
    rows: dict[int, list] = {group.expert_id: [] for group in groups}
    mentees = with_last_meeting(Entrepreneur.objects.filter(mentor_id__in=rows))
    for mentee in mentees.order_by("quiet_since", "name", "pk"):
        mentee.days_quiet = days_quiet(mentee, today)
        mentee.flag = quiet_flag(mentee.days_quiet)
        rows[mentee.mentor_id].append(mentee)
    for group in groups:
        group.member_rows = rows[group.expert_id]
    return groups
