"""The values of an XLSX workbook's first sheet, row by row, as openpyxl reads them, faster,
held to the limits of sheets.limits as they are read.

openpyxl's read-only mode builds a dictionary and a cell per cell, and where a sheet
declares no dimension (streaming writers such as the national system's export leave it
out) parses the whole sheet once more just to look for one: 100,000 rows of the registry
took it a minute. Here openpyxl still reads what describes the workbook (which part is
the first sheet, the shared strings, which styles are dates, the 1900 or 1904 calendar),
and the sheet itself goes through ElementTree's C parser as a stream, each row turned
into values the way openpyxl's ``WorkSheetParser`` does with ``data_only`` (cached
results of formulas, dates by their style) and let go.

The limits: sheets.limits checks the zip directory and scans every XML part but the
worksheets' rows (no DOCTYPE, so no entity to expand; texts, shared strings, declared
dimensions). The rows of the sheet read are checked here, in the one parse, instead of
in a scan of their own, which cost a Python call per element, as much again as reading:
a row past SHEETS_MAX_ROWS or a cell past SHEETS_MAX_COLUMNS is refused as it comes, and
the caller (sheets.reading) checks each row's cells as it gets them. What the parser
holds is bounded too, for a file that would hold it in one row or one text: after each
piece of the stream, the row being read may not pass the column limit or hold more
elements than any real row, nothing may nest deeper than a worksheet does, and the
parser may not go on for longer than a cell's worth of text without starting or ending
an element (a text, attribute or comment that long is refused). The other worksheets,
which are not read, are scanned whole by sheets.limits as before.
"""

import xml.etree.ElementTree as ET
import zipfile
from collections import deque

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

from . import limits as bounds
from .collector import collector_paused

SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"
ROW = f"{{{SHEET_MAIN_NS}}}row"
VALUE = f"{{{SHEET_MAIN_NS}}}v"
INLINE = f"{{{SHEET_MAIN_NS}}}is"
TEXT = f"{{{SHEET_MAIN_NS}}}t"
RUN = f"{{{SHEET_MAIN_NS}}}r"
DIGITS = "0123456789"
# A worksheet nests eight deep where it is deepest (worksheet, sheetData, row, c, is, r,
# rPr, b), its extensions a few more.
MAX_DEPTH = 32
# Elements of one row, per column the limit allows: a cell is three (c, is, t), a cell of
# formatted text a few per run.
ROW_ELEMENTS_PER_COLUMN = 32
# The most bytes one character of a text can take: "&#1114111;".
BYTES_PER_CHARACTER = 12


class WithheldPart(Exception):
    """openpyxl was about to parse a worksheet as something else (a relation may point
    its shared strings or styles anywhere), whole and unchecked."""


class _Archive(zipfile.ZipFile):
    """The workbook's zip, which will not open the worksheets for openpyxl."""

    withheld = frozenset()

    def open(self, name, *args, **kwargs):
        if getattr(name, "filename", name) in self.withheld:
            raise WithheldPart(getattr(name, "filename", name))
        return super().open(name, *args, **kwargs)


class Workbook:
    """What the rows of the first worksheet need from the rest of the workbook.

    ``stream`` is the workbook's bytes as a binary file object. Raises SheetError for a
    file beyond a limit; anything else it raises means a damaged workbook.
    """

    def __init__(self, stream, limits=None):
        self.limits = limits or bounds.Limits.current()
        self.archive = _Archive(stream)
        try:
            self._open(stream)
        except BaseException:
            self.archive.close()
            raise

    def _open(self, stream):
        archive, limits = self.archive, self.limits
        bounds.check_zip_directory(archive, limits)
        worksheets = bounds.scan_xml_parts(archive, limits)
        reader = ExcelReader(stream, read_only=True, data_only=True)
        reader.archive.close()
        reader.archive = archive
        archive.withheld = frozenset(worksheets)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(archive, reader.wb)
        archive.withheld = frozenset()
        self.strings = reader.shared_strings
        self.epoch = reader.wb.epoch
        self.dates = reader.wb._date_formats
        self.durations = reader.wb._timedelta_formats
        self.columns = {}  # a cell reference's letters -> its column number
        # openpyxl's list of worksheets: chartsheets and parts that are not there left out.
        self.sheet = next(
            (
                rel.target
                for _sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ),
            None,
        )
        # Every worksheet is held to the limits, though only the first is read.
        for name in sorted(worksheets - {self.sheet}):
            bounds.scan_part(archive, name, limits)

    def close(self):
        self.archive.close()

    def rows(self):
        """The first worksheet's rows as lists of values (None for an empty cell), a row for
        each row number up to the last (a missing row is an empty list), each as wide as
        its last cell; as openpyxl's ``iter_rows(values_only=True)`` gives them. Raises
        SheetError at the first row past the row limit or cell past the column limit,
        ParseError or ValueError if the sheet is not well-formed."""
        if self.sheet is None:
            return
        number = parsed = 0  # the last row number given, and the last one read
        most = self.limits.rows
        with self.archive.open(self.sheet) as source:
            sheet = _SheetParse(source, self.sheet, self.limits)
            for rows in sheet.pieces():
                values = []
                with collector_paused():
                    for row in rows:
                        found = row.get("r")
                        parsed = _row_number(found) if found else parsed + 1
                        if parsed > number:
                            if parsed > most:
                                raise bounds.too_many_rows(self.limits)
                            values.extend([] for _missing in range(number + 1, parsed))
                            values.append(self._values(row, parsed))
                            number = parsed
                sheet.row_number = number
                yield from values

    def _values(self, row, number) -> list:
        values, size, column, columns = [], 0, 0, self.columns
        widest = self.limits.columns
        for cell in row:
            reference = cell.get("r")
            if reference:
                letters = reference.rstrip(DIGITS)
                column = columns.get(letters) or columns.setdefault(
                    letters, coordinate_to_tuple(reference)[1]
                )
            else:
                column += 1
            if column > widest:
                raise bounds.too_wide(number, column, self.limits)
            # Most cells of an export are inline text in one piece: read without a call.
            if cell.get("t") == "inlineStr" and len(cell) == 1:
                inline = cell[0]
                if len(inline) == 1 and inline.tag == INLINE and inline[0].tag == TEXT:
                    value = inline[0].text or ""
                else:
                    value = self._value(cell)
            else:
                value = self._value(cell)
            # Cells come in order; one that does not overwrites its column.
            if column > size:
                if column > size + 1:
                    values.extend([None] * (column - size - 1))
                values.append(value)
                size = column
            else:
                values[column - 1] = value
        # As wide as its last cell: one placed further before it is dropped, as openpyxl does.
        del values[column:]
        return values

    def _value(self, cell):
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(INLINE)
            return None if inline is None else _inline_text(inline)
        value = cell.findtext(VALUE) or None
        if value is None:
            return None
        if kind == "n":
            value = float(value) if "." in value or "E" in value or "e" in value else int(value)
            style = int(cell.get("s") or 0)
            if style in self.dates:
                try:
                    return from_excel(value, self.epoch, timedelta=style in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # openpyxl's reading of a date out of range
            return value
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value


class _SheetParse:
    """A worksheet part through ElementTree's C parser, a piece of the stream at a time:
    its rows as elements once each is complete, the parser holding no more than the row
    it is in, and that bounded (see the module's notes).

    The parser reports no events once it has given the root element: a Python step per
    element (as iterparse takes) was a tenth of the reading. Between pieces the tree is
    looked at from the root down its last children, which are the elements still open.
    ``_setevents`` is how ElementTree's own iterparse asks its parser for events.
    """

    def __init__(self, source, part, limits):
        self.source, self.part, self.limits = source, part, limits
        self.row_number = 0  # the number of the last row given; set by the reader
        self.stalled = 0  # bytes parsed since an element last started or ended
        self.shape = ()
        self.root = None

    def pieces(self):
        """The complete rows, a list for each piece of the stream parsed."""
        parser = ET.XMLParser(target=ET.TreeBuilder())
        events = deque()
        parser._setevents(events, ("start",))
        while piece := self.source.read(bounds.CHUNK):
            with collector_paused():
                parser.feed(piece)
            if self.root is None and events:
                self.root = events[0][1]
                parser._setevents(events, ())
                events.clear()
            # Before the finished rows are let go of, the shape of the open elements has
            # changed since the last piece if and only if an element started.
            started = self._shape() != self.shape
            if self.root is not None:
                yield self._complete_rows(final=False)
            self._check_held(len(piece), started)
        parser.close()
        if self.root is not None:
            yield self._complete_rows(final=True)

    def _shape(self) -> tuple:
        """How many children each open element has, from the root down its last children;
        an element that starts adds to it."""
        shape, node = [], self.root
        while node is not None and len(node):
            shape.append(len(node))
            node = node[-1]
            if len(shape) > MAX_DEPTH:
                raise ET.ParseError(f"elements nested more than {MAX_DEPTH} deep")
        return tuple(shape)

    def _complete_rows(self, final) -> list:
        """The rows completed since the last piece, let go of by the tree; the root's
        other finished children (nothing of them is read) let go of too."""
        root, rows = self.root, []
        done = len(root) if final else len(root) - 1
        finished = root[:done]
        del root[:done]
        for child in finished:
            if child.tag == SHEET_DATA:
                rows.extend(child)
                del child[:]
        if not final and len(root):
            last = root[-1]
            if last.tag != SHEET_DATA:
                _prune(last)
            elif len(last) > 1:
                rows.extend(last[:-1])
                del last[:-1]
        return [row for row in rows if row.tag == ROW]

    def _check_held(self, parsed, started):
        """Refuse what the parser holds past a bound: bytes parsed without an element
        starting (a text, attribute or comment piling up), or the open row too wide or
        too big. Nesting too deep is refused by ``_shape``."""
        if started:
            self.stalled = 0
        else:
            self.stalled += parsed
            if self.stalled > self.limits.cell_chars * BYTES_PER_CHARACTER:
                self._refuse_long_text()
        self.shape = self._shape()
        row = self._open_row()
        if row is not None:
            if len(row) > self.limits.columns:
                raise bounds.too_wide(self._open_row_number(row), len(row), self.limits)
            held = 0
            for _element in row.iter():
                held += 1
            if held > self.limits.columns * ROW_ELEMENTS_PER_COLUMN:
                self._refuse_long_text()

    def _open_row(self):
        root = self.root
        if root is None or not len(root) or root[-1].tag != SHEET_DATA or not len(root[-1]):
            return None
        return root[-1][-1]

    def _open_row_number(self, row) -> int | None:
        found = row.get("r", "")
        return int(found) if found.isdigit() else self.row_number + 1

    def _refuse_long_text(self):
        row = self._open_row()
        if row is None or not len(row):
            raise bounds.text_too_long(self.part, self.limits)
        cell = row[-1]
        reference = bounds.CELL_REFERENCE.match(cell.get("r", ""))
        column = bounds.column_index(reference.group(1)) if reference else len(row)
        raise bounds.cell_too_long(self._open_row_number(row), column, self.limits)


def _prune(node):
    """Let go of the finished children of an open element that is not read, down its
    open descendants."""
    while len(node):
        del node[:-1]
        node = node[-1]


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(number)


def _inline_text(inline) -> str:
    """An inline string's text without its formatting: its own ``t`` (the last, if it has
    several, as openpyxl keeps), then each run's."""
    if len(inline) == 1 and inline[0].tag == TEXT:
        return inline[0].text or ""
    parts = [child.text or "" for child in inline if child.tag == TEXT][-1:]
    for run in inline.iterfind(RUN):
        text = run.find(TEXT)
        if text is not None:
            parts.append(text.text or "")
    return "".join(parts)
