"""Importing a class's sign-in sheet (签到表): who attended, by name, ID-card number, phone.

Many classes are recorded only afterwards, from the paper sheet typed into a
spreadsheet. The whole sheet is checked before anything is written (see regions.sheets
for reading it and reporting its rows); a person already recorded at the session is
left as they are, so importing the same sheet twice changes nothing. The ID-card number
never appears in a message: rows are named by their number and the person's name.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from regions.sheets import RowError, SheetError, body_rows, read_table

from .attendance import identify_person, record_attendance
from .models import Attendance, ClassSession

HEADER = ("姓名", "证件号码", "手机号")
NUMBER_IN_NAME = re.compile(r"\d{4}")

DUPLICATE_ID = gettext_noop("Same ID-card number as row %(row)d (%(name)s).")
DUPLICATE_PHONE = gettext_noop("Same mobile number as row %(row)d (%(name)s).")
DUPLICATE_ACCOUNT = gettext_noop("Same account as row %(row)d (%(name)s).")

# A class recorded afterwards from a sheet is taken to start at 09:00, unless told.
DEFAULT_START = datetime.time(9, 0)


class AttendanceFileError(SheetError):
    """The sign-in sheet cannot be imported; ``errors`` lists every problem (RowError).

    Row error codes: unknown_format, unreadable, empty_file, bad_header,
    too_many_columns, empty_name, number_in_name, name_too_long, bad_id_number, bad_phone,
    no_id_or_phone, conflicting_accounts, duplicate_id_number, duplicate_phone,
    duplicate_account.
    """


@dataclass
class AttendanceImportResult:
    """What an import did: attendances created, people already recorded, rows with accounts."""

    created: int = 0
    unchanged: int = 0
    with_account: int = 0

    @property
    def changed_anything(self) -> bool:
        return bool(self.created)

    def summary_lines(self) -> list[str]:
        return [
            _("Attendances: %(created)d created, %(unchanged)d unchanged (already recorded).")
            % {"created": self.created, "unchanged": self.unchanged},
            _("%(count)d of them have an account on the site.") % {"count": self.with_account},
        ]

    def __str__(self):
        return " ".join(self.summary_lines())


def import_attendance(source, session, *, by=None) -> AttendanceImportResult:
    """Record everyone on the sheet (a path, or an upload) as attending ``session``.

    Raises AttendanceFileError, having written nothing, if any row is bad.
    """
    try:
        table = read_table(source)
    except SheetError as exc:
        raise AttendanceFileError(exc.errors) from None
    people = parse_sheet(table)
    result = AttendanceImportResult()
    with transaction.atomic():
        for person in people:
            _attendance, created = record_attendance(
                session, person, method=Attendance.Method.SHEET, by=by
            )
            if created:
                result.created += 1
            else:
                result.unchanged += 1
            if person.user is not None:
                result.with_account += 1
    return result


def parse_sheet(table):
    """Every row as a Person, or AttendanceFileError listing every bad row."""
    people, errors = [], []
    first_row = {}  # ("id", hash) / ("phone", e164) / ("user", pk) -> (row, name)
    for number, cells, problems in body_rows(table, HEADER, AttendanceFileError):
        row_errors = [(problem.code, problem.message) for problem in problems]
        name, id_number, phone = cells[: len(HEADER)]
        person = None
        if not name:
            row_errors.append(("empty_name", _("“姓名” is empty.")))
        elif NUMBER_IN_NAME.search(name):
            # Most likely an ID-card number in the wrong column: reported, never repeated.
            row_errors.append(
                (
                    "number_in_name",
                    _("“姓名” holds a number; are the columns in the order 姓名,证件号码,手机号?"),
                )
            )
            name = ""
        try:
            person = identify_person(name=name, id_number=id_number, phone=phone)
        except ValidationError as exc:
            # The name's absence is reported above, once.
            row_errors.extend(p for p in _problems(exc) if p[0] != "empty_name")
        if person is not None and name:
            duplicate = _duplicate(person, number, name, first_row)
            if duplicate:
                row_errors.append(duplicate)
        errors.extend(RowError(number, code, message, name) for code, message in row_errors)
        if not row_errors:
            people.append(person)

    if errors:
        raise AttendanceFileError(errors)
    if not people:
        raise AttendanceFileError([RowError(None, "empty_file", _("The sheet has no one on it."))])
    return people


def session_for_sheet(*, course, date, hours, venue, start=DEFAULT_START):
    """The session a sheet recorded afterwards is for: (session, created).

    Found by course, date, village and start time, so the same options twice find the
    same session; otherwise created, ending ``hours`` after ``start``, without an
    instructor. Raises ValidationError if the hours do not fit the day, or differ from
    those of the session found.
    """
    hours = Decimal(hours)
    if hours <= 0:
        raise ValidationError(_("Hours must be more than zero."), code="hours")
    begin = datetime.datetime.combine(date, start)
    end = begin + datetime.timedelta(hours=float(hours))
    if end.date() != date:
        raise ValidationError(
            _("A class of %(hours)s hours starting at %(start)s would end after midnight.")
            % {"hours": hours, "start": f"{start:%H:%M}"},
            code="hours",
        )
    session = ClassSession.objects.filter(
        course=course, date=date, venue=venue, start_time=start
    ).first()
    if session is None:
        session = ClassSession(
            course=course,
            date=date,
            start_time=start,
            end_time=end.time(),
            venue=venue,
            hours=hours,
        )
        session.full_clean()
        session.save()
        return session, True
    if session.hours != hours:
        raise ValidationError(
            _(
                "Session %(id)d of this course on that day and at that village already "
                "exists with %(hours)s hours, not %(asked)s."
            )
            % {"id": session.pk, "hours": session.hours, "asked": hours},
            code="hours_differ",
        )
    return session, False


def _duplicate(person, number, name, first_row):
    """(code, message) if an earlier row has the same ID, phone or account, else None."""
    for key, code, message in (
        (("id", person.id_number_hash), "duplicate_id_number", DUPLICATE_ID),
        (("phone", person.phone), "duplicate_phone", DUPLICATE_PHONE),
        (("user", person.user and person.user.pk), "duplicate_account", DUPLICATE_ACCOUNT),
    ):
        if not key[1]:
            continue
        row, earlier_name = first_row.setdefault(key, (number, name))
        if row != number:
            return code, _(message) % {"row": row, "name": earlier_name}
    return None


def _problems(exc):
    """(code, message) for each error in a ValidationError, fields in the sheet's order."""
    if not hasattr(exc, "error_dict"):
        return [(error.code, next(iter(error))) for error in exc.error_list]
    order = ["name", "id_number", "phone", NON_FIELD_ERRORS]
    found = []
    for field in sorted(exc.error_dict, key=order.index):
        found.extend((error.code, next(iter(error))) for error in exc.error_dict[field])
    return found
