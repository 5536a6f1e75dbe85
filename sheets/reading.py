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

Every file is held to the limits of sheets.limits (its size, rows, columns, cells and the
length of a cell) before and while it is read, so no file can take a worker's memory:
CSV is decoded and parsed as a stream, XLSX has its zip directory and the XML of its
other parts checked before its sheet is parsed as a stream and checked as it is parsed
(sheets.xlsx), and XLS (which xlrd reads whole) is held to the size limit and its sheet's
declared rows and columns before its cells are read.
"""

import codecs
import csv
import datetime
import io
import os
import re
import zipfile
import zlib
from pathlib import Path

from django.utils.translation import gettext as _

from . import limits as bounds
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
    """The cells of the file's first sheet, row by row, as text (``NumberCell`` for numbers);
    a row ends at its last filled cell.

    ``source`` is a path, or a binary file object (an upload) whose ``name`` is used in
    messages. Raises SheetError if the file cannot be read or is beyond a limit.
    """
    return list(read_rows(source))


def read_rows(source):
    """The rows of ``read_table`` one at a time, as the file is parsed, for importers that
    check a row and let it go: a sheet of 100,000 rows is never held whole.

    The file is refused unread if it is over the size limit; the other refusals (a
    damaged file, a limit passed) come from iterating, where the file shows them.
    """
    name = Path(_name_of(source)).name
    limits = bounds.Limits.current()
    try:
        data = _read_bytes(source, name, limits)
    except OSError as exc:
        raise unreadable(name, exc.strerror or str(exc)) from exc
    if data.startswith(ZIP_MAGIC):
        rows = _xlsx_rows(data, name, limits)
    elif data.startswith(OLE2_MAGIC):
        rows = _xls_rows(data, name, limits)
    else:
        rows = _text_rows(data, name)
    return _bounded(rows, limits)


def _bounded(rows, limits):
    """The rows, each trimmed of empty cells at its end, refused at the first one beyond a
    limit: reading stops there, and the file is refused rather than cut short."""
    cells = 0
    for number, row in enumerate(rows, start=1):
        if number > limits.rows:
            raise bounds.too_many_rows(limits)
        while row and row[-1] == "":
            row.pop()
        if len(row) > limits.columns:
            raise bounds.too_wide(number, len(row), limits)
        # The longest cell is found in C; which one it is, only for the refusal.
        if row and max(map(len, row)) > limits.cell_chars:
            column = next(n for n, cell in enumerate(row, 1) if len(cell) > limits.cell_chars)
            raise bounds.cell_too_long(number, column, limits)
        cells += len(row)
        if cells > limits.cells:
            raise bounds.too_many_cells(limits)
        yield row


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


def _read_bytes(source, name, limits) -> bytes:
    """The file's content, refused unread if it is over the size limit."""
    if isinstance(source, str | os.PathLike):
        length = Path(source).stat().st_size
        if length > limits.upload_bytes:
            raise bounds.too_large(name, length, limits)
        return Path(source).read_bytes()
    data = source.read(limits.upload_bytes + 1)
    data = data.encode() if isinstance(data, str) else data
    if len(data) > limits.upload_bytes:
        source.seek(0, os.SEEK_END)
        raise bounds.too_large(name, source.tell(), limits)
    return data


def _text_rows(data: bytes, name: str):
    """The rows of CSV text, decoded and parsed as a stream."""
    encoding = _text_encoding(data, name)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    delimiter = _delimiter(stream.readline(bounds.CHUNK))
    stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
    number = 0
    try:
        for number, row in enumerate(reader, start=1):  # noqa: B007 - named in the error
            yield [_text_cell(cell) for cell in row]
    except csv.Error as exc:
        # The csv module's own limit on a field (131,072 characters) is above ours.
        if "field limit" in str(exc):
            raise bounds.cell_too_long(number + 1, None, bounds.Limits.current()) from exc
        raise unreadable(name, str(exc)) from exc


def _text_encoding(data: bytes, name: str) -> str:
    """The first encoding the whole file decodes in, checked piece by piece."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)  # Excel's "Unicode text", tab separated
    else:
        encodings = TEXT_ENCODINGS
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), bounds.CHUNK):
                if "\x00" in decoder.decode(data[start : start + bounds.CHUNK]):
                    raise unreadable(
                        name, _("it is neither a spreadsheet (.xlsx, .xls) nor CSV text")
                    )
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise unreadable(name, _("it is neither a spreadsheet (.xlsx, .xls) nor text in UTF-8 or GBK"))


def _delimiter(text: str) -> str:
    """Comma, unless the first line is plainly separated by tabs or semicolons."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _text_cell(cell: str) -> str:
    cell = cell.strip()
    # Most cells hold no exponent: the test for one letter spares them the pattern.
    if ("E" in cell or "e" in cell) and SCIENTIFIC.match(cell):
        return NumberCell(cell, lossy=True)
    return cell


def _xlsx_rows(data: bytes, name: str, limits):
    """The first sheet's rows (sheets.xlsx: openpyxl's values, without its cost per cell),
    once the workbook's zip directory and the XML of its other parts pass the limits; the
    sheet's rows are held to them as they are parsed."""
    from .xlsx import Workbook

    try:
        workbook = Workbook(io.BytesIO(data), limits)
    except SheetError:
        raise
    except Exception as exc:  # zipfile, expat and openpyxl raise many kinds for a damaged file
        raise unreadable(name, _("it is not a valid XLSX workbook")) from exc
    try:
        # What is there is read: a declared dimension, which a file may state wrongly
        # (the scan checked it), neither pads rows nor stops the reading.
        for row in workbook.rows():
            yield [cell.strip() if type(cell) is str else _xlsx_cell(cell) for cell in row]
    except (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, ValueError) as exc:
        # A sheet that is not well-formed (ElementTree's ParseError is a SyntaxError), or
        # that does not unpack: what rows it gave are refused with it.
        raise unreadable(name, _("it is not a valid XLSX workbook")) from exc
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


def _xls_rows(data: bytes, name: str, limits):
    """The first sheet's rows. xlrd reads the whole file into memory, so an XLS is held to
    the size limit (before this) and its sheet's declared size (before its cells)."""
    import xlrd

    try:
        workbook = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # xlrd raises many kinds of error for a damaged file
        raise unreadable(name, _("it is not a valid XLS workbook")) from exc
    try:
        sheet = workbook.sheet_by_index(0)
        if sheet.nrows > limits.rows or sheet.ncols > limits.columns:
            raise bounds.declared_too_big(sheet.nrows, sheet.ncols, limits)
        for row in range(sheet.nrows):
            yield [_xls_cell(sheet.cell(row, col), workbook.datemode) for col in range(sheet.ncols)]
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
