"""Resident ID-card numbers (居民身份证号码, GB 11643): validation, keyed hash, masking.

The plain number is sensitive personal information. Other apps keep only
``id_number_hash`` (to recognise the same person across the registry, attendance
sheets and user accounts) and ``mask_id_number`` (for display); neither reveals it.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    """Return the number in canonical form (upper-case X) or raise ValidationError.

    The error messages never repeat the number, so they are safe to show and log.
    """
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise ValidationError(_("ID-card number must have 18 characters."), code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("ID-card number must be 17 digits followed by a digit or X."), code="format"
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("ID-card number contains an invalid birth date."), code="birth_date"
        ) from None
    if birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(
            _("ID-card number contains an invalid birth date."), code="birth_date"
        )
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("ID-card number check digit is wrong; please check the number."),
            code="check_digit",
        )
    return number


def validate_id_number(value: str) -> None:
    normalize_id_number(value)


def id_number_hash(value: str) -> str:
    """Keyed hash (HMAC-SHA256) of the canonical number: the join key between records."""
    number = normalize_id_number(value)
    key = settings.ID_HASH_KEY.encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """``445302199001011234`` → ``4453**********1234``."""
    number = normalize_id_number(value)
    return f"{number[:4]}{'*' * 10}{number[-4:]}"
