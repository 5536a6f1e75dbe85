"""What the experts' and the entrepreneurs' sheets check alike, and how both are saved.

Both sheets list people by mobile number: the number says whether a row is someone new
or someone to update, so importing the same file twice changes nothing. Rows are named
by number and name in every message, never by the phone number.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.phone import normalize_mobile
from regions.sheets import RowError, SheetError, body_rows, read_table

# A list inside one cell: the enumeration comma 、 is what people write; the full-width
# comma and semicolons turn up too. The ASCII comma is left out because a CSV cell that
# holds one must be quoted, and an unquoted one shows up as a column too many instead.
LIST_SEPARATORS = re.compile(r"[、，;；]")
# Excel may hand a whole number over as "3.0".
WHOLE_NUMBER = re.compile(r"^(\d+)(?:\.0+)?$")


def split_list(cell: str) -> list[str]:
    """``开网店、 直播带货；短视频`` → the items, stripped, each once, in order."""
    items = (item.strip() for item in LIST_SEPARATORS.split(cell))
    return list(dict.fromkeys(item for item in items if item))


def sheet_rows(source, header, error_class):
    """``(row number, cells, problems)`` of each filled row of the file; see body_rows.

    Raises ``error_class`` when the file cannot be read or has a different header.
    """
    try:
        table = read_table(source)
    except SheetError as exc:
        raise error_class(exc.errors) from None
    return body_rows(table, header, error_class)


def raise_if_wrong(errors, rows, error_class):
    if errors:
        raise error_class(sorted(errors, key=lambda error: error.row or 0))
    if not rows:
        raise error_class([RowError(None, "empty_file", _("The file lists no one."))])


class RowCheck:
    """Collects the problems of one row, each named by the row's number and name."""

    def __init__(self, number, name, problems=()):
        self.number = number
        self.name = name
        self.errors = list(problems)

    def problem(self, code, message):
        self.errors.append(RowError(self.number, code, message, name=self.name))

    def required(self, header, cells, optional=()):
        for column, value in zip(header, cells, strict=True):
            if column not in optional and not value:
                self.problem("empty_cell", _("“%(column)s” is empty.") % {"column": column})

    def listed(self, column, cell):
        """The items of a list cell; a cell of separators alone counts as empty."""
        items = split_list(cell)
        if cell and not items:
            self.problem("empty_cell", _("“%(column)s” is empty.") % {"column": column})
        return items

    def length(self, column, value, model, field_name):
        limit = model._meta.get_field(field_name).max_length
        if len(value) > limit:
            self.problem(
                "too_long",
                _("“%(column)s” is longer than %(max)d characters.")
                % {"column": column, "max": limit},
            )

    def choice(self, code, column, value, choices):
        if value and value not in choices.values:
            self.problem(
                code,
                _("“%(column)s” must be one of %(values)s, not “%(value)s”.")
                % {"column": column, "values": "、".join(choices.values), "value": value},
            )

    def whole_number(self, code, column, value, minimum, maximum):
        """The cell as an int within the bounds, or None (and a problem) if it is not."""
        match = WHOLE_NUMBER.match(value)
        number = int(match.group(1)) if match else None
        if number is None or not minimum <= number <= maximum:
            self.problem(
                code,
                _("“%(column)s” must be a whole number from %(min)d to %(max)d, not “%(value)s”.")
                % {"column": column, "min": minimum, "max": maximum, "value": value},
            )
            return None
        return number

    def phone(self, column, value, first_rows):
        """The number in +86 form, or "" (and a problem). ``first_rows`` maps each number
        seen so far to the (row, name) where it was first seen."""
        if not value:
            return ""
        match = WHOLE_NUMBER.match(value)
        try:
            phone = normalize_mobile(match.group(1) if match else value)
        except ValidationError:
            # The number itself is not repeated: messages end up in logs and e-mails.
            self.problem(
                "bad_phone",
                _("“%(column)s” is not a valid mainland mobile number of 11 digits.")
                % {"column": column},
            )
            return ""
        first_row, first_name = first_rows.setdefault(phone, (self.number, self.name))
        if first_row != self.number:
            self.problem(
                "duplicate_phone",
                _("The same mobile number is already in row %(row)d (%(name)s).")
                % {"row": first_row, "name": first_name},
            )
            return ""
        return phone


@dataclass
class PersonRow:
    """One checked row: the model's own fields (``phone`` among them) and the primary
    keys each many-to-many field is to hold."""

    fields: dict
    relations: dict = field(default_factory=dict)

    @property
    def phone(self):
        return self.fields["phone"]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def save_by_phone(model, rows, result):
    """Create the people not yet known by their phone, update the others in place (their
    lists replaced by the file's), and count what happened in ``result``.

    Fields the sheet does not hold (a mentor, a photo, the active flag) are left as
    they are. The caller runs this in a transaction.
    """
    relations = list(rows[0].relations) if rows else []
    known = {
        person.phone: person
        for person in model.objects.filter(phone__in=[row.phone for row in rows]).prefetch_related(
            *relations
        )
    }
    for row in rows:
        person = known.get(row.phone)
        if person is None:
            person = model.objects.create(**row.fields)
            for name, pks in row.relations.items():
                getattr(person, name).set(pks)
            result.created += 1
            continue
        changed = [name for name, value in row.fields.items() if getattr(person, name) != value]
        lists_changed = [
            name
            for name, pks in row.relations.items()
            if {item.pk for item in getattr(person, name).all()} != set(pks)
        ]
        if not changed and not lists_changed:
            result.unchanged += 1
            continue
        for name in changed:
            setattr(person, name, row.fields[name])
        person.save(update_fields=[*changed, "updated_at"])
        for name in lists_changed:
            getattr(person, name).set(row.relations[name])
        result.updated += 1
    return result
