"""Phone sign-up and login through allauth, with the code delivered by the SMS backend."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts import sms
from accounts.models import User

from .factories import UserFactory

PASSWORD = "Yunfu-2026-pass"


@pytest.fixture(autouse=True)
def _empty_outbox_and_cache():
    sms.outbox.clear()
    cache.clear()


def sign_up(client, phone="138 0013 8000", name="张三"):
    return client.post(
        reverse("account_signup"),
        {"phone": phone, "real_name": name, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.mark.django_db
def test_sign_up_by_phone_sends_a_six_digit_code_and_verifies_it(client):
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.phone == "+8613800138000"
    assert user.real_name == "张三"
    assert not user.phone_verified

    assert len(sms.outbox) == 1
    phone, message = sms.outbox[0]
    assert phone == "+8613800138000"
    code = re.fullmatch(r".*?(\d{6})\D*", message).group(1)

    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified


@pytest.mark.django_db
def test_a_wrong_code_does_not_verify_the_phone(client):
    response = sign_up(client)
    _, message = sms.outbox[0]
    real = re.search(r"\d{6}", message).group()
    wrong = f"{(int(real) + 1) % 1_000_000:06d}"
    client.post(response["Location"], {"code": wrong})
    assert not User.objects.get().phone_verified


@pytest.mark.django_db
def test_sign_up_with_a_bad_number_shows_a_chinese_error_beside_the_field(client):
    response = sign_up(client, phone="12345")
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert "请输入有效的中国大陆手机号码" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signing_up_a_taken_number_creates_nothing_and_tells_the_owner(client):
    """allauth hides whether a number is registered; the owner gets a text instead."""
    owner = UserFactory(phone="+8613800138000")
    sign_up(client, phone="13800138000", name="冒名者")
    assert User.objects.count() == 1
    owner.refresh_from_db()
    assert owner.real_name != "冒名者"
    assert [phone for phone, _ in sms.outbox] == ["+8613800138000"]
    assert not re.search(r"\d{6}", sms.outbox[0][1]), "no verification code for a taken number"


@pytest.mark.django_db
def test_login_by_phone_as_typed_and_password(client):
    UserFactory(phone="+8613800138000")
    response = client.post(
        reverse("account_login"), {"login": "138 0013 8000", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(phone="+8613800138000")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "13800138000", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "13800138000", "password": PASSWORD})
    assert not client.session.get("_auth_user_id"), "the right password must wait out the limit"
    assert response.status_code in (200, 429)


@pytest.mark.django_db
def test_wagtail_admin_login_goes_through_allauth(client):
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
