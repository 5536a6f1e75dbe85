"""Reading a sheet into rows of text cells, whatever wrote it and whatever it is called."""

import datetime
import io

import openpyxl
import pytest
import xlwt

from sheets.checks import SheetError
from sheets.reading import NumberCell, read_table

ROWS = [["县(市、区)", "乡(镇)", "行政村"], ["罗定市", "罗镜镇", "水摆村委会"]]
FIFTEEN_DIGITS = 445302800101123  # an old ID number (GB 11643-1989)
EIGHTEEN_DIGITS = 445302199001011234


def write_bytes(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def csv_text(rows, delimiter=","):
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


def write_xlsx(tmp_path, rows, name="sheet.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def write_xls(tmp_path, rows, name="sheet.xls"):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    path = tmp_path / name
    workbook.save(str(path))
    return path


def problem_codes(source):
    with pytest.raises(SheetError) as excinfo:
        read_table(source)
    return [(error.row, error.code) for error in excinfo.value.errors]


# CSV text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_is_read_in_each_encoding_excel_saves(tmp_path, encoding):
    data = csv_text(ROWS).encode(encoding)

    assert read_table(write_bytes(tmp_path, "regions.csv", data)) == ROWS


def test_byte_order_mark_is_not_part_of_the_first_heading(tmp_path):
    data = csv_text(ROWS).encode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")

    table = read_table(write_bytes(tmp_path, "regions.csv", data))

    assert table[0][0] == "县(市、区)"


def test_gbk_file_is_read_as_chinese_not_mojibake(tmp_path):
    data = csv_text(ROWS).encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the file really is GBK

    assert read_table(write_bytes(tmp_path, "regions.csv", data))[1] == ROWS[1]


def test_characters_only_gb18030_has_are_read(tmp_path):
    """Some names use characters GBK lacks (䶮, 𠮷); GB18030 files carry them."""
    rows = [["姓名", "行政村"], ["王䶮", "𠮷村"]]
    text = csv_text(rows)
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")

    assert read_table(write_bytes(tmp_path, "names.csv", text.encode("gb18030"))) == rows


def test_utf16_tab_separated_text_is_read(tmp_path):
    """Excel's "Unicode text" export: UTF-16 with a byte order mark, tabs between cells."""
    data = csv_text(ROWS, delimiter="\t").encode("utf-16")

    assert read_table(write_bytes(tmp_path, "regions.txt", data)) == ROWS


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_csv_is_read(tmp_path, delimiter):
    data = csv_text(ROWS, delimiter=delimiter).encode("utf-8")

    assert read_table(write_bytes(tmp_path, "regions.csv", data)) == ROWS


def test_comma_stays_the_separator_when_cells_hold_semicolons(tmp_path):
    rows = [["姓名", "技能"], ["张三", "开网店;直播带货"]]
    data = '姓名,技能\r\n张三,"开网店;直播带货"\r\n'.encode()

    assert read_table(write_bytes(tmp_path, "skills.csv", data)) == rows


def test_csv_cells_are_stripped_and_quoted_commas_kept(tmp_path):
    data = '县(市、区), 乡(镇) ,备注\r\n罗定市,罗镜镇 ,"一, 二"\r\n'.encode()

    assert read_table(write_bytes(tmp_path, "regions.csv", data)) == [
        ["县(市、区)", "乡(镇)", "备注"],
        ["罗定市", "罗镜镇", "一, 二"],
    ]


@pytest.mark.parametrize("text", ["4.45302E+17", "4.45302199001011e+17"])
def test_scientific_number_in_csv_is_a_lossy_number_cell(tmp_path, text):
    """Excel saved the number as it showed it: the ID number's digits are gone."""
    data = f"证件号码\r\n{text}\r\n".encode()

    cell = read_table(write_bytes(tmp_path, "ids.csv", data))[1][0]

    assert isinstance(cell, NumberCell)
    assert cell.lossy
    assert cell == text


def test_plain_digits_in_csv_are_text_and_not_lossy(tmp_path):
    data = f"证件号码\r\n{EIGHTEEN_DIGITS}\r\n".encode()

    cell = read_table(write_bytes(tmp_path, "ids.csv", data))[1][0]

    assert cell == str(EIGHTEEN_DIGITS)
    assert not getattr(cell, "lossy", False)


def test_file_named_xls_holding_csv_text_is_read_as_csv(tmp_path):
    """Some systems save CSV text under .xls; the content decides, not the name."""
    data = csv_text(ROWS).encode("gbk")

    assert read_table(write_bytes(tmp_path, "export.xls", data)) == ROWS


def test_upload_object_is_read_and_named_by_its_name(tmp_path):
    upload = io.BytesIO(csv_text(ROWS).encode("gbk"))
    upload.name = "upload.csv"

    assert read_table(upload) == ROWS


# XLSX


def test_xlsx_number_cells_read_as_a_person_reads_them(tmp_path):
    path = write_xlsx(tmp_path, [["a", "b", "c", "d"], [3, 2.5, 3.0, -7]])

    cells = read_table(path)[1]

    assert cells == ["3", "2.5", "3", "-7"]
    assert all(isinstance(cell, NumberCell) and not cell.lossy for cell in cells)


def test_xlsx_fifteen_digit_number_is_kept_whole(tmp_path):
    path = write_xlsx(tmp_path, [["证件号码"], [FIFTEEN_DIGITS]])

    cell = read_table(path)[1][0]

    assert cell == str(FIFTEEN_DIGITS)
    assert not cell.lossy


@pytest.mark.parametrize(
    "value",
    [EIGHTEEN_DIGITS, float(EIGHTEEN_DIGITS)],  # as typed, and as Excel itself stores it
    ids=["int", "float"],
)
def test_xlsx_eighteen_digit_number_is_marked_lossy(tmp_path, value):
    path = write_xlsx(tmp_path, [["证件号码"], [value]])

    cell = read_table(path)[1][0]

    assert isinstance(cell, NumberCell)
    assert cell.lossy


def test_xlsx_text_cell_of_digits_is_text_not_lossy(tmp_path):
    path = write_xlsx(tmp_path, [["证件号码"], [str(EIGHTEEN_DIGITS)]])

    cell = read_table(path)[1][0]

    assert cell == str(EIGHTEEN_DIGITS)
    assert not getattr(cell, "lossy", False)


def test_xlsx_date_cells_read_as_iso_dates(tmp_path):
    path = write_xlsx(
        tmp_path,
        [["日期", "时间"], [datetime.date(2024, 3, 1), datetime.datetime(2024, 3, 1, 8, 30)]],
    )

    assert read_table(path)[1] == ["2024-03-01", "2024-03-01T08:30:00"]


def test_xlsx_empty_cells_are_empty_text_and_text_is_stripped(tmp_path):
    path = write_xlsx(tmp_path, [["县(市、区)", "乡(镇)", "行政村"], [" 罗定市 ", None, "水摆村"]])

    assert read_table(path)[1] == ["罗定市", "", "水摆村"]


def test_xlsx_is_read_whatever_its_name(tmp_path):
    path = write_xlsx(tmp_path, ROWS, name="regions.csv")

    assert read_table(path) == ROWS


# XLS


def test_xls_is_read(tmp_path):
    assert read_table(write_xls(tmp_path, ROWS)) == ROWS


def test_xls_number_cells_read_as_a_person_reads_them(tmp_path):
    path = write_xls(tmp_path, [["a", "b", "c", "d"], [3, 2.5, 3.0, FIFTEEN_DIGITS]])

    cells = read_table(path)[1]

    assert cells == ["3", "2.5", "3", str(FIFTEEN_DIGITS)]
    assert not any(cell.lossy for cell in cells)


def test_xls_eighteen_digit_number_is_marked_lossy(tmp_path):
    cell = read_table(write_xls(tmp_path, [["证件号码"], [EIGHTEEN_DIGITS]]))[1][0]

    assert isinstance(cell, NumberCell)
    assert cell.lossy


def test_xls_date_cell_reads_as_iso_date(tmp_path):
    path = write_xls(tmp_path, [["日期"], [datetime.date(2024, 3, 1)]])

    assert read_table(path)[1] == ["2024-03-01"]


# What cannot be read


@pytest.mark.parametrize(
    "name, data",
    [
        ("garbage.csv", bytes(range(256)) * 4),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook"),
        ("broken.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 not really a workbook"),
        ("odd.txt", b"\xff\xfe\xff\x00\x81"),
    ],
)
def test_unreadable_file_is_refused_naming_the_file(tmp_path, name, data):
    path = write_bytes(tmp_path, name, data)

    with pytest.raises(SheetError) as excinfo:
        read_table(path)

    assert [(e.row, e.code) for e in excinfo.value.errors] == [(None, "unreadable")]
    assert name in str(excinfo.value)


def test_missing_file_is_unreadable(tmp_path):
    assert problem_codes(tmp_path / "nowhere.csv") == [(None, "unreadable")]
