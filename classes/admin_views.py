"""CMS views for class sessions: Wagtail's generic views, limited to the sessions a user runs.

An instructor (讲师) reaches only their own sessions, a course manager (课程管理员) all:
``ClassSession.objects.for_user``. Another's session is a 404, as if it did not exist.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic import DeleteView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.widgets import Button, ListingButton

from sheets.checks import SheetError

from .attendance_import import import_attendance
from .forms import AttendanceUploadForm
from .models import ClassSession


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
            reverse("class_sessions:import", args=[session.pk]),
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


class AttendanceImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Upload a sign-in sheet for one session; every bad row is listed, nothing written."""

    model = ClassSession
    permission_required = "change"
    form_class = AttendanceUploadForm
    template_name = "classes/admin/import_attendance.html"
    page_title = gettext_lazy("Import a sign-in sheet")
    header_icon = "upload"
    file_error = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.session = get_object_or_404(
            sessions_for(request).select_related("course", "venue"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        index_url = reverse("class_sessions:index")
        edit_url = reverse("class_sessions:edit", args=[self.session.pk])
        return [
            *self.breadcrumbs_items,
            {"url": index_url, "label": ClassSession._meta.verbose_name_plural},
            {"url": edit_url, "label": str(self.session)},
            {"url": "", "label": self.get_page_title()},
        ]

    def form_valid(self, form):
        try:
            result = import_attendance(
                form.cleaned_data["file"], self.session, by=self.request.user
            )
        except SheetError as exc:
            self.file_error = exc
            return self.form_invalid(form)
        messages.success(self.request, str(result))
        return redirect("class_sessions:edit", self.session.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            session=self.session,
            action_url=self.request.path,
            submit_button_label=_("Import"),
            submit_button_active_label=_("Importing…"),
            file_error=self.file_error,
            **kwargs,
        )
