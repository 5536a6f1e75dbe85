"""Finding columns by their headings, and the problems of a sheet as a whole."""

import re

import pytest
from django.utils import translation

from sheets.checks import SheetError
from sheets.columns import Column, Layout, column_letter, heading_key
from sheets.reading import read_table

LAYOUT = Layout(
    (
        Column("county", "县(市、区)", ("县(市、区、旗)",)),
        Column("town", "乡(镇)"),
        Column("id_number", "证件号码", ("身份证号",)),
        Column("name", "姓名"),
        Column("phone", "联系电话", optional=True, blank=True),
        Column("remark", "备注", blank=True),
    ),
    name_key="name",
)
HEADER = ["县(市、区)", "乡(镇)", "证件号码", "姓名", "联系电话", "备注"]
ROW = ["罗定市", "罗镜镇", "445302199001011234", "张三", "13800138000", "带头人"]


def rows(table):
    return LAYOUT.rows(table)


def problems(table):
    """(row, code, message) of every problem, of the file or of its rows, in English."""
    with translation.override("en"):
        try:
            errors = [error for check in LAYOUT.rows(table) for error in check.errors]
        except SheetError as error:
            errors = error.errors
        return [(error.row, error.code, str(error)) for error in errors]


def codes(table):
    return [(row, code) for row, code, _message in problems(table)]


def test_cells_are_found_by_heading_in_any_order_and_other_columns_ignored():
    header = ["序号", "姓名", "备注", "证件号码", "民族", "乡(镇)", "县(市、区)"]
    row = ["1", "张三", "", "445302199001011234", "汉族", "罗镜镇", "罗定市"]

    (check,) = rows([header, row])

    assert check.values == {
        "name": "张三",
        "remark": "",
        "id_number": "445302199001011234",
        "town": "罗镜镇",
        "county": "罗定市",
    }
    assert check.number == 2
    assert check.name == "张三"


@pytest.mark.parametrize(
    "heading",
    ["县(市、区、旗)", "县（市、区、旗）", "县（市、区）", "县(市、区)", "县(市、区）"],
)
def test_aliases_and_brackets_of_either_width_are_the_same_heading(heading):
    (check,) = rows([[heading, *HEADER[1:]], ROW])

    assert check["county"] == "罗定市"


@pytest.mark.parametrize(
    "heading", ["*证件号码", "证件号码*", " * 证件 号码 ", "证件号码：", "身份证号:"]
)
def test_required_markers_spaces_and_colons_in_headings_are_set_aside(heading):
    (check,) = rows([[*HEADER[:2], heading, *HEADER[3:]], ROW])

    assert check["id_number"] == "445302199001011234"


def test_heading_key():
    assert heading_key(" *县（市、区） ") == heading_key("县(市、区)") == "县(市、区)"
    assert heading_key("") == ""


def test_an_empty_heading_matches_no_column():
    assert not LAYOUT["remark"].matches("")
    assert not LAYOUT["remark"].matches(" * ")


def test_title_rows_above_the_header_keep_row_numbers_as_the_spreadsheet_shows():
    table = [["云浮市建档立卡人员名单"], ["导出时间：2024-03-01", ""], HEADER, ROW, [*ROW[:3], ""]]

    assert [check.number for check in rows(table[:4])] == [4]
    assert codes(table) == [(5, "empty_cell")]


def test_blank_lines_are_skipped_but_counted():
    table = [HEADER, ROW, ["", "  ", ""], [], [*ROW[:3], "李四", "", ""]]

    assert [check.number for check in rows(table)] == [2, 5]


def test_missing_required_column_is_named_with_the_header_row():
    header = ["县(市、区)", "乡(镇)", "姓名", "备注"]

    ((row, code, message),) = problems([header, ["罗定市", "罗镜镇", "张三", ""]])

    assert (row, code) == (1, "missing_column")
    assert "Column “证件号码” is missing (also accepted: 身份证号)" in message
    assert "“县(市、区)”、“乡(镇)”、“姓名”、“备注”" in message  # what the header has


def test_missing_column_message_names_the_column_in_chinese_too():
    header = ["县(市、区)", "乡(镇)", "姓名", "备注"]

    with translation.override("zh-hans"), pytest.raises(SheetError) as excinfo:
        rows([header, ["罗定市", "罗镜镇", "张三", ""]])

    assert "缺少“证件号码”列" in str(excinfo.value)


def test_every_missing_column_is_reported():
    header = ["县(市、区)", "乡(镇)", "备注"]

    assert codes([header, ["罗定市", "罗镜镇", ""]]) == [
        (1, "missing_column"),
        (1, "missing_column"),
    ]


def test_missing_column_is_reported_on_the_header_below_a_title():
    table = [["云浮市建档立卡人员名单"], ["县(市、区)", "乡(镇)", "姓名", "备注"], ["罗定市"]]

    assert codes(table)[0] == (2, "missing_column")


def test_no_header_lists_the_first_row_with_long_digit_runs_hidden():
    """A file without a header starts with a person's row: their ID number must not be
    copied into the message (it is logged and shown)."""
    ((row, code, message),) = problems([ROW, ROW])

    assert (row, code) == (None, "no_header")
    assert "“张三”" in message
    assert "445302" not in message
    assert "13800138000" not in message
    assert not re.search(r"\d{6,}", message)


def test_optional_column_absent_reads_as_empty_cells():
    header = ["县(市、区)", "乡(镇)", "证件号码", "姓名", "备注"]

    (check,) = rows([header, ["罗定市", "罗镜镇", "445302199001011234", "张三", ""]])

    assert check["phone"] == ""
    assert "phone" not in check.values
    assert check.ok


def test_blank_allowed_column_may_have_empty_cells():
    (check,) = rows([HEADER, [*ROW[:4], "", ""]])

    assert check.ok
    assert (check["phone"], check["remark"]) == ("", "")


def test_column_that_may_be_blank_must_still_be_in_the_header():
    """``blank`` is about cells; only ``optional`` lets the column be missing."""
    header = ["县(市、区)", "乡(镇)", "证件号码", "姓名"]

    assert codes([header, ROW[:4]]) == [(1, "missing_column")]


def test_empty_required_cell_is_reported_with_its_column_and_the_row_name():
    table = [HEADER, ROW, ["罗定市", " ", "445302199001011235", "李四", "", ""]]

    ((row, code, message),) = problems(table)

    assert (row, code) == (3, "empty_cell")
    assert message == "Row 3 (李四): “乡(镇)”: empty."


def test_rows_report_their_problems_without_raising():
    """Layout.rows checks the cells and leaves it to the importer to gather problems."""
    first, second = rows([HEADER, ROW, ["", "罗镜镇", "", "李四", "", ""]])

    assert first.ok
    assert [error.code for error in second.errors] == ["empty_cell", "empty_cell"]


def test_duplicate_columns_are_refused_naming_their_letters():
    header = [*HEADER, "身份证号"]

    ((row, code, message),) = problems([header, [*ROW, "445302199001011234"]])

    assert (row, code) == (1, "duplicate_column")
    assert "Columns C and G are both “证件号码”" in message


def test_row_with_more_cells_than_the_header_is_refused():
    table = [HEADER, ROW, [*ROW, "多出来的"]]

    assert codes(table) == [(3, "too_many_columns")]


def test_row_with_trailing_empty_cells_is_not_too_long():
    (check,) = rows([HEADER, [*ROW, "", " "]])

    assert check.ok


def test_short_row_reads_missing_cells_as_empty():
    (check,) = rows([HEADER, ROW[:4]])

    assert check.ok
    assert check["remark"] == ""


@pytest.mark.parametrize("table", [[], [[]], [["", " "], []]])
def test_empty_file_is_refused(table):
    assert codes(table) == [(None, "empty_file")]


def test_header_without_rows_is_refused_as_empty():
    assert codes([HEADER, ["", ""]]) == [(None, "empty_file")]


def test_file_without_any_known_heading_has_no_header():
    assert codes([["a", "b"], ["c", "d"]]) == [(None, "no_header")]


def test_number_cells_keep_what_they_are_through_the_layout(tmp_path):
    """A lossy ID number must still be known as lossy once the row is checked."""
    path = tmp_path / "ids.csv"
    path.write_text(
        "县(市、区),乡(镇),证件号码,姓名,联系电话,备注\r\n罗定市,罗镜镇,4.45302E+17,张三,,\r\n",
        encoding="gbk",
    )

    (check,) = rows(read_table(path))

    assert getattr(check["id_number"], "lossy", False)


def test_describe_lists_headings_aliases_and_whether_required():
    assert LAYOUT.describe()[0] == ("县(市、区)", "县(市、区、旗)", True)
    assert LAYOUT.describe()[4] == ("联系电话", "", False)


@pytest.mark.parametrize(
    "index, letters", [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")]
)
def test_column_letter(index, letters):
    assert column_letter(index) == letters
