import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classes.attendance_import import (
    DEFAULT_START,
    LAYOUT,
    import_attendance,
    session_for_sheet,
)
from classes.models import ClassSession
from courses.models import CoursePage
from regions.places import VillageFinder
from sheets.commands import SheetImportCommand

SLASHES = re.compile(r"[/／]")


class Command(SheetImportCommand):
    what = gettext_lazy(
        "Import a class's sign-in sheet (each person needs an ID-card number or a mobile "
        "number) into the session --session ID, or into the session of --course SLUG "
        "--date YYYY-MM-DD --hours H --village 县/镇/村, which is created if it does not "
        "exist (starting at --start, 09:00 by default, and ending H hours later; the same "
        "options again find the same session). People already recorded are left as they are."
    )
    layout = LAYOUT

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--session", type=int, help=_("Id of an existing class session."))
        parser.add_argument("--course", help=_("Slug of the course's page."))
        parser.add_argument("--date", help=_("Day of the class, YYYY-MM-DD."))
        parser.add_argument("--hours", help=_("Study hours the class counts, e.g. 3 or 2.5."))
        parser.add_argument("--village", help=_("Where the class was held: 县/镇/村."))
        parser.add_argument("--start", help=_("Start time of the class, HH:MM (default 09:00)."))

    def run_import(self, path, *, dry_run, **options):
        # One transaction: a bad sheet, or a dry run, takes a session created for it too.
        with transaction.atomic():
            session, created = self._session(options)
            result = import_attendance(path, session, dry_run=dry_run)
            if dry_run:
                transaction.set_rollback(True)
        if created and dry_run:
            self.stdout.write(
                _("A class session would be created: %(session)s.") % {"session": session}
            )
        elif created:
            self.stdout.write(
                _("Created class session %(id)d: %(session)s.")
                % {"id": session.pk, "session": session}
            )
        return result

    def _session(self, options):
        described = [options[name] for name in ("course", "date", "hours", "village")]
        if options["session"] is not None:
            if any(value is not None for value in [*described, options["start"]]):
                raise CommandError(_("Give either --session or --course/--date/--hours/--village."))
            session = ClassSession.objects.filter(pk=options["session"]).first()
            if session is None:
                raise CommandError(
                    _("There is no class session %(id)d.") % {"id": options["session"]}
                )
            return session, False
        if any(value is None for value in described):
            raise CommandError(
                _("Give --session, or all of --course, --date, --hours and --village.")
            )
        try:
            return session_for_sheet(
                course=_course(options["course"]),
                date=_date(options["date"]),
                hours=_hours(options["hours"]),
                venue=_village(options["village"]),
                start=_start(options["start"]),
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc


def _course(slug):
    courses = list(CoursePage.objects.filter(slug=slug)[:2])
    if not courses:
        raise CommandError(_("There is no course with the slug “%(slug)s”.") % {"slug": slug})
    if len(courses) > 1:
        raise CommandError(
            _("More than one course has the slug “%(slug)s”; use --session.") % {"slug": slug}
        )
    return courses[0]


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("“%(value)s” is not a date like 2026-05-20.") % {"value": text}
        ) from None


def _hours(text):
    try:
        hours = Decimal(text)
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite() or hours <= 0:
        raise CommandError(_("--hours must be a number of hours above zero, e.g. 3 or 2.5."))
    return hours


def _village(path):
    """The village of ``县/镇/村``, its names compared as regions.places does."""
    parts = [part.strip() for part in SLASHES.split(path)]
    if len(parts) != 3:
        raise CommandError(
            _("There is no village “%(path)s”; write it as 县/镇/村, e.g. 罗定市/罗镜镇/水摆村.")
            % {"path": path}
        )
    village, problem = VillageFinder().find(*parts)
    if problem:
        raise CommandError(
            _("--village %(path)s: %(problem)s") % {"path": path, "problem": problem[1]}
        )
    return village


def _start(text):
    if text is None:
        return DEFAULT_START
    try:
        return datetime.time.fromisoformat(text)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a time like 09:00.") % {"value": text}) from None
