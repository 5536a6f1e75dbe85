"""The instructor's session page (QR code, marking, attendance list) and the QR check-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.phone import mask_mobile
from sheets.models import SheetUpload

from .checkin import (
    CheckinRefused,
    check_in,
    checkin_qr_svg,
    checkin_url,
    checkin_window,
    session_for_token,
)
from .forms import MarkAttendanceForm
from .marking import mark_attendance
from .models import ClassSession
from .sheet_kinds import ATTENDANCE_SHEET

RECENT_SHEETS = 5


def _session_run_by(user, pk):
    """The session, if ``user`` runs it; 404 otherwise, so others cannot tell it exists."""
    sessions = ClassSession.objects.for_user(user).select_related(
        "course", "venue__town__county", "instructor"
    )
    return get_object_or_404(sessions, pk=pk)


@login_required
def session_page(request, pk):
    session = _session_run_by(request.user, pk)
    form = MarkAttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendance, created = mark_attendance(session, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            name = {"name": attendance.name}
            if created:
                messages.success(request, _("%(name)s is marked present.") % name)
            else:
                messages.info(request, _("%(name)s was already recorded.") % name)
            return redirect("classes:session", pk=session.pk)

    link = checkin_url(session, request)
    opens, closes = checkin_window(session)
    attendances = [
        {"attendance": a, "phone": mask_mobile(a.phone) if a.phone else ""}
        for a in session.attendances.order_by("recorded_at")
    ]
    return render(
        request,
        "classes/session.html",
        {
            "session": session,
            "checkin_link": link,
            # The SVG is drawn by the qrcode library from our own URL: no user text in it.
            "qr_svg": mark_safe(checkin_qr_svg(link)),
            "opens": opens,
            "closes": closes,
            "now": timezone.now(),
            "attendances": attendances,
            "form": form,
            # The sign-in sheets imported for it, each with its report.
            "sheet_uploads": SheetUpload.objects.filter(
                kind=ATTENDANCE_SHEET.slug, options={"session": session.pk}
            )[:RECENT_SHEETS],
        },
    )


@require_POST
@login_required
def remove_attendance(request, pk, attendance_pk):
    session = _session_run_by(request.user, pk)
    attendance = get_object_or_404(session.attendances, pk=attendance_pk)
    attendance.delete()
    name = {"name": attendance.name}
    messages.success(request, _("%(name)s was removed from this class.") % name)
    return redirect("classes:session", pk=session.pk)


@login_required
def checkin(request, token):
    """GET shows the class and a button; POST checks in (a prefetched link changes nothing)."""
    try:
        if request.method == "POST":
            attendance, created = check_in(request.user, token)
            return render(
                request,
                "classes/checkin_done.html",
                {"session": attendance.session, "attendance": attendance, "created": created},
            )
        session = session_for_token(token)
    except CheckinRefused as refusal:
        return render(
            request, "classes/checkin_refused.html", {"refusal": refusal}, status=refusal.status
        )
    already = session.attendances.filter(user=request.user).exists()
    return render(request, "classes/checkin.html", {"session": session, "already": already})
