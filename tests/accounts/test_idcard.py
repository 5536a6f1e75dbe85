import pytest
from django.core.exceptions import ValidationError

from accounts.idcard import id_number_hash, mask_id_number, normalize_id_number

# Published GB 11643 examples with known check characters.
VALID_X = "11010519491231002X"
VALID = "440102198001021230"  # Guangzhou, check digit 0
YUNFU = "445302199001011235"  # 4453 = 云浮; check digit 5


@pytest.mark.parametrize("number", [VALID_X, VALID, YUNFU])
def test_valid_numbers_are_accepted(number):
    assert normalize_id_number(number) == number


def test_lower_case_x_is_accepted_as_upper_case():
    assert normalize_id_number("11010519491231002x") == VALID_X


def test_surrounding_spaces_are_ignored():
    assert normalize_id_number(f" {YUNFU} ") == YUNFU


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("445302199001011234", "check_digit"),
        ("110105194912310021", "check_digit"),
        ("44530219900101123", "length"),
        ("4453021990010112355", "length"),
        ("44530219900101123A", "format"),
        ("4453021990A101123X", "format"),
        ("445302199002301230", "birth_date"),  # 30 February
        ("445302189913011230", "birth_date"),  # month 13
        ("445302210001011230", "birth_date"),  # born in the future
    ],
)
def test_bad_numbers_are_refused_with_the_reason(number, code):
    with pytest.raises(ValidationError) as excinfo:
        normalize_id_number(number)
    assert excinfo.value.code == code
    assert number not in str(excinfo.value), "the error must not repeat the number"


def test_mask_keeps_first_four_and_last_four():
    assert mask_id_number(YUNFU) == "4453**********1235"
    assert mask_id_number("11010519491231002x") == "1101**********002X"


def test_hash_is_keyed_and_stable(settings):
    first = id_number_hash(YUNFU)
    assert len(first) == 64
    assert YUNFU not in first
    assert id_number_hash(YUNFU.lower()) == first
    assert id_number_hash(VALID) != first
    settings.ID_HASH_KEY = "another-key"
    assert id_number_hash(YUNFU) != first


def test_lower_and_upper_x_hash_the_same():
    assert id_number_hash("11010519491231002x") == id_number_hash(VALID_X)
