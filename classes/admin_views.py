"""CMS views for class sessions: Wagtail's generic views, limited to the sessions a user runs.

An instructor (讲师) reaches only their own sessions, a course manager (课程管理员) all:
``ClassSession.objects.for_user``. Another's session is a 404, as if it did not exist.
"""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.views.generic import DeleteView, EditView, IndexView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.widgets import Button, ListingButton

from .models import ClassSession
from .sheet_kinds import ATTENDANCE_SHEET


def sessions_for(request):
    return ClassSession.objects.for_user(request.user)


def session_links(session):
    """(label, url, icon) of the session's front-end page (QR code, marking) and its upload."""
    return [
        (
            _("Check-in page and QR code"),
            reverse("classes:session", args=[session.pk]),
            "view",
        ),
        (
            _("Import a sign-in sheet"),
            reverse("sheets:upload", args=[ATTENDANCE_SHEET.slug]) + f"?session={session.pk}",
            "upload",
        ),
    ]


class ClassSessionIndexView(IndexView):
    def get_base_queryset(self):
        return (
            sessions_for(self.request)
            .select_related("course", "venue__town__county", "instructor")
            .annotate(attendance_count=Count("attendances"))
        )

    def get_list_more_buttons(self, instance):
        links = [
            ListingButton(label, url=url, icon_name=icon, priority=30 + number)
            for number, (label, url, icon) in enumerate(session_links(instance))
        ]
        return [*super().get_list_more_buttons(instance), *links]


class ClassSessionEditView(EditView):
    def get_queryset(self):
        return sessions_for(self.request)

    def get_header_more_buttons(self):
        links = [
            Button(label, url=url, icon_name=icon, priority=5 + number)
            for number, (label, url, icon) in enumerate(session_links(self.object))
        ]
        return sorted([*super().get_header_more_buttons(), *links])


class ClassSessionDeleteView(DeleteView):
    def get_queryset(self):
        return sessions_for(self.request)


class ClassSessionHistoryView(HistoryView):
    def get_base_object_queryset(self):
        return sessions_for(self.request)


class ClassSessionUsageView(UsageView):
    def get_base_object_queryset(self):
        return sessions_for(self.request)
