"""Password reset and phone-number change by a code texted to the phone; no email anywhere."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import sms

from .factories import UserFactory

NEW_PASSWORD = "Qingshan-2027-yun"


@pytest.fixture(autouse=True)
def _empty_outbox_and_cache():
    sms.outbox.clear()
    cache.clear()


def last_code():
    return re.search(r"\d{6}", sms.outbox[-1][1]).group()


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_by_a_code_sent_to_the_phone(client):
    user = UserFactory(phone="+8613700000101", email="")
    response = client.post(reverse("account_reset_password"), {"phone": "137-0000-0101"})
    assert response.status_code == 302
    assert sms.outbox[-1][0] == "+8613700000101"

    response = client.post(response["Location"], {"code": last_code()})
    assert response["Location"] == reverse("account_set_new_password")
    response = client.post(
        reverse("account_set_new_password"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("profile")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session.get("_auth_user_id") == str(user.pk), "still logged in"

    fresh = Client()
    fresh.post(reverse("account_login"), {"login": "13700000101", "password": NEW_PASSWORD})
    assert fresh.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_a_wrong_code_sets_no_password(client):
    user = UserFactory(phone="+8613700000102")
    response = client.post(reverse("account_reset_password"), {"phone": "13700000102"})
    wrong = f"{(int(last_code()) + 1) % 1_000_000:06d}"
    response = client.post(response["Location"], {"code": wrong})
    assert response.status_code == 200
    assert "验证码" in response.content.decode()
    assert not client.session.get("_auth_user_id")
    response = client.get(reverse("account_set_new_password"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_a_logged_in_user_cannot_set_a_password_without_a_fresh_code(client):
    user = UserFactory(phone="+8613700000103")
    client.force_login(user)
    response = client.post(
        reverse("account_set_new_password"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("account_reset_password")
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_resetting_an_unknown_number_texts_no_code_and_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"phone": "13700000104"})
    assert response.status_code == 302
    assert not any(re.search(r"\d{6}", message) for _, message in sms.outbox)


@pytest.mark.django_db
def test_the_duplicate_sign_up_text_links_to_the_reset_that_works(client):
    UserFactory(phone="+8613700000105")
    password = "Yunfu-2026-pass"
    client.post(
        reverse("account_signup"),
        {"phone": "13700000105", "real_name": "冒名", "password1": password, "password2": password},
    )
    _, message = sms.outbox[-1]
    url = re.search(r"https?://\S+", message).group()
    assert url.endswith(reverse("account_reset_password"))
    path = url.split("testserver", 1)[1]
    assert Client().get(path).status_code == 200
    assert "找回密码" in Client().get(path).content.decode()


@pytest.mark.django_db
def test_the_profile_links_to_phone_change_and_reset(client):
    client.force_login(UserFactory())
    page = client.get(reverse("profile")).content.decode()
    assert reverse("account_change_phone") in page
    assert reverse("account_reset_password") in page
    assert "更换手机号码" in page


@pytest.mark.django_db
def test_a_new_number_replaces_the_old_one_only_once_its_code_is_entered(client):
    user = UserFactory(phone="+8613700000106")
    client.post(reverse("account_login"), {"login": "13700000106", "password": "Yunfu-2026-pass"})
    response = client.post(reverse("account_change_phone"), {"phone": "137 0000 0107"})
    assert response["Location"] == reverse("account_verify_phone")
    assert sms.outbox[-1][0] == "+8613700000107", "the code goes to the new number"
    user.refresh_from_db()
    assert user.phone == "+8613700000106", "not changed before the code"

    client.post(reverse("account_verify_phone"), {"code": last_code()})
    user.refresh_from_db()
    assert user.phone == "+8613700000107"
    assert user.phone_verified
    assert not user.email


@pytest.mark.django_db
def test_a_logged_in_visitor_to_reset_is_offered_to_log_out_first(client):
    client.force_login(UserFactory())
    response = client.get(reverse("account_reset_password"))
    assert response.status_code == 200
    assert "退出登录" in response.content.decode()


@pytest.mark.django_db
def test_asking_for_a_second_reset_code_within_30_seconds_gets_the_429_page(client):
    UserFactory(phone="+8613700000108")
    client.post(reverse("account_reset_password"), {"phone": "13700000108"})
    response = Client().post(reverse("account_reset_password"), {"phone": "13700000108"})
    assert response.status_code == 429
    assert re.search(r"请在 \d+ 秒后再试", response.content.decode())
    assert len(sms.outbox) == 1


@pytest.mark.django_db
def test_three_wrong_codes_lead_back_to_the_reset_page(client):
    UserFactory(phone="+8613700000109")
    response = client.post(reverse("account_reset_password"), {"phone": "13700000109"})
    confirm_url = response["Location"]
    wrong = f"{(int(last_code()) + 1) % 1_000_000:06d}"
    for _ in range(3):
        response = client.post(confirm_url, {"code": wrong})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "找回密码" in page
