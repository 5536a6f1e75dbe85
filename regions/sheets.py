"""Reading a spreadsheet that people keep by hand (CSV or XLSX), and reporting its problems.

Shared by every importer of such files (regions here, attendance sheets in classes):
each reads the cells with ``read_table``, checks every row itself, and reports what is
wrong as ``RowError``s in one ``SheetError``, by the row number the spreadsheet program
shows (the header is row 1), so that whoever fixes the file sees every problem at once.
"""

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Excel on a Chinese Windows saves CSV as GBK. GB18030 is its superset, so it reads those
# files the same and also the rare characters of some names that GBK lacks.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class RowError:
    """One problem in the file.

    ``row`` is the row number as the spreadsheet shows it (header = 1), or None when the
    problem is the file as a whole. ``code`` names the kind of problem for programs;
    each importer lists its own, besides unknown_format and unreadable from here.
    """

    row: int | None
    code: str
    message: str
    # Whose row it is, where the row is about a person: the row number alone is hard to
    # find on a long sheet, and other cells (an ID-card number) must not be repeated.
    name: str = ""

    def __str__(self):
        if self.row is None:
            return self.message
        if self.name:
            return _("Row %(row)d (%(name)s): %(message)s") % {
                "row": self.row,
                "name": self.name,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class SheetError(Exception):
    """The file cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(self.report())

    def heading(self) -> str:
        count = len(self.errors)
        return ngettext(
            "The file was not imported, nothing was written: %(count)d problem found.",
            "The file was not imported, nothing was written: %(count)d problems found.",
            count,
        ) % {"count": count}

    def report(self) -> str:
        return "\n".join([self.heading(), *(str(error) for error in self.errors)])


def read_table(source) -> list[list[str]]:
    """The cells of the file's first sheet as text, row by row.

    ``source`` is a path, or a binary file object with a ``name`` (an upload); the name's
    suffix says whether it is CSV or XLSX. Raises SheetError if it cannot be read.
    """
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
    else:
        name = getattr(source, "name", "") or ""
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SheetError(
            [
                RowError(
                    None,
                    "unknown_format",
                    _("Unknown file type “%(name)s”: use a .csv or .xlsx file.")
                    % {"name": Path(name).name},
                )
            ]
        )
    try:
        data = _read_bytes(source)
    except OSError as exc:
        raise _unreadable(name, exc.strerror or str(exc)) from exc
    if suffix == ".csv":
        return _csv_table(data, name)
    return _xlsx_table(data, name)


def trimmed(cells) -> list[str]:
    """Cells stripped of spaces, without the empty cells a spreadsheet leaves at the end."""
    cells = [cell.strip() for cell in cells]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def body_rows(table, header, error_class=SheetError):
    """The rows under ``header`` as ``(row number, cells, problems)``, blank rows skipped.

    The cells are trimmed and padded to the header's width; ``problems`` holds a
    RowError when the row has more cells than the header. Raises ``error_class`` for an
    empty file or a different header, without repeating what the first row holds: in a
    file that lost its header it is a person's record.
    """
    if not any(trimmed(cells) for cells in table):
        raise error_class([RowError(None, "empty_file", _("The file is empty."))])
    if tuple(trimmed(table[0])) != tuple(header):
        raise error_class(
            [
                RowError(
                    1,
                    "bad_header",
                    _("The first row must be exactly the header “%(expected)s”.")
                    % {"expected": ",".join(header)},
                )
            ]
        )
    for number, raw_cells in enumerate(table[1:], start=2):
        cells = trimmed(raw_cells)
        if not cells:
            continue  # blank lines between blocks and at the end are common and harmless
        problems = []
        if len(cells) > len(header):
            problems.append(
                RowError(
                    number,
                    "too_many_columns",
                    _("The row has %(found)d columns; the header has %(expected)d.")
                    % {"found": len(cells), "expected": len(header)},
                )
            )
        yield number, cells + [""] * (len(header) - len(cells)), problems


def _read_bytes(source) -> bytes:
    if isinstance(source, str | os.PathLike):
        return Path(source).read_bytes()
    data = source.read()
    return data.encode() if isinstance(data, str) else data


def _csv_table(data: bytes, name: str) -> list[list[str]]:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _unreadable(name, _("the text is neither UTF-8 nor GBK"))
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _unreadable(name, str(exc)) from exc


def _xlsx_table(data: bytes, name: str) -> list[list[str]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged file
        raise _unreadable(name, _("it is not a valid XLSX workbook")) from exc
    try:
        sheet = workbook.worksheets[0]
        return [
            ["" if value is None else str(value) for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()


def _unreadable(name, reason) -> SheetError:
    return SheetError(
        [
            RowError(
                None,
                "unreadable",
                _("Cannot read the file “%(name)s”: %(reason)s.")
                % {"name": Path(name).name, "reason": reason},
            )
        ]
    )
