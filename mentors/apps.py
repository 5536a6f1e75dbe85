from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentors"
    verbose_name = _("Lecturer team and entrepreneurs")

    def ready(self):
        from . import instructors
        from .models import Expert

        pre_save.connect(
            instructors.remember_previous_user, sender=Expert, dispatch_uid="expert_previous_user"
        )
        post_save.connect(instructors.expert_saved, sender=Expert, dispatch_uid="expert_role")
        post_delete.connect(instructors.expert_deleted, sender=Expert, dispatch_uid="expert_gone")
