"""CMS menu items shown by role: the one way an app gates its menu entries.

Each view behind an item checks its own permission as well, so hiding the item is a
courtesy and a URL typed by hand gets no further.
"""

from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet


class RoleMenuItem(MenuItem):
    """A menu item shown only to users that ``shown_to(user)`` lets in."""

    def __init__(self, label, url, *, shown_to, **kwargs):
        super().__init__(label, url, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return bool(self.shown_to(request.user))


class RoleMenuViewSet(ViewSet):
    """A viewset whose menu item only users ``menu_shown_to(user)`` lets in see."""

    def menu_shown_to(self, user) -> bool:
        raise NotImplementedError

    def get_menu_item(self, order=None):
        return RoleMenuItem(
            self.menu_label,
            self.menu_url,
            shown_to=self.menu_shown_to,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
        )
