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
        ("4453021990010112", "length"),
        ("44530290010112", "length"),
        ("44530290010112A", "format"),
        ("44530290010112X", "format"),
        ("445302900230123", "birth_date"),  # 15 digits: 30 February 1990
        ("445302901301123", "birth_date"),  # 15 digits: month 13
        ("445302000229123", "birth_date"),  # 15 digits: 1900 was not a leap year
        ("4453021990010112²5", "format"),  # a digit to str.isdigit(), not to int()
        ("٤٤٥٣٠٢١٩٩٠٠١٠١١٢٣٥", "format"),  # Arabic-Indic digits
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


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("445302900101123", YUNFU),
        ("110105491231002", VALID_X),
        ("442821620817003", "442821196208170030"),  # pre-1994 area code (old Zhaoqing)
    ],
)
def test_an_old_15_digit_number_is_upgraded_to_18(old, new):
    """GB 11643-1989 numbers: area code, birth date as YYMMDD, sequence, no check digit.

    By hand for YUNFU: drop its "19" and its check digit, 445302 19 900101 123 5 →
    445302 900101 123. Upgrading puts "19" back, 44530219900101123, and appends the check
    character: the digits times the weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 sum to
    28+36+50+15+0+8+2+9+54+0+0+9+0+5+8+8+6 = 238; 238 mod 11 = 7; "10X98765432"[7] = "5".
    For VALID_X the sum is 167, 167 mod 11 = 2, and "10X98765432"[2] = "X".
    """
    assert normalize_id_number(old) == new


def test_the_old_and_new_forms_of_a_number_are_one_person():
    assert id_number_hash("445302900101123") == id_number_hash(YUNFU)
    assert mask_id_number("445302900101123") == mask_id_number(YUNFU) == "4453**********1235"
    assert id_number_hash("110105491231002") == id_number_hash("11010519491231002x")


@pytest.mark.parametrize("number", ["441202195805230014", "442821196208170030"])
def test_area_codes_from_before_1994_are_accepted(number):
    """Area codes are never checked against today's list: 4412 and 4428 are gone now."""
    assert normalize_id_number(number) == number


@pytest.mark.parametrize(
    "typed",
    [
        "4453 0219 9001 0112 35",
        "445302 19900101 1235",
        "\t445302199001011235\n",
        "4453\u30000219\u30009001\u30000112\u300035",  # ideographic (full-width) spaces
        "445302 900101 123",
    ],
)
def test_spaces_inside_the_number_are_ignored(typed):
    assert normalize_id_number(typed) == YUNFU


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("４４５３０２１９９００１０１１２３５", YUNFU),
        ("４４５３０２９００１０１１２３", YUNFU),
        ("１１０１０５１９４９１２３１００２Ｘ", VALID_X),
        ("１１０１０５１９４９１２３１００２ｘ", VALID_X),
    ],
)
def test_full_width_digits_and_x_are_converted(typed, number):
    assert normalize_id_number(typed) == number
    assert id_number_hash(typed) == id_number_hash(number)


@pytest.mark.parametrize(
    "number",
    [
        "4453021990010112",  # 16 digits
        "44530219900101123",  # 17 digits
        "44530290010112",  # 14 digits
        "44530290010112A",  # 15 characters, one a letter
        "44530290010112X",  # an old number has no check character
    ],
)
def test_a_wrong_length_or_a_letter_says_what_is_expected(number):
    with pytest.raises(ValidationError) as excinfo:
        normalize_id_number(number)
    message = excinfo.value.messages[0]
    assert "18" in message
    assert "15" in message
