from django.db.models.signals import post_save
from django.dispatch import receiver

from classes.models import Attendance

from .completion import credit_attendance


# Offline classes know nothing of enrolment; learning listens, so imports run one way.
@receiver(post_save, sender=Attendance, dispatch_uid="learning.credit_attendance")
def attendance_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        credit_attendance(instance)
