from celery import shared_task

from .phone import mask_mobile
from .sms import send_sms


# A provider's gateway can be slow or briefly down; the request that asked for a
# code should not wait for it, and a transient failure is worth a few retries.
@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=3,
)
def send_sms_task(phone: str, message: str) -> str:
    send_sms(phone, message)
    return mask_mobile(phone)
