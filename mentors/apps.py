from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentors"
    verbose_name = _("Lecturer team and entrepreneurs")

    def ready(self):
        from django.contrib.auth import get_user_model

        from . import account_links, instructors
        from .models import Expert

        pre_save.connect(
            instructors.remember_previous_user, sender=Expert, dispatch_uid="expert_previous_user"
        )
        post_save.connect(instructors.expert_saved, sender=Expert, dispatch_uid="expert_role")
        post_delete.connect(instructors.expert_deleted, sender=Expert, dispatch_uid="expert_gone")
        # Accounts and records join up by verified mobile number (see account_links); a
        # signal, because accounts knows nothing of mentors.
        post_save.connect(
            account_links.account_saved, sender=get_user_model(), dispatch_uid="account_links"
        )
        post_save.connect(
            account_links.expert_saved, sender=Expert, dispatch_uid="expert_account_link"
        )
