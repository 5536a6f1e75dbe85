"""What is wrong with a sheet, row by row, and the checks every importer words alike.

Problems are collected, not raised one by one, so whoever fixes the file sees every
problem at once, by the row number their spreadsheet program shows. Messages name a
row by its number and the person's name, never by an ID-card or phone number: they
end up in logs and on screens.
"""

import heapq
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# A list inside one cell: the enumeration comma 、 is what people write; the full-width
# comma and semicolons turn up too. The ASCII comma is left out because a CSV cell that
# holds one must be quoted, and an unquoted one shows up as a column too many instead.
LIST_SEPARATORS = re.compile(r"[、，;；]")
WHOLE_NUMBER = re.compile(r"^(\d+)(?:\.0+)?$")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in the file.

    ``row`` is the row number as the spreadsheet shows it (the first row is 1), or None
    when the problem is the file as a whole. ``code`` names the kind of problem for
    programs; each importer's docstring lists the codes it adds to those here.
    """

    row: int | None
    code: str
    message: str
    # Whose row it is: the row number alone is hard to find on a long sheet.
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
    """The file cannot be imported, and nothing was written; ``errors`` lists the problems.

    A file can be wrong on every one of its rows, so ``errors`` keeps the first
    SHEETS_MAX_ERRORS_KEPT of them by row (problems of the whole file first) and ``count``
    says how many there were: the report, stored with the upload and shown on its page,
    stays short, and ends by saying how many more there are.

    Codes of the sheet layer: unreadable, empty_file, no_header, missing_column,
    duplicate_column, too_many_columns, empty_cell, too_long, unknown_value,
    bad_number, number_lost_digits, duplicate; of its limits (sheets.limits):
    file_too_large, unpacks_too_large, zip_bomb, too_many_parts, too_many_rows,
    too_many_cells, cell_too_long; importers add their own.
    """

    def __init__(self, errors):
        errors = list(errors)
        self.count = len(errors)
        # nsmallest is sorted()[:n], stable: problems of one row keep their order.
        self.errors = heapq.nsmallest(
            settings.SHEETS_MAX_ERRORS_KEPT, errors, key=lambda error: error.row or 0
        )
        super().__init__(self.report())

    def heading(self) -> str:
        return ngettext(
            "The file was not imported, nothing was written: %(count)d problem found.",
            "The file was not imported, nothing was written: %(count)d problems found.",
            self.count,
        ) % {"count": self.count}

    def report(self) -> str:
        lines = [self.heading(), *(str(error) for error in self.errors)]
        left_out = self.count - len(self.errors)
        if left_out:
            lines.append(
                ngettext(
                    "…and %(count)d more problem not listed.",
                    "…and %(count)d more problems not listed.",
                    left_out,
                )
                % {"count": left_out}
            )
        return "\n".join(lines)


def file_error(code, message) -> SheetError:
    return SheetError([RowError(None, code, message)])


def split_list(cell: str) -> list[str]:
    """``开网店、 直播带货；短视频`` → the items, stripped, each once, in order."""
    items = (item.strip() for item in LIST_SEPARATORS.split(cell))
    return list(dict.fromkeys(item for item in items if item))


class ErrorBudget:
    """Which problems of a sheet's rows keep their message.

    SheetError lists only the first SHEETS_MAX_ERRORS_KEPT problems by row, so once that
    many are recorded, problems of later rows are kept without their message: they count,
    and a file of 100,000 bad rows holds no 100,000 messages (each may quote a cell).
    Problems found later for rows up to there (a duplicate, say) keep theirs.
    """

    def __init__(self):
        self.left = settings.SHEETS_MAX_ERRORS_KEPT
        self.last_row = None  # the row where the budget ran out

    def keeps(self, row) -> bool:
        if self.last_row is not None:
            return row <= self.last_row
        self.left -= 1
        if self.left <= 0:
            self.last_row = row
        return True


class RowCheck:
    """One row of a sheet: its cells by column key, and the problems found in it.

    ``row[key]`` is the cell under that column ("" where the file has no such column).
    Each check records what is wrong and returns the cleaned value, or None.
    """

    def __init__(self, number, values, labels, name="", budget=None):
        self.number = number
        self.values = values
        self.labels = labels  # column key -> the heading messages name it by
        self.name = name
        self.errors = []
        self.budget = budget

    def __getitem__(self, key):
        return self.values.get(key, "")

    @property
    def ok(self):
        return not self.errors

    def problem(self, code, message):
        if self.budget is not None and not self.budget.keeps(self.number):
            message = ""  # past what the report lists: counted, not kept
        self.errors.append(RowError(self.number, code, message, name=self.name))

    def column_problem(self, code, key, message):
        """A problem of one cell: the message is prefixed with its column's heading."""
        self.problem(
            code, _("“%(column)s”: %(message)s") % {"column": self.labels[key], "message": message}
        )

    def length(self, key, model, field_name):
        limit = model._meta.get_field(field_name).max_length
        if len(self[key]) > limit:
            self.column_problem(
                "too_long", key, _("longer than %(max)d characters.") % {"max": limit}
            )

    def word(self, key, canonical, words, code="unknown_value"):
        """The stored form of a vocabulary cell (``canonical(text)`` returns it, or None
        for a word it does not know); ``words`` are the spellings to suggest."""
        value = canonical(self[key])
        if value is None:
            self.column_problem(
                code,
                key,
                _("must be one of %(values)s, not “%(value)s”.")
                % {"values": "、".join(word for word in words if word), "value": self[key]},
            )
        return value

    def choice(self, key, choices, code="unknown_value"):
        """A cell that must be one of a TextChoices' values, spelled exactly."""
        return self.word(
            key, lambda text: text if text in choices.values else None, choices.values, code
        )

    def whole_number(self, key, minimum, maximum, code="bad_number"):
        """The cell as an int within the bounds, or None (and a problem) if it is not."""
        match = WHOLE_NUMBER.match(self[key])
        number = int(match.group(1)) if match else None
        if number is None or not minimum <= number <= maximum:
            self.column_problem(
                code,
                key,
                _("must be a whole number from %(min)d to %(max)d, not “%(value)s”.")
                % {"min": minimum, "max": maximum, "value": self[key]},
            )
            return None
        return number

    def listed(self, key):
        """The items of a list cell; a cell of separators alone counts as empty."""
        items = split_list(self[key])
        if self[key] and not items:
            self.column_problem("empty_cell", key, _("empty."))
        return items

    def parsed(self, key, parse, code):
        """``parse(cell)``, or None (and a problem) if it raises ValidationError.

        The cell is never repeated in the message: this is how ID-card and phone numbers
        are read. A number Excel could not keep whole is refused with what to do.
        """
        cell = self[key]
        if getattr(cell, "lossy", False):
            self.column_problem(
                "number_lost_digits",
                key,
                _(
                    "the spreadsheet stored this number as a number, which keeps only 15 "
                    "digits, so its last digits are lost. Set the column's format to Text "
                    "in the system or file it came from and export it again."
                ),
            )
            return None
        try:
            return parse(cell)
        except ValidationError as exc:
            self.column_problem(code, key, exc.messages[0])
            return None

    def once(self, key, value, seen, code="duplicate"):
        """Whether ``value`` is the first of its kind in the file; else a problem naming the
        row (and person) where it was first. ``seen`` maps values to (row, name)."""
        if not value:
            return True
        first_row, first_name = seen.setdefault(value, (self.number, self.name))
        if first_row == self.number:
            return True
        where = {"row": first_row, "name": first_name}
        self.column_problem(
            code,
            key,
            _("the same as in row %(row)d (%(name)s).") % where
            if first_name
            else _("the same as in row %(row)d.") % where,
        )
        return False
