"""Rate limits count per person, not per proxy: behind the README's nginx every request
reaches gunicorn from 127.0.0.1, so the client's address is read from X-Forwarded-For,
counting TRUSTED_PROXY_COUNT entries from the right (the ones our proxies wrote); what
the client wrote to the left of them is ignored."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.client_address import client_address
from accounts.models import User

from .factories import UserFactory

PASSWORD = "Yunfu-2026-pass"
PROXY = "127.0.0.1"  # nginx on the same machine, as the README runs it


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def request_from(remote_addr, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(PROXY, "203.0.113.7")) == "203.0.113.7"


def test_a_forged_prefix_does_not_change_the_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged = "198.51.100.1, 198.51.100.2,203.0.113.7"
    assert client_address(request_from(PROXY, forged)) == "203.0.113.7"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    """A CDN in front of nginx: the CDN wrote the client, nginx wrote the CDN."""
    settings.TRUSTED_PROXY_COUNT = 2
    header = "198.51.100.1, 203.0.113.7, 192.0.2.10"
    assert client_address(request_from(PROXY, header)) == "203.0.113.7"


def test_ipv6_entries_are_read_too(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(PROXY, "2001:db8::1")) == "2001:db8::1"


@pytest.mark.parametrize("header", [None, "", "not-an-address", "203.0.113.7, garbage"])
def test_a_request_that_did_not_come_through_the_proxy_counts_as_its_peer(settings, header):
    """No header, or no address where our proxy writes one, means the request reached the
    app some other way: its peer is the only address nobody could have forged."""
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("203.0.113.9", header)) == "203.0.113.9"


def test_fewer_entries_than_trusted_proxies_counts_as_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("192.0.2.10", "203.0.113.7")) == "192.0.2.10"


def test_allauth_counts_its_limits_on_the_same_address(settings):
    from allauth.account.adapter import get_adapter

    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from(PROXY, "198.51.100.1, 203.0.113.7")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.7"


# Through the site, as two villagers in different places reach it through one nginx.


def behind_the_proxy(forwarded_for):
    return Client(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": forwarded_for})


def sign_up(client, phone):
    return client.post(
        reverse("account_signup"),
        {"phone": phone, "real_name": "学员", "password1": PASSWORD, "password2": PASSWORD},
    )


def wrong_password(client, phone):
    return client.post(reverse("account_login"), {"login": phone, "password": "wrong-guess"})


@pytest.mark.django_db
def test_sign_ups_behind_the_proxy_are_capped_per_client_not_site_wide(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/10m/ip"}
    assert sign_up(behind_the_proxy("203.0.113.1"), "13700000401").status_code == 302
    assert sign_up(behind_the_proxy("203.0.113.1"), "13700000402").status_code == 302
    assert sign_up(behind_the_proxy("203.0.113.1"), "13700000403").status_code == 429

    assert sign_up(behind_the_proxy("203.0.113.2"), "13700000404").status_code == 302
    assert User.objects.filter(phone="+8613700000404").exists()


@pytest.mark.django_db
def test_one_clients_failed_logins_do_not_lock_out_the_next_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "5/5m/key,5/10m/ip",
    }
    UserFactory(phone="+8613700000411")
    guesser = behind_the_proxy("203.0.113.1")
    for n in range(5):
        wrong_password(guesser, f"1370000042{n}")
    guesser.post(reverse("account_login"), {"login": "13700000411", "password": PASSWORD})
    assert not guesser.session.get("_auth_user_id"), "the guesser's address is at its limit"

    villager = behind_the_proxy("203.0.113.2")
    response = villager.post(
        reverse("account_login"), {"login": "13700000411", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert villager.session.get("_auth_user_id")


@pytest.mark.django_db
def test_a_forged_forwarded_for_prefix_does_not_escape_the_limit(settings):
    """nginx appends the real address; whatever the client sent stays on the left."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/10m/ip"}
    statuses = [
        sign_up(behind_the_proxy(f"198.51.100.{n}, 203.0.113.1"), f"1370000043{n}").status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 429, 429]


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/10m/ip"}
    statuses = [
        sign_up(behind_the_proxy(f"203.0.113.{n}"), f"1370000044{n}").status_code for n in range(3)
    ]
    assert statuses == [302, 302, 429]
