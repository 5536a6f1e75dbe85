from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import IdNumberClaim

from .id_claims import link_records_to_holder, prove_by_phone


# accounts knows nothing of classes; classes listens, so imports run one way.
@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="classes.copy_id_number")
def user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # A login saves last_login alone: no number changed, nothing to link.
    if raw or (update_fields is not None and "id_number_hash" not in update_fields):
        return
    link_records_to_holder(instance)


@receiver(post_save, sender=IdNumberClaim, dispatch_uid="classes.prove_id_number_claim")
def claim_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        prove_by_phone(instance)
