"""A course completes (结业) when a trainee's hours for it reach its required hours.

Two dates, both from the hours ledger (DESIGN.md, "Training person-time"):
- ``completed_at``: the day the hours reached the required hours, online and in class
  together (the certificate's date). A class recorded afterwards from a sign-in sheet
  dates the completion to the class, not to the day the sheet was uploaded.
- ``online_completed_on``: the day the online hours alone reached them. Only this makes
  the completion a person-time; a course completed with class hours adds nothing beyond
  its classes, so the figure is never inflated.

The certificate's holder (name and masked ID number) is frozen on the completion when
it is recorded; a trainee without a real name then has a completion (it counts) but no
certificate until they give one on the certificate page (learning.certificates).

The ledger changes in three ways and each settles the completion again: study time (a
heartbeat), an attendance recorded or changed, an attendance removed (which undoes a
completion it caused).
"""

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from .enrolment import enrol, forget_standing
from .ledger import SECONDS_PER_HOUR, seconds_by_day
from .models import Completion

# Unambiguous when read aloud or typed from paper: no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_certificate_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def holder_fields(user) -> dict:
    """The certificate's holder as the profile says now, to freeze on a completion; none
    without a real name (a masked phone number is no name for a document)."""
    name = user.real_name.strip()
    if not name:
        return {}
    return {"holder_name": name, "holder_id_masked": user.id_number_masked}


@dataclass(frozen=True)
class Reached:
    """When a user's hours for a course reached its required hours, if they have."""

    on: datetime.date | None = None  # online and class hours together
    online_on: datetime.date | None = None  # online hours alone
    hours: Decimal = Decimal(0)  # all the hours by the day ``on``


def hours_reached(user, course, *, removed=None) -> Reached:
    """Walk the ledger day by day until the required hours are reached; ``removed``, a
    ``(day, online_seconds, class_seconds)`` no longer in the ledger, is walked as if it
    still were (to tell whether it was what reached them)."""
    required = course.required_hours * SECONDS_PER_HOUR
    on = online_on = None
    online_total = total = 0
    hours = Decimal(0)
    days = seconds_by_day(user, course)
    if removed is not None:
        days = sorted([*days, removed])
    for day, online, offline in days:
        online_total += online
        total += online + offline
        if on is None and total >= required:
            on = day
            hours = (Decimal(total) / SECONDS_PER_HOUR).quantize(Decimal("0.01"))
        if online_total >= required:
            online_on = day
            break
    return Reached(on=on, online_on=online_on, hours=hours)


def _moment(day: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """A completion's timestamp: now if it was reached today, else the start of that day."""
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def settle_completion(user, course, *, now=None, removed=None) -> Completion | None:
    """Make the user's completion of ``course`` agree with the ledger; return it, or None.

    Records it when the hours are reached and re-dates it when the ledger says another
    day. When ``removed`` (a ``(day, online_seconds, class_seconds)`` just taken out of the
    ledger) was what reached the hours, the completion goes with it; a completion the
    ledger never reached (recorded by the CMS, a data load) is never taken away.
    Safe under concurrent calls: the unique (user, course) constraint decides who records
    it, and the loser reads the winner's row.
    """
    now = now or timezone.now()
    reached = hours_reached(user, course)
    existing = Completion.objects.filter(user=user, course=course).first()
    if existing is None:
        if reached.on is None:
            return None
        try:
            with transaction.atomic():
                return Completion.objects.create(
                    user=user,
                    course=course,
                    completed_at=_moment(reached.on, now),
                    online_completed_on=reached.online_on,
                    hours=reached.hours,
                    certificate_code=new_certificate_code(),
                    **holder_fields(user),
                )
        except IntegrityError:
            return Completion.objects.get(user=user, course=course)
    if reached.on is None:
        if removed is not None and hours_reached(user, course, removed=removed).on is not None:
            existing.delete()
            return None
        return existing
    changed = []
    if timezone.localdate(existing.completed_at) != reached.on:
        existing.completed_at = _moment(reached.on, now)
        existing.hours = reached.hours
        changed += ["completed_at", "hours"]
    if existing.online_completed_on != reached.online_on:
        existing.online_completed_on = reached.online_on
        changed.append("online_completed_on")
    if changed:
        existing.save(update_fields=changed)
    return existing


def complete_if_due(user, course):
    """After study time: the completion as it now stands (one query once it is online).
    A heartbeat calls it only when the online hours reach the point its cached standing
    says (learning.enrolment.Standing.due_at)."""
    existing = Completion.objects.filter(user=user, course=course).first()
    if existing is not None and existing.online_completed_on is not None:
        return existing
    return settle_completion(user, course)


def attendees_as_users(attendance):
    """The users an attendance counts for: its user, or the account that holds its ID
    number (a villager signed in on a sheet who has an account and proved the number)."""
    if attendance.user_id is not None:
        return [attendance.user]
    if not attendance.id_number_hash:
        return []
    return list(get_user_model().objects.filter(id_number_hash=attendance.id_number_hash))


def credit_attendance(attendance):
    """A user who attends a class is enrolled in its course, and may complete it."""
    course = attendance.session.course
    for user in attendees_as_users(attendance):
        # enrol() also re-activates an enrolment the user had left: they are studying it again.
        enrol(user, course)
        settle_completion(user, course)
        # The class hours a heartbeat counts towards completion have changed.
        forget_standing(user.pk, course.pk)


def uncredit_attendance(attendance):
    """An attendance removed undoes what it caused: a completion it brought about, or the
    date it gave one."""
    session = attendance.session
    removed = (session.date, 0, int(session.hours * SECONDS_PER_HOUR))
    for user in attendees_as_users(attendance):
        settle_completion(user, session.course, removed=removed)
        forget_standing(user.pk, session.course_id)
