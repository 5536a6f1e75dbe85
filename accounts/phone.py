"""Mainland China mobile numbers: typed as villagers type them, stored in E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalize_mobile(value: str) -> str:
    """``138 0013 8000``, ``+86 13800138000`` or ``0086…`` → ``+8613800138000``."""
    text = (value or "").strip().replace(" ", "").replace("-", "")
    if text.startswith("0086"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _MOBILE_TYPES
    ):
        raise ValidationError(
            _("Enter a valid mainland China mobile number, e.g. 13800138000."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_mobile(value: str) -> None:
    normalize_mobile(value)


def mask_mobile(e164: str) -> str:
    """``+8613800138000`` → ``138****8000``: enough for a person to recognise their own."""
    national = e164.removeprefix("+86")
    if len(national) < 7:
        return "*" * len(national)
    return f"{national[:3]}****{national[-4:]}"
