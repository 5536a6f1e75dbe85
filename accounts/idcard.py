"""Resident ID-card numbers (居民身份证号码, GB 11643): validation, keyed hash, masking.

The plain number is sensitive personal information. Other apps keep only
``id_number_hash`` (to recognise the same person across the registry, attendance
sheets and user accounts) and ``mask_id_number`` (for display); neither reveals it.

Old records still carry the 15-digit numbers of GB 11643-1989; they are upgraded to
the 18-digit form here, so both spellings of a person's number are the same person.
"""

import datetime
import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# Clerks type numbers with a Chinese input method on, which gives full-width characters.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")
# ASCII only: str.isdigit() would let other scripts' digits through.
_NUMBER_18 = re.compile(r"[0-9]{17}[0-9X]")
_NUMBER_15 = re.compile(r"[0-9]{15}")


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    """Return the number in canonical 18-character form (upper-case X) or raise
    ValidationError.

    Spaces anywhere and full-width digits are accepted. A 15-digit number (area code,
    birth date as YYMMDD, sequence) becomes 18 digits: "19" before the year, since no
    one born from 2000 on was given one, and the check character after it. Area codes
    are not checked: pre-1994 ones (4412xx, 4428xx) are still valid numbers.

    The error messages never repeat the number, so they are safe to show and log.
    """
    number = "".join((value or "").split()).translate(_FULL_WIDTH).upper()
    if len(number) == 15:
        if not _NUMBER_15.fullmatch(number):
            raise ValidationError(
                _("An old 15-character ID-card number must be all digits; new ones have 18."),
                code="format",
            )
        first17 = f"{number[:6]}19{number[6:]}"
        number = first17 + check_digit(first17)
    elif len(number) != 18:
        raise ValidationError(
            _("ID-card number must have 18 characters, or 15 digits for an old number."),
            code="length",
        )
    elif not _NUMBER_18.fullmatch(number):
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


def id_number_hash(value: str) -> str:
    """Keyed hash (HMAC-SHA256) of the canonical number: the join key between records."""
    number = normalize_id_number(value)
    key = settings.ID_HASH_KEY.encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """``445302199001011234`` → ``4453**********1234`` (a 15-digit number is upgraded first)."""
    number = normalize_id_number(value)
    return f"{number[:4]}{'*' * 10}{number[-4:]}"
