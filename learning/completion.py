"""A course completes (结业) when a trainee's hours for it reach its required hours."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from .enrolment import enrol
from .ledger import course_hours
from .models import Completion

# Unambiguous when read aloud or typed from paper: no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_certificate_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def complete_if_due(user, course):
    """Record the completion once the hours are reached; return it, or None if not yet.

    Safe under concurrent calls: the unique (user, course) constraint decides who
    records it, and the loser reads the winner's row.
    """
    existing = Completion.objects.filter(user=user, course=course).first()
    if existing:
        return existing
    hours = course_hours(user, course).total
    if hours < course.required_hours:
        return None
    try:
        with transaction.atomic():
            return Completion.objects.create(
                user=user,
                course=course,
                completed_at=timezone.now(),
                hours=hours,
                certificate_code=new_certificate_code(),
            )
    except IntegrityError:
        return Completion.objects.get(user=user, course=course)


def credit_attendance(attendance):
    """A user who attends a class is enrolled in its course, and may complete it."""
    if attendance.user_id is None:
        return None
    course = attendance.session.course
    # enrol() also re-activates an enrolment the user had left: they are studying it again.
    enrol(attendance.user, course)
    return complete_if_due(attendance.user, course)
