"""QR check-in: a signed link to a class session that checks a logged-in trainee in.

The link carries the session's id, signed with a salt of its own (so no other value
this site signs can pass for one) and without a timestamp, so it stays the same for a
printed QR code. It works only from CLASS_CHECKIN_MARGIN_MINUTES (default 30) before the
session starts to as long after it ends, in the site's time zone: a photo of the code
shared later checks no one in.
"""

import datetime

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .attendance import Person, record_attendance
from .models import Attendance, ClassSession

SALT = "classes.checkin"


class CheckinRefused(Exception):
    """The link checks no one in: ``message`` says why, ``status`` is the HTTP answer."""

    def __init__(self, code, message, status):
        self.code = code
        self.message = message
        self.status = status
        super().__init__(message)


def make_checkin_token(session) -> str:
    return signing.Signer(salt=SALT).sign_object({"session": session.pk})


def checkin_url(session, request) -> str:
    """The absolute link for the QR code, on the host the instructor's page was served from."""
    return request.build_absolute_uri(
        reverse("classes:checkin", kwargs={"token": make_checkin_token(session)})
    )


def checkin_qr_svg(url) -> str:
    """The link as a QR code, an inline SVG that scales to its box."""
    code = qrcode.QRCode(border=2, image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(url)
    return code.make_image().to_string(encoding="unicode")


def checkin_window(session) -> tuple[datetime.datetime, datetime.datetime]:
    """When the session's link works: (opens, closes), aware, in the site's time zone."""
    margin = datetime.timedelta(minutes=settings.CLASS_CHECKIN_MARGIN_MINUTES)
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(session.date, session.start_time, tzinfo=zone)
    end = datetime.datetime.combine(session.date, session.end_time, tzinfo=zone)
    return start - margin, end + margin


def session_for_token(token, now=None) -> ClassSession:
    """The session a link checks in to, if it is genuine and open at ``now``.

    Raises CheckinRefused otherwise.
    """
    try:
        session_id = signing.Signer(salt=SALT).unsign_object(token)["session"]
        session = ClassSession.objects.select_related("course", "venue__town__county").get(
            pk=session_id
        )
    except (signing.BadSignature, ValueError, TypeError, KeyError, ClassSession.DoesNotExist):
        raise CheckinRefused(
            "bad_link",
            _(
                "This check-in link is not valid. Scan the QR code your instructor shows "
                "again, or ask them to check you in."
            ),
            400,
        ) from None

    now = now or timezone.now()
    opens, closes = checkin_window(session)
    if now < opens:
        raise CheckinRefused(
            "not_open_yet",
            _("Check-in for this class opens at %(time)s.") % {"time": _local(opens)},
            403,
        )
    if now > closes:
        raise CheckinRefused(
            "closed",
            _("Check-in for this class closed at %(time)s.") % {"time": _local(closes)},
            403,
        )
    return session


def check_in(user, token, now=None) -> tuple[Attendance, bool]:
    """Check ``user`` in to the link's session: (attendance, created).

    A second check-in (or one after being put on a sheet or marked) returns the
    attendance already there, with created False. Raises CheckinRefused.
    """
    session = session_for_token(token, now)
    return record_attendance(session, Person.of_user(user), method=Attendance.Method.QR, by=user)


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
