"""The CMS screens for class sessions, with the sign-in sheet upload beside them, and the
ID-card number claims waiting for staff (course managers)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from common.menus import RoleMenuViewSet

from . import admin_views, id_claim_views
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


class IdNumberClaimViewSet(RoleMenuViewSet):
    """身份证号认领: claims no class record proves, for staff to confirm or reject."""

    icon = "user"
    menu_label = _("ID-card number claims")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "classes/id-claims"
    url_namespace = "id_number_claims"

    def menu_shown_to(self, user) -> bool:
        return id_claim_views.claim_policy.user_has_permission(user, "change")

    def get_urlpatterns(self):
        return [
            path("", id_claim_views.ClaimIndexView.as_view(), name="index"),
            path(
                "<int:pk>/confirm/",
                id_claim_views.DecideClaimView.as_view(confirm=True),
                name="confirm",
            ),
            path(
                "<int:pk>/reject/",
                id_claim_views.DecideClaimView.as_view(confirm=False),
                name="reject",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_id_number_claim_viewset():
    return IdNumberClaimViewSet("id_number_claims")
