"""Entrepreneurs (带头人) as they meet the site: joining, their status, who sees whom.

Access follows the mentoring groups: staff of the programme see everyone, an expert sees
the entrepreneurs they mentor, anyone else only their own profile. A phone number is
shown in full only inside that circle.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

from .models import Entrepreneur, Expert
from .roles import is_mentoring_staff

# The account decides who the person is and the mentor is set by the matcher, so these
# do not make a profile complete or incomplete.
_NOT_THE_PERSONS_TO_FILL = ["user", "phone", "mentor", "mentor_since"]


def has_profile(user) -> bool:
    return user.is_authenticated and Entrepreneur.objects.filter(user=user).exists()


def own_profile(user):
    """The user's entrepreneur profile, or None."""
    if not user.is_authenticated:
        return None
    return (
        Entrepreneur.objects.with_places()
        .select_related("mentor")
        .prefetch_related("products", "channels", "mentor__tags")
        .filter(user=user)
        .first()
    )


def start_profile(user):
    """The profile a user fills in on joining: their own if they have one, else the one a
    county list imported for their phone number (to be completed, not duplicated), else a
    new one with the name and phone of the account.

    Returns None when the number already belongs to another account's profile, which only
    staff can sort out.
    """
    profile = own_profile(user)
    if profile is not None:
        return profile
    imported = Entrepreneur.objects.with_places().filter(phone=user.phone).first()
    if imported is not None:
        # An unverified number is not proof of who someone is: never hand them a record.
        if imported.user_id is not None or not user.phone_verified:
            return None
        imported.user = user
        return imported
    return Entrepreneur(user=user, phone=user.phone, name=user.real_name)


def visible_entrepreneurs(user):
    """The entrepreneurs ``user`` may look at."""
    entrepreneurs = (
        Entrepreneur.objects.with_places()
        .select_related("mentor")
        .prefetch_related("products", "channels")
    )
    if not user.is_authenticated or not user.is_active:
        return entrepreneurs.none()
    if is_mentoring_staff(user):
        return entrepreneurs
    return entrepreneurs.filter(Q(user=user) | Q(mentor__user=user))


def sees_full_phone(user, entrepreneur) -> bool:
    """Staff, the entrepreneur and their mentor: the people of one mentoring group."""
    if not user.is_authenticated:
        return False
    if is_mentoring_staff(user) or entrepreneur.user_id == user.pk:
        return True
    return entrepreneur.mentor_id is not None and entrepreneur.mentor.user_id == user.pk


def phone_for(user, entrepreneur) -> str:
    """The entrepreneur's number as ``user`` may see it: in full, or masked."""
    if sees_full_phone(user, entrepreneur):
        return entrepreneur.phone.removeprefix("+86")
    return entrepreneur.masked_phone


@dataclass(frozen=True)
class EntrepreneurStatus:
    """Where an entrepreneur stands: ``step`` is ``incomplete``, ``waiting`` or ``mentored``."""

    step: str
    profile_complete: bool
    mentor: Expert | None

    INCOMPLETE = "incomplete"
    WAITING = "waiting"
    MENTORED = "mentored"


def profile_complete(entrepreneur) -> bool:
    """Whether the profile passes the sign-up form's rules; an imported list may have
    left out what the form asks for (a graduate's school, say)."""
    try:
        entrepreneur.full_clean(
            exclude=_NOT_THE_PERSONS_TO_FILL, validate_unique=False, validate_constraints=False
        )
    except ValidationError:
        return False
    return True


def entrepreneur_status(entrepreneur) -> EntrepreneurStatus:
    complete = profile_complete(entrepreneur)
    if entrepreneur.mentor_id is not None:
        step = EntrepreneurStatus.MENTORED
    elif complete:
        step = EntrepreneurStatus.WAITING
    else:
        step = EntrepreneurStatus.INCOMPLETE
    return EntrepreneurStatus(step=step, profile_complete=complete, mentor=entrepreneur.mentor)
