"""A mentoring group (帮带小组) as its own people see it: the members, the meetings either
side logs and the ratings mentees give their mentor.

An expert reaches their group through ``Expert.user``, an entrepreneur through
``Entrepreneur.user`` and their mentor; nobody else reaches a group from these pages.
"""

import datetime

from django.db.models import Avg, Count, Min, Q

from mentors.models import Entrepreneur, Expert

from .flags import days_quiet, flag_quiet_groups, quiet_flag, with_last_meeting
from .models import Meeting, MentoringGroup, Rating


def expert_for(user) -> Expert | None:
    """The expert whose account ``user`` is, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return Expert.objects.filter(user=user).first()


def mentee_for(user) -> Entrepreneur | None:
    """The entrepreneur whose account ``user`` is, if they have a mentor; else None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        Entrepreneur.objects.with_places()
        .select_related("mentor")
        .prefetch_related("mentor__tags")
        .filter(user=user, mentor__isnull=False)
        .first()
    )


def members(expert):
    """The expert's mentees, longest-standing first, each with their ``last_meeting``."""
    return (
        with_last_meeting(expert.mentees.with_places())
        .prefetch_related("products", "channels")
        .order_by("mentor_since", "name", "pk")
    )


def flag_for_mentee(entrepreneur) -> dict:
    """What a mentee is told of their group's flag: ``flag`` (the group's, as the daily
    task or the last meeting set it) and ``days``, their own days since they last met
    their mentor, only when they themselves are the quiet one (else None)."""
    flag = (
        MentoringGroup.objects.filter(expert_id=entrepreneur.mentor_id)
        .values_list("flag", flat=True)
        .first()
    )
    own = with_last_meeting(Entrepreneur.objects.filter(pk=entrepreneur.pk)).first()
    days = days_quiet(own) if own else None
    return {"flag": flag or "", "days": days if days is not None and quiet_flag(days) else None}


def group_began(expert) -> datetime.date | None:
    """When the longest-standing current member joined; None for an empty group."""
    return expert.mentees.aggregate(began=Min("mentor_since"))["began"]


def group_meetings(expert):
    """Every meeting of the expert's group, one-to-one notes included: the expert's own."""
    return Meeting.objects.filter(group__expert=expert).select_related("entrepreneur", "logged_by")


def meetings_for_mentee(entrepreneur):
    """What a mentee may read of their group's meetings: their own one-to-one meetings,
    and the whole group's since they joined; not the other members' one-to-one notes."""
    return (
        Meeting.objects.filter(group__expert_id=entrepreneur.mentor_id)
        .filter(
            Q(entrepreneur=entrepreneur)
            | Q(entrepreneur__isnull=True, date__gte=entrepreneur.mentor_since)
        )
        .select_related("entrepreneur", "logged_by")
    )


def log_meeting(*, expert, by, date, way, notes="", entrepreneur=None) -> Meeting:
    """Record a meeting of ``expert``'s group, with one member or (``entrepreneur`` None)
    the whole group. The caller has checked that ``entrepreneur`` is in the group."""
    # Mentors come with a group (matching.signals); an expert who has no mentee left may
    # still log a meeting of the group they had.
    group, _created = MentoringGroup.objects.get_or_create(expert=expert)
    meeting = Meeting.objects.create(
        group=group, entrepreneur=entrepreneur, date=date, way=way, notes=notes, logged_by=by
    )
    # The beat task sets the flags once a day; staff should not see a group that has
    # just met still flagged as quiet until tomorrow.
    flag_quiet_groups()
    return meeting


def rate_mentor(entrepreneur, *, stars: int, comment: str = "") -> Rating:
    """The mentee's rating of their current mentor; a second rating replaces the first."""
    rating, _created = Rating.objects.update_or_create(
        entrepreneur=entrepreneur,
        expert_id=entrepreneur.mentor_id,
        defaults={"stars": stars, "comment": comment},
    )
    return rating


def ratings_of(expert):
    return (
        Rating.objects.filter(expert=expert)
        .select_related("entrepreneur")
        .order_by("-updated_at", "-pk")
    )


def rating_summary(expert) -> dict:
    """``{"average": float | None, "count": int}`` over the expert's ratings."""
    return Rating.objects.filter(expert=expert).aggregate(average=Avg("stars"), count=Count("pk"))
