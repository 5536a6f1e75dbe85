"""Finding a sheet's columns by their headings, in any order, among any others.

Every system and every office heads its columns a little differently: 县(市、区、旗) in
the national poverty-alleviation system, 县（市、区） in a clerk's copy, 身份证号 for
证件号码. A ``Column`` lists the spellings it answers to; headings are compared with
brackets of either width, spaces and a required-field asterisk set aside. Columns the
importer does not know are ignored. The header need not be the first row: exports
often start with a title line or two.
"""

import itertools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .checks import ErrorBudget, RowCheck, RowError, SheetError, file_error

# Title lines above the header seldom run longer than this.
HEADER_SEARCH_ROWS = 20
FULL_TO_HALF = str.maketrans("（）【】［］：", "()[][]:")
LONG_DIGITS = re.compile(r"\d{6,}")


def heading_key(text: str) -> str:
    """A heading as compared: brackets half-width, no spaces, no ``*`` or trailing colon."""
    text = re.sub(r"\s+", "", str(text).translate(FULL_TO_HALF))
    return text.strip("*").rstrip(":")


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its heading, other spellings, and what it may hold.

    ``optional`` columns may be absent from the file; ``blank`` cells may be empty.
    """

    key: str
    heading: str
    aliases: tuple[str, ...] = ()
    optional: bool = False
    blank: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.heading, *self.aliases)

    def matches(self, text: str) -> bool:
        key = heading_key(text)
        return bool(key) and key in {heading_key(spelling) for spelling in self.spellings}


@dataclass
class Layout:
    """The columns of one kind of sheet, and the column that names a row's person."""

    columns: tuple[Column, ...]
    name_key: str | None = None
    labels: dict = field(init=False)

    def __post_init__(self):
        self.labels = {column.key: column.heading for column in self.columns}

    def __getitem__(self, key) -> Column:
        return next(column for column in self.columns if column.key == key)

    def describe(self) -> list[tuple[str, str, bool]]:
        """(heading, other spellings, required) of each column, for help pages."""
        return [
            (column.heading, "、".join(column.aliases), not column.optional)
            for column in self.columns
        ]

    def rows(self, table) -> list[RowCheck]:
        """Every filled row under the header, as a RowCheck with the layout's cells.

        Cells that must not be empty are checked here. Raises SheetError when the file
        is empty or the header lacks a required column.
        """
        return list(self.checks(table))

    def checks(self, rows):
        """The RowChecks of ``rows`` (any iterable of rows, read as they come), one at a
        time, so that a long sheet is never held whole: only the first
        HEADER_SEARCH_ROWS rows are kept, to find the header in. Raises SheetError as
        ``rows`` does, at the point where the problem shows."""
        rows = iter(rows)
        head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        header_index, positions = self._find_header(head, rows)
        width = max(positions.values()) + 1
        header_width = len(_trimmed(head[header_index]))
        budget, found = ErrorBudget(), False
        numbered = itertools.chain(
            enumerate(head[header_index + 1 :], start=header_index + 2),
            enumerate(rows, start=len(head) + 1),
        )
        for number, cells in numbered:
            if not _filled(cells):
                continue  # blank lines between blocks and at the end are common and harmless
            values = {
                key: (_stripped(cells[position]) if position < len(cells) else "")
                for key, position in positions.items()
            }
            name = values.get(self.name_key, "") if self.name_key else ""
            check = RowCheck(number, values, self.labels, name=name, budget=budget)
            # Rows come trimmed of empty cells at their end as a rule: only a longer one
            # is trimmed here to be counted.
            if len(cells) > max(header_width, width) and len(_trimmed(cells)) > max(
                header_width, width
            ):
                check.problem(
                    "too_many_columns",
                    _("the row has %(found)d columns; the header has %(expected)d.")
                    % {"found": len(_trimmed(cells)), "expected": header_width},
                )
            for column in self.columns:
                if column.key in positions and not column.blank and not values[column.key]:
                    check.column_problem("empty_cell", column.key, _("empty."))
            found = True
            yield check
        if not found:
            raise file_error("empty_file", _("The file has no rows under its header."))

    def _find_header(self, head, rest):
        """(row index, {key: column index}) of the header row among the first rows
        (``head``), or SheetError; ``rest`` (the rows after those) is read only to tell an
        empty file, or to quote its first filled row, when there is no header."""
        required = [column for column in self.columns if not column.optional]
        best = None
        for index, cells in enumerate(head):
            positions, duplicates = self._positions(cells)
            found = sum(1 for column in required if column.key in positions)
            if found == len(required):
                if duplicates:
                    raise SheetError(
                        [RowError(index + 1, "duplicate_column", message) for message in duplicates]
                    )
                return index, positions
            if found and (best is None or found > best[1]):
                best = (index, found, positions)
        if best is None:
            filled = (cells for cells in itertools.chain(head, rest) if _filled(cells))
            first = next(filled, None)
            if first is None:
                raise file_error("empty_file", _("The file is empty."))
            raise file_error(
                "no_header",
                _(
                    "No header row was found: the file should have a row of column headings "
                    "such as %(expected)s; its first row reads %(found)s."
                )
                % {
                    "expected": "、".join(f"“{c.heading}”" for c in required),
                    "found": _shown(first),
                },
            )
        index, _found, positions = best
        missing = [column for column in required if column.key not in positions]
        raise SheetError(
            [
                RowError(index + 1, "missing_column", _missing(column, head[index]))
                for column in missing
            ]
        )

    def _positions(self, cells):
        positions, duplicates = {}, []
        for position, text in enumerate(cells):
            for column in self.columns:
                if not column.matches(text):
                    continue
                if column.key in positions:
                    duplicates.append(
                        _("Columns %(first)s and %(second)s are both “%(column)s”; keep one.")
                        % {
                            "first": column_letter(positions[column.key]),
                            "second": column_letter(position),
                            "column": column.heading,
                        }
                    )
                else:
                    positions[column.key] = position
                break
        return positions, duplicates


def _missing(column, header) -> str:
    found = {"column": column.heading, "found": _shown(header)}
    if not column.aliases:
        return _("Column “%(column)s” is missing; the header has %(found)s.") % found
    return _(
        "Column “%(column)s” is missing (also accepted: %(aliases)s); the header has %(found)s."
    ) % {**found, "aliases": "、".join(column.aliases)}


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names the column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _stripped(cell: str) -> str:
    """The cell without surrounding spaces. A ``NumberCell`` (which has none) is kept as it
    is: ``strip()`` would return a plain str and lose what ``lossy`` says."""
    text = str(cell)
    return cell if text == text.strip() else text.strip()


def _filled(cells) -> bool:
    return any(str(cell).strip() for cell in cells)


def _trimmed(cells) -> list[str]:
    cells = [str(cell).strip() for cell in cells]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _shown(cells) -> str:
    """A row's cells for a message, long digit runs (ID or phone numbers) hidden."""
    texts = [LONG_DIGITS.sub("…", text) for text in _trimmed(cells) if text]
    return "、".join(f"“{text}”" for text in texts) or _("nothing")
