"""Text messages. ``settings.SMS_BACKEND`` names the class; a provider subclasses SMSBackend."""

import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string

from .phone import mask_mobile

logger = logging.getLogger(__name__)


class SMSBackend(ABC):
    @abstractmethod
    def send(self, phone: str, message: str) -> None:
        """Deliver ``message`` to ``phone`` (E.164). Raise on failure."""


class LogSMSBackend(SMSBackend):
    """Writes each message to the log instead of sending it: the default without a provider."""

    def send(self, phone, message):
        logger.info("SMS to %s: %s", mask_mobile(phone), message)


# Like Django's locmem email backend: tests read what was sent.
outbox: list[tuple[str, str]] = []


class MemorySMSBackend(SMSBackend):
    def send(self, phone, message):
        outbox.append((phone, message))


def send_sms(phone: str, message: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, message)
