"""Finding the coverage report: the site header's link for bureau and county staff (and
no cost for anyone else), and the CMS menu's items for the report and its audit log."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser, Permission
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coverage.access import may_see_report, may_see_report_in_one_query
from coverage.models import CountyOfficer
from coverage.roles import BUREAU, COUNTY_STAFF
from tests.accounts.factories import UserFactory
from tests.coverage.conftest import staff

REPORT = "/coverage/"
# Tables only the header link's question reads: a page for an anonymous visitor must
# not touch them.
ROLE_TABLES = ("auth_user_groups", "coverage_countyofficer")


def header_links(html: str) -> dict[str, dict]:
    """The site header's links, by href."""
    nav = BeautifulSoup(html, "html.parser").select_one("header .site-nav")
    return {a["href"]: a.attrs | {"text": a.get_text(strip=True)} for a in nav.select("a")}


def render_link(user, path="/courses/"):
    request = RequestFactory().get(path)
    request.user = user
    return Template("{% load coverage_tags %}{% coverage_link %}").render(
        Context({"request": request})
    )


@pytest.fixture
def page_url(db):
    """A page of the site with the header, open to everyone: the course catalogue."""
    return "/courses/"


@pytest.mark.parametrize("role", ["bureau", "officer"])
def test_the_header_links_bureau_and_county_staff_to_the_report(client, page_url, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(page_url)
    assert response.status_code == 200
    link = header_links(response.content.decode())[REPORT]
    assert link["text"] == "培训覆盖率"
    assert "aria-current" not in link


@pytest.mark.parametrize("role", ["trainee", "instructor", "other_group_user"])
def test_the_header_has_no_report_link_for_anyone_else(client, page_url, request, role):
    if role == "other_group_user":
        # In the county staff group, but assigned no county: sees no county, so no link.
        user = staff(COUNTY_STAFF)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(page_url)
    assert response.status_code == 200
    assert REPORT not in header_links(response.content.decode())
    assert "培训覆盖率" not in response.content.decode()


def test_an_anonymous_visitor_sees_no_link_and_costs_no_role_query(client, page_url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url)
    assert response.status_code == 200
    assert REPORT not in header_links(response.content.decode())
    role_queries = [q["sql"] for q in queries if any(t in q["sql"] for t in ROLE_TABLES)]
    assert role_queries == []


def test_the_link_costs_no_query_for_an_anonymous_visitor(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert render_link(AnonymousUser()) == ""


@pytest.mark.parametrize("role", ["bureau", "officer", "trainee"])
def test_the_link_costs_one_query_for_a_logged_in_user(
    db, django_assert_num_queries, request, role
):
    user = request.getfixturevalue(role)
    with django_assert_num_queries(1):
        render_link(user)


def test_the_link_costs_no_query_for_a_superuser(db, django_assert_num_queries):
    user = UserFactory(is_superuser=True)
    with django_assert_num_queries(0):
        assert REPORT in render_link(user)


def test_the_link_is_marked_current_on_the_report_pages(bureau):
    assert 'aria-current="page"' in render_link(bureau, REPORT)
    assert 'aria-current="true"' in render_link(bureau, "/coverage/town/3/")
    assert "aria-current" not in render_link(bureau, "/courses/")


def _roles(places):
    """Every kind of user the report's access rule distinguishes, by name."""
    county = places["demo"]
    officer_without_group = UserFactory()
    CountyOfficer.objects.create(user=officer_without_group, county=county)
    return {
        "bureau": staff(BUREAU),
        "officer": staff(COUNTY_STAFF, county),
        "county group, no county": staff(COUNTY_STAFF),
        "county row, no group": officer_without_group,
        "inactive bureau": staff(BUREAU, is_active=False),
        "inactive officer": staff(COUNTY_STAFF, places["v2"].town.county, is_active=False),
        "superuser": UserFactory(is_superuser=True),
        "trainee": UserFactory(),
        "anonymous": AnonymousUser(),
    }


def test_the_one_query_rule_agrees_with_the_report_access_rule(places):
    roles = _roles(places)
    answers = {name: may_see_report_in_one_query(user) for name, user in roles.items()}
    assert answers == {name: may_see_report(user) for name, user in roles.items()}
    # And the rule itself is not trivially the same answer for everyone.
    assert answers["bureau"] and answers["officer"] and answers["superuser"]
    assert not answers["trainee"] and not answers["county group, no county"]


def sidebar_items(html: str) -> dict[str, dict]:
    """The CMS sidebar's menu items (top level and in submenus), by name."""
    props = json.loads(BeautifulSoup(html, "html.parser").select_one("#wagtail-sidebar-props").text)
    items = {}

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args") or [None]
            if isinstance(args[0], dict) and isinstance(args[0].get("name"), str):
                items[args[0]["name"]] = args[0]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return items


def test_the_cms_menu_links_the_bureau_to_the_report_and_the_audit_log(client, bureau):
    client.force_login(bureau)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    items = sidebar_items(response.content.decode())
    assert items["coverage"]["url"] == REPORT
    assert items["coverage"]["label"] == "培训覆盖率"
    assert items["coverage-audit-log"]["url"] == reverse("coverage:audit_log")


def test_the_cms_menu_offers_the_report_but_not_the_audit_log_to_county_staff(client, officer):
    # County staff are given no CMS access by their group; one who is (say, to edit
    # courses) finds the report in the menu, but not the bureau's audit log.
    officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(officer)
    items = sidebar_items(client.get(reverse("wagtailadmin_home")).content.decode())
    assert items["coverage"]["url"] == REPORT
    assert "coverage-audit-log" not in items


def test_the_cms_menu_has_no_report_for_other_cms_users(client, instructor):
    client.force_login(instructor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    items = sidebar_items(response.content.decode())
    assert items  # the menu is there, with other items
    assert "coverage" not in items and "coverage-audit-log" not in items
