from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from .models import TextMessage
from .phone import mask_mobile
from .sms import send_sms


def queue_sms(phone: str, message: str) -> TextMessage:
    """Keep the text in the database and have the SMS worker send it.

    Only the row's id goes through the broker: a code in a task's arguments would sit in
    Redis, in result records and in any monitor's event stream.
    """
    text = TextMessage.objects.create(phone=phone, body=message)
    send_sms_task.delay(text.pk)
    return text


# A provider's gateway can be slow or briefly down; the request that asked for a code
# should not wait for it, and a transient failure is worth a few retries. The row is
# written in the request's transaction, so a worker may look for it a moment before it
# is committed; if the request is rolled back instead, the text is never sent.
@shared_task(
    bind=True,
    autoretry_for=(ConnectionError, TimeoutError, DatabaseError),
    retry_backoff=True,
    max_retries=5,
)
def send_sms_task(self, text_id: int) -> str:
    text = TextMessage.objects.filter(pk=text_id).first()
    if text is None:
        raise self.retry(countdown=1, max_retries=10)
    if text.sent_at is not None:
        return mask_mobile(text.phone)  # a redelivered task: it went already
    send_sms(text.phone, text.body)
    TextMessage.objects.filter(pk=text_id).update(sent_at=timezone.now(), body="")
    return mask_mobile(text.phone)
