"""A class's sign-in sheet (签到表), as a kind of the shared CMS upload (sheets).

An upload is for one session, named in the upload page's address (``?session=ID``):
only those who run the session (its instructor, or a course manager) may upload for
it or see the upload's report, as with the session itself. Once the import is done,
the instructor following it lands on the session's attendee list.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from sheets.kinds import SheetKind, register

from .attendance_import import LAYOUT, import_attendance
from .models import ClassSession


def session_of(user, options):
    try:
        pk = int(options.get("session", ""))
    except (TypeError, ValueError):
        raise Http404 from None
    session = ClassSession.objects.for_user(user).filter(pk=pk).select_related("course").first()
    if session is None:
        raise Http404
    return session


def _options(user, query):
    return {"session": session_of(user, query).pk}


def _describe(options):
    session = (
        ClassSession.objects.select_related("course", "venue").filter(pk=options["session"]).first()
    )
    return str(session) if session else ""


def _session_page(options) -> str:
    """A finished import leads back to the session's attendee list."""
    return reverse("classes:session", args=[options["session"]])


def _import(source, *, dry_run, progress, options, user):
    session = ClassSession.objects.get(pk=options["session"])
    return import_attendance(source, session, by=user, dry_run=dry_run)


ATTENDANCE_SHEET = register(
    SheetKind(
        slug="attendance",
        title=gettext_lazy("Import a sign-in sheet"),
        layout=LAYOUT,
        run=_import,
        permission="classes.change_classsession",
        notes=(
            gettext_lazy(
                "Everyone on the sheet is recorded as attending the session. People already "
                "recorded are left as they are, so importing a sheet again changes nothing."
            ),
            gettext_lazy(
                "Each person needs an ID-card number (18 digits, or the old 15) or a mobile "
                "number; people with an account on the site are recognised by either. "
                "Other columns, such as 序号 or 签名, are ignored."
            ),
        ),
        options_for=_options,
        describe=_describe,
        landing=_session_page,
    )
)
