from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from classes.id_claims import records_linked
from classes.models import Attendance, ClassSession
from courses.models import CoursePage, LessonPage

from .completion import (
    credit_attendance,
    hours_reached,
    settle_completion,
    uncredit_attendance,
)
from .enrolment import forget_standing
from .models import Completion, Enrollment, OnlineStudy
from .study import forget_course_lessons, forget_lesson


# Offline classes know nothing of enrolment; learning listens, so imports run one way.
@receiver(post_save, sender=Attendance, dispatch_uid="learning.credit_attendance")
def attendance_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        credit_attendance(instance)


@receiver(post_delete, sender=Attendance, dispatch_uid="learning.uncredit_attendance")
def attendance_removed(sender, instance, **kwargs):
    uncredit_attendance(instance)


@receiver(post_save, sender=ClassSession, dispatch_uid="learning.session_changed")
def session_changed(sender, instance, created, raw=False, **kwargs):
    """A class moved to another day dates its attendees' completions anew."""
    if raw or created:
        return
    for attendance in instance.attendances.select_related("session__course", "user"):
        credit_attendance(attendance)


@receiver(pre_save, sender=Completion, dispatch_uid="learning.date_online_completion")
def completion_recorded(sender, instance, raw=False, **kwargs):
    """A completion recorded directly (the CMS, a data load) gets its online date from the
    ledger too, so the coverage figure never takes a class-completed course as online."""
    if not raw and instance._state.adding and instance.online_completed_on is None:
        instance.online_completed_on = hours_reached(instance.user, instance.course).online_on


@receiver(post_save, sender=OnlineStudy, dispatch_uid="learning.online_study_saved")
def online_study_saved(sender, instance, raw=False, **kwargs):
    """Study time saved directly (heartbeats use an update, which sends no signal) settles
    a completion already recorded; it never records one, so a data load may add its own."""
    if not raw and Completion.objects.filter(user=instance.user, course=instance.course).exists():
        settle_completion(instance.user, instance.course)


# The heartbeat reads enrolments, completions and lessons from the cache (learning.study).
@receiver(post_save, sender=Enrollment, dispatch_uid="learning.enrolment_saved")
@receiver(post_delete, sender=Enrollment, dispatch_uid="learning.enrolment_removed")
@receiver(post_save, sender=Completion, dispatch_uid="learning.completion_saved")
@receiver(post_delete, sender=Completion, dispatch_uid="learning.completion_removed")
def standing_changed(sender, instance, **kwargs):
    forget_standing(instance.user_id, instance.course_id)


@receiver(records_linked, dispatch_uid="learning.records_linked")
def records_linked_to_account(sender, user, course_ids, **kwargs):
    """An account came to hold an ID number, and the classes recorded by it are its own:
    its class hours in those courses changed."""
    for course_id in course_ids:
        forget_standing(user.pk, course_id)


@receiver(page_published, sender=LessonPage, dispatch_uid="learning.lesson_published")
@receiver(page_unpublished, sender=LessonPage, dispatch_uid="learning.lesson_unpublished")
@receiver(post_page_move, sender=LessonPage, dispatch_uid="learning.lesson_moved")
@receiver(post_delete, sender=LessonPage, dispatch_uid="learning.lesson_deleted")
def lesson_changed(sender, instance, **kwargs):
    forget_lesson(instance.pk)


@receiver(page_published, sender=CoursePage, dispatch_uid="learning.course_published")
@receiver(page_unpublished, sender=CoursePage, dispatch_uid="learning.course_unpublished")
def course_changed(sender, instance, **kwargs):
    """Its required hours may have changed, which its lessons' entries carry."""
    forget_course_lessons(instance)
