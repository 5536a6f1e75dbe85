"""Rate limits that fit a classroom: keyed on the phone number, a high ceiling per address,
and a Chinese 429 page saying when to try again wherever a limit is reached."""

import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import sms
from accounts.models import User

from .factories import UserFactory

PASSWORD = "Yunfu-2026-pass"


@pytest.fixture(autouse=True)
def _empty_outbox_and_cache():
    sms.outbox.clear()
    cache.clear()


def sign_up(client, phone, name="学员"):
    return client.post(
        reverse("account_signup"),
        {"phone": phone, "real_name": name, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.fixture
def clock(monkeypatch):
    """Moves time.time() forward (allauth's counters read it) by ``clock.tick(seconds)``."""

    class Clock:
        offset = 0.0

        def tick(self, seconds):
            self.offset += seconds

    clock = Clock()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + clock.offset)
    return clock


def code_in(message):
    return re.search(r"\d{6}", message).group()


@pytest.mark.django_db
def test_a_class_of_sixty_signs_up_from_one_address_within_minutes():
    """One village Wi-Fi: every sign-up comes from the same address (the test client's)."""
    for n in range(60):
        client = Client()
        phone = f"+86137000{n:05d}"
        response = sign_up(client, phone[3:], name=f"学员{n}")
        assert response.status_code == 302, f"sign-up {n + 1} got {response.status_code}"
        _, message = sms.outbox[-1]
        response = client.post(response["Location"], {"code": code_in(message)})
        assert response.status_code == 302, f"verification {n + 1} got {response.status_code}"
    assert User.objects.filter(phone_verified=True).count() == 60


@pytest.mark.django_db
def test_sending_codes_past_the_per_number_limit_gets_the_chinese_429_page(client):
    """Signing up a taken number texts its owner; the second text within 30 s is refused."""
    UserFactory(phone="+8613700000001")
    first = sign_up(client, "13700000001")
    assert first.status_code == 302
    response = sign_up(Client(), "13700000001")
    assert response.status_code == 429
    page = response.content.decode()
    assert "请求过于频繁" in page
    assert re.search(r"请在 \d+ 秒后再试", page), page
    assert len(sms.outbox) == 1, "no second text to the number"


@pytest.mark.django_db
def test_an_unverified_user_logging_in_twice_within_30_seconds_gets_429_not_500(client):
    UserFactory(phone="+8613700000002", phone_verified=False)
    data = {"login": "13700000002", "password": PASSWORD}
    first = client.post(reverse("account_login"), data)
    assert first["Location"] == reverse("account_verify_phone")
    second = Client().post(reverse("account_login"), data)
    assert second.status_code == 429
    assert re.search(r"请在 \d+ 秒后再试", second.content.decode())


@pytest.mark.django_db
def test_the_429_page_counts_minutes_for_the_hourly_limit(clock):
    """Five texts an hour to one number: the sixth waits for the oldest to age out."""
    UserFactory(phone="+8613700000003")
    for _ in range(5):
        assert sign_up(Client(), "13700000003").status_code == 302
        clock.tick(31)
    response = sign_up(Client(), "13700000003")
    assert response.status_code == 429
    # The first text went out 5 × 31 s ago: the hour frees it in about 58 minutes.
    assert "请在 58 分钟后再试" in response.content.decode()


@pytest.mark.django_db
def test_wrong_passwords_for_one_number_do_not_lock_out_another(client):
    """allauth keyed failed logins on email or username: with phones every number shared
    one key, and five typos anywhere locked everyone out."""
    UserFactory(phone="+8613700000004")
    UserFactory(phone="+8613700000005")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "13700000004", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "13700000005", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_the_per_address_ceiling_still_ends_in_the_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/10m/ip"}
    sign_up(client, "13700000006")
    other = Client()
    sign_up(other, "13700000007")
    response = sign_up(Client(), "13700000008")
    assert response.status_code == 429
    assert "请在 10 分钟后再试" in response.content.decode()
    assert not User.objects.filter(phone="+8613700000008").exists()
