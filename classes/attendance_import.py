"""Importing a class's sign-in sheet (签到表): who attended, by name, ID-card number, phone.

Many classes are recorded only afterwards, from the paper sheet typed into a
spreadsheet. Columns are found by heading, in any order; the others a sign-in sheet
carries (序号, 签名, 村 …) are ignored. 证件号码 and 手机号 may each be absent or empty,
but every person needs one of them. ID numbers may be the old 15 digits (accounts.idcard).

The whole sheet is checked before anything is written; a person already recorded at the
session is left as they are, so importing the same sheet twice changes nothing. The
ID-card number never appears in a message: rows are named by their number and the
person's name. Error codes, besides the sheet layer's (sheets.checks.SheetError):
number_in_name, bad_id_number, bad_phone, no_id_or_phone, conflicting_accounts,
duplicate_id_number, duplicate_phone, duplicate_account.
"""

import dataclasses
import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.idcard import normalize_id_number
from accounts.phone import normalize_mobile
from sheets.checks import SheetError, file_error
from sheets.columns import Column, Layout
from sheets.importing import write_all_or_nothing
from sheets.reading import read_table
from sheets.results import ImportResult

from .attendance import identify_person, record_attendance
from .models import Attendance, ClassSession

LAYOUT = Layout(
    (
        Column("name", "姓名", ("学员姓名",)),
        Column(
            "id_number",
            "证件号码",
            ("身份证号码", "身份证号", "公民身份号码"),
            optional=True,
            blank=True,
        ),
        Column("phone", "手机号", ("联系电话", "手机号码"), optional=True, blank=True),
    ),
    name_key="name",
)
NUMBER_IN_NAME = re.compile(r"\d{4}")

# A class recorded afterwards from a sheet is taken to start at 09:00, unless told.
DEFAULT_START = datetime.time(9, 0)


def import_attendance(source, session, *, by=None, dry_run=False) -> ImportResult:
    """Record everyone on the sheet (a path, or an upload) as attending ``session``.

    Raises SheetError, having written nothing, if any row is bad.
    """
    people = parse_sheet(read_table(source))
    return write_all_or_nothing(lambda: record_people(session, people, by=by), dry_run=dry_run)


def record_people(session, people, *, by=None) -> ImportResult:
    """Record each person at ``session``; the caller runs this in a transaction."""
    result = ImportResult()
    tally = result.tally("attendances", gettext_lazy("Attendances"))
    for person in people:
        _attendance, created = record_attendance(
            session, person, method=Attendance.Method.SHEET, by=by
        )
        if created:
            tally.created += 1
        else:
            tally.unchanged += 1
    with_account = sum(1 for person in people if person.user is not None)
    result.notes.append(
        _("%(count)d of them have an account on the site.") % {"count": with_account}
    )
    return result


def parse_sheet(table):
    """Every row as a Person, or SheetError listing every bad row."""
    checks = LAYOUT.rows(table)
    if not any("id_number" in check.values or "phone" in check.values for check in checks):
        raise file_error(
            "missing_column",
            _("The sheet needs a column “证件号码” or “手机号”: each person needs one of them."),
        )
    people, errors = [], []
    seen = {"id_number": {}, "phone": {}, "user": {}}
    for check in checks:
        if NUMBER_IN_NAME.search(check["name"]):
            _number_in_name(check)
        check.length("name", Attendance, "name")
        number = (
            check.parsed("id_number", normalize_id_number, "bad_id_number")
            if check["id_number"]
            else None
        )
        phone = check.parsed("phone", normalize_mobile, "bad_phone") if check["phone"] else None
        if not check["id_number"] and not check["phone"]:
            check.problem("no_id_or_phone", _("Give an ID-card number or a mobile number."))
        if check.ok:
            person = _person(check, number, phone)
            if person is not None and _first_time(check, person, seen):
                people.append(person)
        errors.extend(check.errors)
    if errors:
        raise SheetError(errors)
    return people


def _number_in_name(check):
    """Most likely an ID-card number in the wrong column: reported, never repeated, and
    no longer the row's name in any message."""
    check.name = ""
    check.errors = [dataclasses.replace(error, name="") for error in check.errors]
    check.column_problem(
        "number_in_name",
        "name",
        _("holds a number; is an ID-card or mobile number under the wrong heading?"),
    )


def _person(check, number, phone):
    """The Person of a checked row, linked to their account; None (and a problem) if the
    ID-card number and the phone belong to two accounts."""
    try:
        return identify_person(name=check["name"], id_number=number or "", phone=phone or "")
    except ValidationError as exc:
        errors = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
        for error in (error for field_errors in errors for error in field_errors):
            check.problem(error.code, error.messages[0])
        return None


def _first_time(check, person, seen) -> bool:
    """Whether no earlier row has the same ID, phone or account (else a problem)."""
    for key, value, code in (
        ("id_number", person.id_number_hash, "duplicate_id_number"),
        ("phone", person.phone, "duplicate_phone"),
    ):
        if not check.once(key, value, seen[key], code=code):
            return False
    if person.user is None:
        return True
    first_row, first_name = seen["user"].setdefault(person.user.pk, (check.number, check.name))
    if first_row == check.number:
        return True
    check.problem(
        "duplicate_account",
        _("Same account as row %(row)d (%(name)s).") % {"row": first_row, "name": first_name},
    )
    return False


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
