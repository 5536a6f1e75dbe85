"""The CMS screens for counties, towns and villages, under one 地区 menu."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import County, Town, Village


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
        fields = ["county", "is_provincial_poor", "has_service_point"]


class VillageViewSet(SnippetViewSet):
    model = Village
    icon = "home"
    # A town shows as county + town name, so the county need not be a column of its own.
    list_display = ["name", "town", "is_provincial_poor", "has_service_point"]
    filterset_class = VillageFilterSet
    search_fields = ["name", "town__name", "town__county__name"]

    def get_queryset(self, request):
        return Village.objects.with_places()


class RegionsViewSetGroup(SnippetViewSetGroup):
    items = (CountyViewSet, TownViewSet, VillageViewSet)
    menu_label = _("Regions")
    menu_icon = "globe"
    menu_order = 300


register_snippet(RegionsViewSetGroup)
