"""The CMS screens for class sessions, with the sign-in sheet upload beside them."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .forms import ClassSessionForm
from .models import ClassSession


class ClassSessionViewSet(ModelViewSet):
    """Instructors create and edit their own sessions; course managers see all of them."""

    model = ClassSession
    icon = "group"
    menu_label = _("Offline classes")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "classes/sessions"
    url_namespace = "class_sessions"
    # A copy would start from another instructor's session; a new one is as quick.
    copy_view_enabled = False
    index_view_class = admin_views.ClassSessionIndexView
    edit_view_class = admin_views.ClassSessionEditView
    delete_view_class = admin_views.ClassSessionDeleteView
    history_view_class = admin_views.ClassSessionHistoryView
    usage_view_class = admin_views.ClassSessionUsageView
    list_display = [
        "course",
        "date",
        "start_time",
        "venue",
        "hours",
        "instructor",
        Column("attendance_count", label=_("Attended")),
    ]
    list_filter = ["date"]
    search_fields = ["course__title", "venue__name", "venue__town__name"]
    ordering = ["-date", "-start_time"]
    edit_handler = ObjectList(
        [
            FieldPanel("course"),
            FieldPanel("date"),
            FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
            FieldPanel("venue"),
            FieldPanel("hours"),
            FieldPanel("instructor"),
        ],
        base_form_class=ClassSessionForm,
    )


@hooks.register("register_admin_viewset")
def register_class_session_viewset():
    return ClassSessionViewSet("class_sessions")
