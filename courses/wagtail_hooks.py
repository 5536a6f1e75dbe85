from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Track


class TrackViewSet(SnippetViewSet):
    model = Track
    icon = "list-ul"
    menu_label = _("Tracks")
    list_display = ["name", "slug", "sort_order"]
    ordering = ["sort_order", "name"]
    search_fields = ["name", "description"]


class CourseSnippetGroup(SnippetViewSetGroup):
    """The catalog's reference data, under one 'Courses' item in the admin menu."""

    items = (TrackViewSet,)
    menu_icon = "folder-open-inverse"
    menu_label = _("Courses")
    menu_name = "courses"


register_snippet(CourseSnippetGroup)
