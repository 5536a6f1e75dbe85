"""The CMS screens for counties, towns and villages, under one 地区 menu."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sheets.kinds import SheetKind, register
from sheets.menus import SheetUploadMenu

from .importing import LAYOUT, import_regions
from .models import County, Town, Village


def _import_regions(source, *, dry_run, progress, options, user):
    return import_regions(source, dry_run=dry_run, sync=options.get("sync", False))


def _sync_option(user, query):
    """``?sync=1``: the file is the full list for its counties (see import_regions)."""
    return {"sync": True} if str(query.get("sync", "")) in ("1", "True", "true") else {}


def _describe(options):
    if options.get("sync"):
        return _("The full list: villages of its counties it does not list will be made inactive.")
    return ""


REGIONS_SHEET = register(
    SheetKind(
        slug="regions",
        title=_("Import regions"),
        layout=LAYOUT,
        run=_import_regions,
        permission="regions.add_village",
        notes=(
            _(
                "The statistics bureau's list (县(市、区),乡(镇),行政村) imports as it is; "
                "flag columns, where present, set the flags (是 or 否, an empty cell is 否), "
                "and where absent leave them as they are."
            ),
            _(
                "Villages are matched however their committee is written (牧羊村 = "
                "牧羊村委会 = 牧羊村民委员会) and renamed to the file's spelling, keeping their "
                "records; a 原名称 column renames a village explicitly."
            ),
            _(
                "To make villages no longer on the official list inactive, upload the full "
                "list through “Import the full list” instead: the check lists them before "
                "anything changes."
            ),
        ),
        options_for=_sync_option,
        describe=_describe,
        variants=((_("Import the full list"), "sync=1"),),
    )
)


class CountyViewSet(SnippetViewSet):
    model = County
    icon = "globe"
    list_display = ["name", "is_demonstration"]
    list_filter = ["is_demonstration"]
    search_fields = ["name"]


class TownViewSet(SnippetViewSet):
    model = Town
    icon = "site"
    list_display = ["name", "county"]
    list_filter = ["county"]
    search_fields = ["name", "county__name"]

    def get_queryset(self, request):
        return Town.objects.select_related("county")


class VillageFilterSet(WagtailFilterSet):
    # A village has no county of its own; staff still think county first.
    county = django_filters.ModelChoiceFilter(
        field_name="town__county", queryset=County.objects.all(), label=_("county")
    )

    class Meta:
        model = Village
        fields = ["county", "is_provincial_poor", "has_service_point", "is_active"]


class VillageViewSet(SnippetViewSet):
    model = Village
    icon = "home"
    # A town shows as county + town name, so the county need not be a column of its own.
    list_display = ["name", "town", "is_provincial_poor", "has_service_point", "is_active"]
    filterset_class = VillageFilterSet
    search_fields = ["name", "town__name", "town__county__name"]

    def get_queryset(self, request):
        return Village.objects.with_places()


class RegionsViewSetGroup(SnippetViewSetGroup):
    items = (CountyViewSet, TownViewSet, VillageViewSet, SheetUploadMenu(REGIONS_SHEET))
    menu_label = _("Regions")
    menu_icon = "globe"
    menu_order = 300


register_snippet(RegionsViewSetGroup)
