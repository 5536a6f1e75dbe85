from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .attendance import copy_id_number_to_attendances


# accounts knows nothing of classes; classes listens, so imports run one way.
@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="classes.copy_id_number")
def user_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        copy_id_number_to_attendances(instance)
