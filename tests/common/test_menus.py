"""common.menus: CMS menu entries shown by role, for every app that gates one."""

import pytest
from django.test import RequestFactory
from wagtail.admin.menu import admin_menu

from classes.wagtail_hooks import IdNumberClaimViewSet
from common.menus import RoleMenuItem, RoleMenuViewSet
from matching.wagtail_hooks import RunViewSet
from tests.accounts.factories import UserFactory


def request_for(user):
    request = RequestFactory().get("/cms/")
    request.user = user
    return request


@pytest.mark.django_db
def test_an_item_is_shown_to_whom_its_check_lets_in():
    allowed = UserFactory()
    item = RoleMenuItem("名单", "/cms/x/", shown_to=lambda user: user == allowed)
    assert item.is_shown(request_for(allowed))
    assert not item.is_shown(request_for(UserFactory()))


class Gated(RoleMenuViewSet):
    menu_label = "课次"
    menu_url = "/cms/gated/"
    icon = "user"

    def menu_shown_to(self, user):
        return user.is_superuser


@pytest.mark.django_db
def test_a_viewset_item_asks_the_viewset():
    item = Gated("gated").get_menu_item(order=5)
    assert isinstance(item, RoleMenuItem) and item.order == 5 and item.url == "/cms/gated/"
    assert item.is_shown(request_for(UserFactory(is_superuser=True)))
    assert not item.is_shown(request_for(UserFactory()))


@pytest.mark.django_db
def test_the_reports_entries_are_role_menu_items():
    items = {item.name: item for item in admin_menu.registered_menu_items}
    for name in ("coverage", "coverage-audit-log"):
        assert isinstance(items[name], RoleMenuItem), name
        assert not items[name].is_shown(request_for(UserFactory()))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "viewset",
    [IdNumberClaimViewSet("id_number_claims"), RunViewSet("matching_runs")],
    ids=["claims", "matching runs"],
)
def test_the_gated_viewsets_menu_items_are_role_menu_items(viewset):
    item = viewset.get_menu_item()
    assert isinstance(item, RoleMenuItem)
    assert not item.is_shown(request_for(UserFactory()))
    assert item.is_shown(request_for(UserFactory(is_superuser=True)))
