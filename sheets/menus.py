"""A CMS menu entry for one kind of sheet, for the app that imports it to put in its menu."""

from django.urls import reverse

from common.menus import RoleMenuViewSet


class SheetUploadMenu(RoleMenuViewSet):
    """Leads to the kind's upload page; shown to those who may upload it."""

    icon = "upload"

    def __init__(self, kind, **kwargs):
        self.kind = kind
        super().__init__(name=f"{kind.slug}-upload", menu_label=kind.title, **kwargs)

    @property
    def menu_url(self):
        return reverse("sheets:upload", args=[self.kind.slug])

    def menu_shown_to(self, user) -> bool:
        return self.kind.allows(user)
