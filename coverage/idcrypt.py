"""The full ID-card number of a registry member, encrypted at rest for the few who may see it.

Fernet (AES with an HMAC) under ``settings.REGISTRY_ENCRYPTION_KEYS``: the first key
encrypts, every key decrypts, so a key can be rotated by putting the new one first. A
wrong key raises ``WrongEncryptionKey`` instead of returning garbage.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class WrongEncryptionKey(Exception):
    """The stored number was encrypted with a key that is not configured."""


def _fernet() -> MultiFernet:
    keys = settings.REGISTRY_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("REGISTRY_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "REGISTRY_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)."
        ) from error


def encrypt_id_number(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def decrypt_id_number(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise WrongEncryptionKey(
            "The ID-card number cannot be decrypted with the configured keys."
        ) from None
