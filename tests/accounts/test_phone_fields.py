"""Every stored phone number is checked by one validator, accounts.phone's, so a number
the sign-up form accepts is one the CMS accepts and the other way round."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from accounts.phone import validate_mobile


def phone_fields():
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "name", "") == "phone" and field.concrete
    ]


def test_every_phone_field_uses_the_one_mobile_validator():
    fields = phone_fields()
    assert {f.model._meta.label for f in fields} >= {
        "accounts.User",
        "mentors.Expert",
        "mentors.Entrepreneur",
    }
    for field in fields:
        assert validate_mobile in field.validators, field.model._meta.label


@pytest.mark.parametrize("number", ["+8613800138000", "+8619912345678"])
def test_the_validator_accepts_stored_mainland_mobiles(number):
    validate_mobile(number)


@pytest.mark.parametrize("number", ["+861380013800", "+8612345678901", "+85291234567", ""])
def test_the_validator_refuses_what_is_no_mainland_mobile(number):
    with pytest.raises(ValidationError):
        validate_mobile(number)
