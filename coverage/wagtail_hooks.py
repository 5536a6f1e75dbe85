"""The CMS's 建档立卡 menu: the registry members (read only) and the registry upload;
and the menu's links to the coverage report (培训覆盖率) and its audit log.

The upload itself is the shared sheet upload (sheets), for the kind registered here."""

import django_filters
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from common.menus import RoleMenuItem
from regions.models import County
from sheets.kinds import SheetKind, register
from sheets.menus import SheetUploadMenu

from . import registry_import
from .access import may_see_audit_log, may_see_report
from .models import CountyOfficer, RegistryMember


def _import_registry(source, *, dry_run, progress, options, user):
    return registry_import.import_registry(source, dry_run=dry_run, progress=progress)


REGISTRY_SHEET = register(
    SheetKind(
        slug="registry",
        title=_("Upload the registry"),
        layout=registry_import.LAYOUT,
        run=_import_registry,
        permission="coverage.add_registrymember",
        notes=(
            _(
                "The national system's export (全国扶贫开发信息系统) imports as it comes, one "
                "county per file or several; so does the nine-column sheet."
            ),
            _(
                "A file replaces only its own counties: their members are matched by ID-card "
                "number (18 digits, or the old 15), new ones added, changed ones updated, and "
                "those the file no longer lists made inactive. Other counties are untouched."
            ),
            _(
                "Villages are matched however their committee is written: 牧羊村, "
                "牧羊村委会 and 牧羊村民委员会 are one village."
            ),
        ),
    )
)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Members come only from the poverty-alleviation office's file: nobody edits them here."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


register_permission_policy(RegistryMember, ReadOnlyPermissionPolicy(RegistryMember))


class RegistryMemberFilterSet(WagtailFilterSet):
    county = django_filters.ModelChoiceFilter(
        field_name="village__town__county", queryset=County.objects.all(), label=_("county")
    )

    class Meta:
        model = RegistryMember
        fields = ["county", "labour_category", "work_status", "is_active"]


class RegistryMemberIndexView(IndexView):
    def get_base_queryset(self):
        # The list shows each member's village with its town and county.
        return RegistryMember.objects.select_related("village__town__county")


class RegistryMemberViewSet(ModelViewSet):
    model = RegistryMember
    index_view_class = RegistryMemberIndexView
    icon = "user"
    menu_label = _("Registry members")
    url_prefix = "registry/members"
    url_namespace = "registry_members"
    copy_view_enabled = False
    inspect_view_enabled = True
    # The ID-card number itself is never shown here, only its masked form.
    inspect_view_fields = [
        "name",
        "id_number_masked",
        "household_id",
        "village",
        "relation_to_head",
        "labour_category",
        "work_status",
        "is_active",
        "updated_at",
    ]
    # Required by ModelViewSet; the read-only policy refuses every add and edit.
    form_fields = ["name"]
    list_display = [
        "name",
        "id_number_masked",
        "village",
        "labour_category",
        "work_status",
        "is_active",
    ]
    filterset_class = RegistryMemberFilterSet
    search_fields = ["name", "household_id", "village__name", "village__town__name"]


class CountyOfficerViewSet(ModelViewSet):
    """Who is county staff for which county: superusers (or whoever is given the model
    permissions) assign a user of the 县级商务部门 group to their county here."""

    model = CountyOfficer
    icon = "user"
    menu_label = _("County officers")
    url_prefix = "registry/county-officers"
    url_namespace = "county_officers"
    copy_view_enabled = False
    list_display = ["user", "county"]
    list_filter = ["county"]
    form_fields = ["user", "county"]


class RegistryViewSetGroup(ViewSetGroup):
    items = (RegistryMemberViewSet, SheetUploadMenu(REGISTRY_SHEET), CountyOfficerViewSet)
    menu_label = _("Poverty registry")
    # Named in ASCII: a name made from the Chinese label would be empty.
    menu_name = "registry"
    menu_icon = "group"
    menu_order = 320


@hooks.register("register_admin_viewset")
def register_registry_viewsets():
    return RegistryViewSetGroup()


@hooks.register("register_admin_menu_item")
def register_coverage_report_menu_item():
    # The report is a site page, not a CMS one; bureau and county staff reach it from here too.
    return RoleMenuItem(
        _("Training coverage"),
        reverse_lazy("coverage:report"),
        shown_to=may_see_report,
        name="coverage",
        icon_name="table",
        order=330,
    )


@hooks.register("register_admin_menu_item")
def register_audit_log_menu_item():
    return RoleMenuItem(
        _("Personal-data audit log"),
        reverse_lazy("coverage:audit_log"),
        shown_to=may_see_audit_log,
        name="coverage-audit-log",
        icon_name="history",
        order=331,
    )
