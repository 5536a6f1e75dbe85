"""The CMS's 帮带匹配 menu: matching runs with their proposals, and the mentoring groups.

Shown only to users with the matching permissions (the 帮带管理员 group, superusers); each
view checks its own permission as well, so a URL typed by hand gets no further.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from common.menus import RoleMenuViewSet

from . import admin_views


class PermissionShownViewSet(RoleMenuViewSet):
    """A viewset whose menu item only users allowed to open it see."""

    permission_policy = None
    permission_required = "view"

    def menu_shown_to(self, user) -> bool:
        return self.permission_policy.user_has_permission(user, self.permission_required)


class RunViewSet(PermissionShownViewSet):
    icon = "resubmit"
    menu_label = _("Matching runs")
    url_prefix = "matching/runs"
    url_namespace = "matching_runs"
    permission_policy = admin_views.run_policy

    def get_urlpatterns(self):
        return [
            path("", admin_views.RunIndexView.as_view(), name="index"),
            path("start/", admin_views.StartRunView.as_view(), name="start"),
            path("<int:pk>/", admin_views.RunView.as_view(), name="run"),
            path(
                "<int:pk>/approve-above/",
                admin_views.ApproveAboveView.as_view(),
                name="approve_above",
            ),
            path(
                "<int:pk>/proposals/<int:proposal>/approve/",
                admin_views.ApproveView.as_view(),
                name="approve",
            ),
            path(
                "<int:pk>/proposals/<int:proposal>/reject/",
                admin_views.RejectView.as_view(),
                name="reject",
            ),
            path(
                "<int:pk>/proposals/<int:proposal>/change-expert/",
                admin_views.ChangeExpertView.as_view(),
                name="change_expert",
            ),
        ]


class GroupViewSet(PermissionShownViewSet):
    icon = "group"
    menu_label = _("Mentoring groups")
    url_prefix = "matching/groups"
    url_namespace = "matching_groups"
    permission_policy = admin_views.group_policy

    def get_urlpatterns(self):
        return [
            path("", admin_views.GroupIndexView.as_view(), name="index"),
            path("<int:pk>/remind/", admin_views.RemindView.as_view(), name="remind"),
        ]


class MatchingViewSetGroup(ViewSetGroup):
    items = (RunViewSet, GroupViewSet)
    menu_label = _("Mentor matching")
    # Named in ASCII: a name made from the Chinese label would be empty.
    menu_name = "matching"
    menu_icon = "resubmit"
    menu_order = 340


@hooks.register("register_admin_viewset")
def register_matching_viewsets():
    return MatchingViewSetGroup()
