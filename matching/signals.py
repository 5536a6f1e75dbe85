"""Every mentor has a group row, however the mentor was set: approving a proposal, or
staff editing the entrepreneur in the admin. The groups overview and the quiet flags
read those rows."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from mentors.models import Entrepreneur

from .models import MentoringGroup


@receiver(post_save, sender=Entrepreneur)
def ensure_group_of_mentor(sender, instance, **kwargs):
    if instance.mentor_id:
        MentoringGroup.objects.get_or_create(expert_id=instance.mentor_id)
