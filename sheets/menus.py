"""A CMS menu entry for one kind of sheet, for the app that imports it to put in its menu."""

from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet


class SheetUploadMenu(ViewSet):
    """Leads to the kind's upload page; shown to those who may upload it."""

    icon = "upload"

    def __init__(self, kind, **kwargs):
        self.kind = kind
        super().__init__(name=f"{kind.slug}-upload", menu_label=kind.title, **kwargs)

    @property
    def menu_url(self):
        return reverse("sheets:upload", args=[self.kind.slug])

    @property
    def menu_item_class(self):
        kind = self.kind

        def is_shown(_self, request):
            return kind.allows(request.user)

        return type("SheetUploadMenuItem", (MenuItem,), {"is_shown": is_shown})
