"""Every password form goes through the site's login limits: Wagtail's own login pages
(the CMS's /cms/login/ and the front end's /_util/login/) send people to /accounts/login/,
and a private page's shared password counts its wrong guesses per client address."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from accounts import sms
from accounts.models import User
from courses.models import CatalogPage

from .factories import UserFactory

PASSWORD = "Yunfu-2026-pass"
LOGIN = reverse("account_login")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def sent_to_login(response):
    """Where a redirect to the site's login says to go afterwards (None if not sent there)."""
    location = urlsplit(response["Location"])
    if response.status_code != 302 or location.path != LOGIN:
        return None
    return parse_qs(location.query).get("next", [None])[0]


def guess_then_know(client, url, fields):
    """Thirty wrong passwords, then the right one, as a guesser who finally found it."""
    for n in range(30):
        client.post(url, {**fields, "password": f"guess-{n}"})
    return client.post(url, {**fields, "password": PASSWORD})


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "next_url"), [("/cms/login/", "/cms/"), ("/_util/login/", "/")])
def test_guessing_through_wagtails_login_pages_never_logs_in(client, url, next_url):
    UserFactory(phone="+8613700000501", is_staff=True, is_superuser=True)
    response = guess_then_know(client, url, {"username": "13700000501"})
    assert sent_to_login(response) == next_url
    assert not client.session.get("_auth_user_id")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/cms/login/", "/_util/login/"])
def test_wagtails_login_pages_keep_where_the_visitor_was_going(client, url):
    response = client.get(url, {"next": "/cms/pages/"})
    assert sent_to_login(response) == "/cms/pages/"


@pytest.mark.django_db
def test_an_off_site_next_is_not_passed_on(client):
    response = client.get("/cms/login/", {"next": "https://evil.example/"})
    assert sent_to_login(response) == "/cms/"


@pytest.mark.django_db
def test_staff_reach_the_cms_through_the_sites_login(client):
    UserFactory(phone="+8613700000502", is_staff=True, is_superuser=True)
    to_login = client.get("/cms/")
    assert sent_to_login(to_login) == "/cms/"

    assert client.get(to_login["Location"]).status_code == 200
    logged_in = client.post(
        to_login["Location"], {"login": "137-0000-0502", "password": PASSWORD, "next": "/cms/"}
    )
    assert logged_in["Location"] == "/cms/"
    assert client.get("/cms/").status_code == 200


@pytest.mark.django_db
def test_a_superuser_made_at_the_command_line_confirms_the_number_then_reaches_the_cms(client):
    """createsuperuser leaves the number unverified: the first login texts a code."""
    sms.outbox.clear()
    User.objects.create_superuser("13700000504", PASSWORD, real_name="管理员")
    to_code = client.post(
        f"{LOGIN}?next=/cms/", {"login": "13700000504", "password": PASSWORD, "next": "/cms/"}
    )
    assert to_code["Location"] == reverse("account_verify_phone")
    ((phone, message),) = sms.outbox
    assert phone == "+8613700000504"
    code = re.search(r"\d{6}", message).group()
    assert client.post(to_code["Location"], {"code": code})["Location"] == "/cms/"
    assert client.get("/cms/").status_code == 200


@pytest.mark.django_db
def test_a_page_for_logged_in_users_sends_visitors_to_the_sites_login(client):
    catalog = CatalogPage.objects.get()
    PageViewRestriction.objects.create(page=catalog, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(catalog.url)
    assert sent_to_login(response) == catalog.url


@pytest.mark.django_db
def test_the_sites_login_still_stops_guessing_at_one_number(client):
    UserFactory(phone="+8613700000503")
    response = guess_then_know(client, LOGIN, {"login": "13700000503"})
    assert not client.session.get("_auth_user_id")
    assert "登录失败次数过多" in response.content.decode()


def password_form_url(restriction):
    return reverse(
        "wagtailcore_authenticate_with_password", args=[restriction.pk, restriction.page_id]
    )


def page_is_open(client, url):
    """Served as itself, not as Wagtail's password form (which posts to an action_url)."""
    response = client.get(url)
    assert response.status_code == 200
    return "action_url" not in response.context


@pytest.fixture
def private_catalog(db):
    catalog = CatalogPage.objects.get()
    return PageViewRestriction.objects.create(
        page=catalog, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )


@pytest.mark.django_db
def test_the_right_page_password_opens_the_page(client, private_catalog):
    url = private_catalog.page.url
    response = client.post(
        password_form_url(private_catalog), {"password": PASSWORD, "return_url": url}
    )
    assert response["Location"] == url
    assert page_is_open(client, url)


@pytest.mark.django_db
def test_guessing_a_page_password_is_stopped_with_the_429_page(client, private_catalog):
    url = private_catalog.page.url
    response = guess_then_know(client, password_form_url(private_catalog), {"return_url": url})
    assert response.status_code == 429
    assert "请在 10 分钟后再试" in response.content.decode()
    assert not page_is_open(client, url)


@pytest.mark.django_db
def test_page_password_guesses_count_per_client_behind_the_proxy(settings, private_catalog):
    settings.TRUSTED_PROXY_COUNT = 1
    url = private_catalog.page.url
    guesser = Client(headers={"X-Forwarded-For": "203.0.113.1"})
    limited = guess_then_know(guesser, password_form_url(private_catalog), {"return_url": url})
    assert limited.status_code == 429

    villager = Client(headers={"X-Forwarded-For": "203.0.113.2"})
    response = villager.post(
        password_form_url(private_catalog), {"password": PASSWORD, "return_url": url}
    )
    assert response["Location"] == url
    assert page_is_open(villager, url)


@pytest.mark.django_db
def test_guessing_a_document_collections_password_is_stopped_too(client):
    restriction = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(),
        restriction_type=CollectionViewRestriction.PASSWORD,
        password=PASSWORD,
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    opened = Client().post(url, {"password": PASSWORD, "return_url": "/"})
    assert restriction.accept_request(opened.wsgi_request)

    response = guess_then_know(client, url, {"return_url": "/"})
    assert response.status_code == 429
    assert not restriction.accept_request(response.wsgi_request)
