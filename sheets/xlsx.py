"""The values of an XLSX workbook's first sheet, row by row, as openpyxl reads them, faster.

openpyxl's read-only mode builds a dictionary and a cell per cell, and where a sheet
declares no dimension (streaming writers such as the national system's export leave it
out) parses the whole sheet once more just to look for one: 100,000 rows of the registry
took it a minute. Here openpyxl still reads what describes the workbook (which part is
the first sheet, the shared strings, which styles are dates, the 1900 or 1904 calendar),
and the sheet itself goes through ElementTree's C parser as a stream, each row turned
into values the way openpyxl's ``WorkSheetParser`` does with ``data_only`` (cached
results of formulas, dates by their style) and let go.

sheets.limits has checked every part of the workbook before this reads it.
"""

import xml.etree.ElementTree as ET

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

ROW = f"{{{SHEET_MAIN_NS}}}row"
VALUE = f"{{{SHEET_MAIN_NS}}}v"
INLINE = f"{{{SHEET_MAIN_NS}}}is"
TEXT = f"{{{SHEET_MAIN_NS}}}t"
RUN = f"{{{SHEET_MAIN_NS}}}r"
DIGITS = "0123456789"


class Workbook:
    """What the rows of the first worksheet need from the rest of the workbook."""

    def __init__(self, stream):
        reader = ExcelReader(stream, read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        self.archive = reader.archive
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

    def close(self):
        self.archive.close()

    def rows(self):
        """The first worksheet's rows as lists of values (None for an empty cell), a row for
        each row number up to the last (a missing row is an empty list), each as wide as
        its last cell; as openpyxl's ``iter_rows(values_only=True)`` gives them."""
        if self.sheet is None:
            return
        number = parsed = 0  # the last row number given, and the last one read
        with self.archive.open(self.sheet) as source:
            for _event, element in ET.iterparse(source):
                if element.tag != ROW:
                    continue
                found = element.get("r")
                parsed = _row_number(found) if found else parsed + 1
                if parsed > number:
                    yield from ([] for _missing in range(number + 1, parsed))
                    yield self._values(element)
                    number = parsed
                element.clear()

    def _values(self, row) -> list:
        placed, column, columns = [], 0, self.columns
        for cell in row:
            reference = cell.get("r")
            if reference:
                letters = reference.rstrip(DIGITS)
                column = columns.get(letters) or columns.setdefault(
                    letters, coordinate_to_tuple(reference)[1]
                )
            else:
                column += 1
            placed.append((column, self._value(cell)))
        if not placed:
            return []
        values = [None] * placed[-1][0]
        for column, value in placed:
            if column <= len(values):
                values[column - 1] = value
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
