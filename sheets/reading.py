"""Reading the first sheet of a file people keep by hand, whatever program wrote it.

The kind of file is told by its content, not its name: offices rename files, and some
systems save CSV text under ``.xls``. XLSX (a zip), XLS (an OLE2 compound file, read
with xlrd) and CSV text (UTF-8 with or without BOM, UTF-16, GBK/GB18030; comma, tab or
semicolon separated) are read alike, into rows of text cells.

A cell Excel held as a number comes back as a ``NumberCell``: its text is what the
number's digits are (``3.0`` reads ``3``), and ``lossy`` says that Excel cannot have
kept them all. Excel keeps 15 significant digits, so an 18-digit ID-card number typed
into a number cell has already lost its last digits, and a CSV saved from such a cell
says ``4.45302E+17``. Importers turn that into a message telling the clerk what to do.
"""

import csv
import datetime
import io
import os
import re
from pathlib import Path

from django.utils.translation import gettext as _

from .checks import RowError, SheetError

# Excel on a Chinese Windows saves CSV as GBK; GB18030 is its superset, so it reads those
# files the same and also the rare characters of some names that GBK lacks.
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel shows a long number as 4.45302E+17 and saves the CSV that way.
SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")
EXACT_DIGITS = 15


class NumberCell(str):
    """The text of a cell that the spreadsheet held as a number."""

    lossy = False

    def __new__(cls, text, lossy=False):
        cell = super().__new__(cls, text)
        cell.lossy = lossy
        return cell


def read_table(source) -> list[list[str]]:
    """The cells of the file's first sheet, row by row, as text (``NumberCell`` for numbers).

    ``source`` is a path, or a binary file object (an upload) whose ``name`` is used in
    messages. Raises SheetError if the file cannot be read.
    """
    name = Path(_name_of(source)).name
    try:
        data = _read_bytes(source)
    except OSError as exc:
        raise unreadable(name, exc.strerror or str(exc)) from exc
    if data.startswith(ZIP_MAGIC):
        return _xlsx_table(data, name)
    if data.startswith(OLE2_MAGIC):
        return _xls_table(data, name)
    return _text_table(data, name)


def number_cell(value) -> NumberCell:
    """A spreadsheet's number as the digits a person would read in the cell."""
    if isinstance(value, bool):
        return NumberCell("是" if value else "否")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return NumberCell(str(value), lossy=len(str(abs(value))) > EXACT_DIGITS)
    return NumberCell(format(value, f".{EXACT_DIGITS}g"))


def unreadable(name, reason) -> SheetError:
    return SheetError(
        [
            RowError(
                None,
                "unreadable",
                _("Cannot read the file “%(name)s”: %(reason)s.")
                % {"name": name, "reason": reason},
            )
        ]
    )


def _name_of(source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return getattr(source, "name", "") or ""


def _read_bytes(source) -> bytes:
    if isinstance(source, str | os.PathLike):
        return Path(source).read_bytes()
    data = source.read()
    return data.encode() if isinstance(data, str) else data


def _text_table(data: bytes, name: str) -> list[list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)  # Excel's "Unicode text", tab separated
    else:
        encodings = TEXT_ENCODINGS
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise unreadable(
            name, _("it is neither a spreadsheet (.xlsx, .xls) nor text in UTF-8 or GBK")
        )
    if "\x00" in text:
        raise unreadable(name, _("it is neither a spreadsheet (.xlsx, .xls) nor CSV text"))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        raise unreadable(name, str(exc)) from exc
    return [[_text_cell(cell) for cell in row] for row in rows]


def _delimiter(text: str) -> str:
    """Comma, unless the first line is plainly separated by tabs or semicolons."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _text_cell(cell: str) -> str:
    cell = cell.strip()
    if SCIENTIFIC.match(cell):
        return NumberCell(cell, lossy=True)
    return cell


def _xlsx_table(data: bytes, name: str) -> list[list[str]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged file
        raise unreadable(name, _("it is not a valid XLSX workbook")) from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_xlsx_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return number_cell(value)
    return str(value).strip()


def _xls_table(data: bytes, name: str) -> list[list[str]]:
    import xlrd

    try:
        workbook = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # xlrd raises many kinds of error for a damaged file
        raise unreadable(name, _("it is not a valid XLS workbook")) from exc
    try:
        sheet = workbook.sheet_by_index(0)
        return [
            [_xls_cell(sheet.cell(row, col), workbook.datemode) for col in range(sheet.ncols)]
            for row in range(sheet.nrows)
        ]
    finally:
        workbook.release_resources()


def _xls_cell(cell, datemode) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return number_cell(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return number_cell(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        return _xlsx_cell(xlrd.xldate_as_datetime(cell.value, datemode))
    return str(cell.value).strip()
