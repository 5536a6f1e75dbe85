"""An expert ticked as instructor gets the CMS's 讲师 group through their user account.

The tick on the expert is the source of truth: ticking adds the linked account to the
group, unticking, unlinking the account or deleting the expert takes it out again.
"""

from django.contrib.auth.models import Group

from courses.roles import INSTRUCTORS, ensure_course_groups

from .models import Expert


def instructors_group():
    return Group.objects.filter(name=INSTRUCTORS).first() or ensure_course_groups()[INSTRUCTORS]


def sync_instructor_role(expert, previous_user_id=None):
    """Give the expert's account the instructor role, or take it away, as the tick says.

    ``previous_user_id`` is the account the expert was linked to before this save: when the
    link moved to another account, the old one loses the role it held through the expert.
    """
    group = instructors_group()
    if previous_user_id and previous_user_id != expert.user_id:
        group.user_set.remove(previous_user_id)
    if not expert.user_id:
        return
    if expert.is_instructor:
        group.user_set.add(expert.user_id)
    else:
        group.user_set.remove(expert.user_id)


def remember_previous_user(sender, instance, **kwargs):
    """pre_save: note the account linked before this save, for ``sync_instructor_role``."""
    if instance.pk is None:
        instance._previous_user_id = None
    else:
        instance._previous_user_id = (
            Expert.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        )


def expert_saved(sender, instance, raw=False, **kwargs):
    # Fixtures load rows as they are; the groups are loaded with them.
    if raw:
        return
    sync_instructor_role(instance, getattr(instance, "_previous_user_id", None))


def expert_deleted(sender, instance, **kwargs):
    if instance.user_id and instance.is_instructor:
        instructors_group().user_set.remove(instance.user_id)
