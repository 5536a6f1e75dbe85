"""Row checks every importer words alike, and how problems are reported."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from regions.models import Village
from sheets.checks import RowCheck, RowError, SheetError, split_list
from sheets.columns import Column, Layout
from sheets.reading import NumberCell

LABELS = {"id_number": "证件号码", "hours": "学时", "skills": "技能", "labour": "劳动技能"}
ID_NUMBER = "445302199001011234"


def row(number=2, name="张三", **values):
    return RowCheck(number, values, LABELS, name=name)


def english(check):
    with translation.override("en"):
        return [(error.code, str(error)) for error in check.errors]


def accept_any(text):
    return text


def refuse(text):
    raise ValidationError("not an ID-card number.")


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


# parsed


def test_parsed_returns_what_the_parser_returns():
    check = row(id_number=ID_NUMBER)

    assert check.parsed("id_number", lambda text: text[:6], "bad_id_number") == "445302"
    assert check.ok


def test_parsed_reports_the_parsers_message_under_the_code_given():
    check = row(id_number=ID_NUMBER)

    assert check.parsed("id_number", refuse, "bad_id_number") is None
    assert english(check) == [("bad_id_number", "Row 2 (张三): “证件号码”: not an ID-card number.")]


def test_parsed_lossy_number_is_refused_without_repeating_the_cell():
    check = row(id_number=NumberCell("4.45302E+17", lossy=True))
    parsed = []

    assert check.parsed("id_number", parsed.append, "bad_id_number") is None

    assert parsed == []  # the lost digits are never guessed at
    ((code, message),) = english(check)
    assert code == "number_lost_digits"
    assert "“证件号码”" in message
    assert "4.45302" not in message
    assert "E+17" not in message
    assert "Text" in message  # it says what to do


def test_parsed_number_cell_that_kept_its_digits_is_parsed():
    check = row(id_number=NumberCell("445302800101123"))

    assert check.parsed("id_number", accept_any, "bad_id_number") == "445302800101123"
    assert check.ok


def test_parsed_lossy_number_read_from_a_sheet_is_refused(tmp_path):
    """The whole way: a CSV Excel saved with the ID shown as 4.45302E+17."""
    from sheets.reading import read_table

    path = tmp_path / "registry.csv"
    path.write_text("姓名,证件号码\r\n张三,4.45302E+17\r\n", encoding="gbk")
    layout = Layout((Column("name", "姓名"), Column("id_number", "证件号码")), name_key="name")

    (check,) = layout.rows(read_table(path))
    check.parsed("id_number", accept_any, "bad_id_number")

    assert [error.code for error in check.errors] == ["number_lost_digits"]


# once


def test_once_reports_each_repeat_naming_the_first_row_and_person():
    seen = {}
    first, second, third = row(2, "张三"), row(3, "李四"), row(4, "")

    assert first.once("id_number", ID_NUMBER, seen)
    assert not second.once("id_number", ID_NUMBER, seen)
    assert not third.once("id_number", ID_NUMBER, seen, code="duplicate_member")

    assert first.ok
    assert english(second) == [
        ("duplicate", "Row 3 (李四): “证件号码”: the same as in row 2 (张三).")
    ]
    assert english(third) == [
        ("duplicate_member", "Row 4: “证件号码”: the same as in row 2 (张三).")
    ]


def test_once_names_only_the_row_when_the_first_had_no_name():
    seen = {}
    row(2, "").once("id_number", ID_NUMBER, seen)
    check = row(5, "李四")

    check.once("id_number", ID_NUMBER, seen)

    assert english(check) == [("duplicate", "Row 5 (李四): “证件号码”: the same as in row 2.")]


def test_once_lets_different_and_empty_values_through():
    seen = {}
    checks = [row(2), row(3), row(4), row(5)]

    assert checks[0].once("id_number", "A", seen)
    assert checks[1].once("id_number", "B", seen)
    assert checks[2].once("id_number", "", seen)
    assert checks[3].once("id_number", "", seen)
    assert all(check.ok for check in checks)


def test_once_asked_twice_for_the_same_row_is_not_a_duplicate():
    seen = {}
    check = row(2)

    assert check.once("id_number", ID_NUMBER, seen)
    assert check.once("id_number", ID_NUMBER, seen)
    assert check.ok


# whole_number


@pytest.mark.parametrize(
    "cell, number",
    [("3", 3), ("3.0", 3), ("0", 0), ("40", 40), (NumberCell("12"), 12), ("3.00", 3)],
)
def test_whole_number_accepts_whole_numbers_in_range(cell, number):
    check = row(hours=cell)

    assert check.whole_number("hours", 0, 40) == number
    assert check.ok


@pytest.mark.parametrize("cell", ["2.5", "-1", "41", "三", "", "3.01", "1e2"])
def test_whole_number_refuses_others(cell):
    check = row(hours=cell)

    assert check.whole_number("hours", 0, 40) is None
    assert english(check) == [
        (
            "bad_number",
            f"Row 2 (张三): “学时”: must be a whole number from 0 to 40, not “{cell}”.",
        )
    ]


def test_whole_number_takes_its_own_code():
    check = row(hours="x")

    check.whole_number("hours", 0, 40, code="bad_hours")

    assert [error.code for error in check.errors] == ["bad_hours"]


# word and choice


LABOUR = {"普通劳动力": "普通劳动力", "普通": "普通劳动力", "无劳动力": "无劳动力"}


def test_word_returns_the_stored_form_of_a_known_spelling():
    check = row(labour="普通")

    assert check.word("labour", LABOUR.get, ["普通劳动力", "无劳动力"]) == "普通劳动力"
    assert check.ok


def test_word_refuses_an_unknown_word_listing_the_known_ones():
    check = row(labour="很强")

    assert check.word("labour", LABOUR.get, ["普通劳动力", "", "无劳动力"]) is None
    assert english(check) == [
        (
            "unknown_value",
            "Row 2 (张三): “劳动技能”: must be one of 普通劳动力、无劳动力, not “很强”.",
        )
    ]


def test_word_takes_its_own_code():
    check = row(labour="很强")

    check.word("labour", LABOUR.get, ["普通劳动力"], code="bad_labour")

    assert [error.code for error in check.errors] == ["bad_labour"]


def test_choice_is_one_of_the_values_spelled_exactly():
    from django.db import models

    class Level(models.TextChoices):
        HIGH = "高"
        LOW = "低"

    good, bad = row(labour="高"), row(labour="高级")

    assert good.choice("labour", Level) == "高"
    assert bad.choice("labour", Level) is None
    assert good.ok
    assert [error.code for error in bad.errors] == ["unknown_value"]


# listed


def test_listed_splits_on_the_separators_people_write():
    check = row(skills="开网店、 直播带货；短视频;开网店，微店")

    assert check.listed("skills") == ["开网店", "直播带货", "短视频", "微店"]
    assert check.ok


def test_listed_empty_cell_is_an_empty_list():
    check = row(skills="")

    assert check.listed("skills") == []
    assert check.ok


def test_listed_cell_of_separators_alone_is_empty():
    check = row(skills="、；")

    assert check.listed("skills") == []
    assert [error.code for error in check.errors] == ["empty_cell"]


def test_split_list_keeps_the_ascii_comma_inside_an_item():
    assert split_list("a,b、c") == ["a,b", "c"]


# length


def test_length_refuses_a_cell_longer_than_the_field():
    limit = Village._meta.get_field("name").max_length
    long, fits = row(labour="村" * (limit + 1)), row(labour="村" * limit)

    long.length("labour", Village, "name")
    fits.length("labour", Village, "name")

    assert fits.ok
    assert english(long) == [
        ("too_long", f"Row 2 (张三): “劳动技能”: longer than {limit} characters.")
    ]


# reporting


def test_row_error_without_a_row_is_the_message_alone():
    assert str(RowError(None, "empty_file", "The file is empty.")) == "The file is empty."
    assert str(RowError(7, "x", "bad.")) == "Row 7: bad."


def test_sheet_error_lists_problems_of_the_file_first_then_by_row():
    error = SheetError(
        [RowError(5, "b", "five."), RowError(None, "a", "file."), RowError(2, "c", "two.")]
    )

    assert [e.row for e in error.errors] == [None, 2, 5]
    assert error.report() == (
        "The file was not imported, nothing was written: 3 problems found.\n"
        "file.\nRow 2: two.\nRow 5: five."
    )


def test_sheet_error_heading_is_singular_for_one_problem():
    error = SheetError([RowError(2, "c", "two.")])

    assert error.heading() == "The file was not imported, nothing was written: 1 problem found."
