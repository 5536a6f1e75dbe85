import pytest
from django.core.exceptions import ValidationError

from accounts.phone import mask_mobile, normalize_mobile


@pytest.mark.parametrize(
    "typed",
    ["13800138000", "138 0013 8000", "138-0013-8000", "+8613800138000", "008613800138000"],
)
def test_mainland_mobile_as_typed_is_stored_in_e164(typed):
    assert normalize_mobile(typed) == "+8613800138000"


@pytest.mark.parametrize(
    "typed",
    ["", "12345", "1380013800", "02012345678", "+14155552671", "23800138000", "abc"],
)
def test_other_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize_mobile(typed)


def test_mask_shows_prefix_and_last_four():
    assert mask_mobile("+8613800138000") == "138****8000"
