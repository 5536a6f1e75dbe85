"""sheets.xlsx reads a sheet's values exactly as openpyxl's read-only mode does, on the
cases where a faster reader could go wrong: shared and inline strings (rich text too),
numbers, booleans, dates by their style, the 1904 calendar, cached formula results,
errors, cells and rows left out, and a first sheet that is not the first part."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from sheets.reading import read_table
from sheets.xlsx import Workbook


def openpyxl_rows(path) -> list[list]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def fast_rows(path) -> list[list]:
    workbook = Workbook(io.BytesIO(path.read_bytes()))
    try:
        return list(workbook.rows())
    finally:
        workbook.close()


def awkward_workbook(path, *, epoch_1904=False):
    workbook = openpyxl.Workbook()
    if epoch_1904:
        workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    chart = workbook.active
    chart.title = "说明"
    sheet = workbook.create_sheet("名册", 0)  # first in the workbook, second part written
    sheet["A1"] = "县(市、区)"
    sheet["B1"] = "  姓名 "
    sheet["D1"] = 445381198501010012  # an 18-digit number: Excel keeps 15 digits
    sheet["A2"] = 3.0
    sheet["B2"] = 2.5
    sheet["C2"] = True
    sheet["D2"] = datetime.date(2026, 4, 1)
    sheet["E2"] = datetime.datetime(2026, 4, 1, 9, 30)
    sheet["F2"] = "=1+1"  # no cached value: read as empty, as data_only does
    sheet["A5"] = CellRichText([TextBlock(InlineFont(b=True), "罗定"), "市"])
    sheet["C5"] = "#N/A"
    sheet["H7"] = "最后"
    workbook.save(path)
    return path


@pytest.mark.parametrize("epoch_1904", [False, True], ids=["1900", "1904"])
def test_the_fast_reader_gives_openpyxls_values(tmp_path, epoch_1904):
    path = awkward_workbook(tmp_path / "awkward.xlsx", epoch_1904=epoch_1904)
    expected = openpyxl_rows(path)
    assert fast_rows(path) == expected
    assert expected[1][3] == datetime.datetime(2026, 4, 1)  # the dates did come through


def test_shared_strings_and_a_moved_sheet_part_are_read_as_openpyxl_reads_them(tmp_path):
    """Excel keeps text as shared strings; openpyxl writes inline ones, so the workbook is
    rewritten by hand: the sheet's strings moved to a shared table, the sheet renamed."""
    source = awkward_workbook(tmp_path / "inline.xlsx")
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts.pop("xl/worksheets/sheet1.xml").decode()
    strings = ["县(市、区)", "  姓名 ", "最后"]
    for index, reference in enumerate(("A1", "B1", "H7")):
        sheet = re.sub(
            f'<c r="{reference}" t="inlineStr"><is><t[^>]*>[^<]*</t></is></c>',
            f'<c r="{reference}" t="s"><v>{index}</v></c>',
            sheet,
        )
    assert sheet.count('t="s"') == 3
    parts["xl/worksheets/data.xml"] = sheet.encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"worksheets/sheet1.xml", b"worksheets/data.xml"
    )
    parts["[Content_Types].xml"] = (
        parts["[Content_Types].xml"]
        .replace(b"/xl/worksheets/sheet1.xml", b"/xl/worksheets/data.xml")
        .replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    )
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
        + "</sst>"
    ).encode()
    path = tmp_path / "shared.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    expected = openpyxl_rows(path)
    assert expected[0][:2] == ["县(市、区)", "  姓名 "] and expected[6][7] == "最后"
    assert fast_rows(path) == expected


def test_cells_read_as_text_and_missing_rows_as_empty_ones(tmp_path):
    table = read_table(awkward_workbook(tmp_path / "awkward.xlsx"))
    assert table[0][:3] == ["县(市、区)", "姓名", ""]
    assert table[0][3].startswith("44538119850") and table[0][3].lossy
    assert table[1] == ["3", "2.5", "是", "2026-04-01", "2026-04-01T09:30:00"]
    assert table[2] == table[3] == [] and table[5] == []
    assert table[4] == ["罗定市", "", "#N/A"]
    assert table[6] == [""] * 7 + ["最后"]
