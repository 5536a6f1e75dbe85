"""Staff reach the CMS through the site's login with the number as they type it; password
rules speak Chinese."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import User

from .factories import UserFactory

PASSWORD = "Yunfu-2026-pass"


def log_in_to_the_cms(client, typed, password):
    """The site's login, reached from /cms/ with ?next=/cms/ (Wagtail's own redirects there)."""
    return client.post(
        f"{reverse('account_login')}?next=/cms/", {"login": typed, "password": password}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["13700000301", "137-0000-0301", "+86 137 0000 0301"])
def test_staff_log_in_to_the_cms_with_the_number_as_typed(client, typed):
    UserFactory(phone="+8613700000301", is_staff=True, is_superuser=True)
    response = log_in_to_the_cms(client, typed, PASSWORD)
    assert response["Location"] == "/cms/", typed
    assert client.get("/cms/").status_code == 200


@pytest.mark.django_db
def test_the_cms_login_still_refuses_a_wrong_password(client):
    UserFactory(phone="+8613700000302", is_staff=True)
    response = log_in_to_the_cms(client, "13700000302", "nope")
    assert response.status_code == 200
    assert not client.session.get("_auth_user_id")


@pytest.mark.parametrize(
    "password",
    ["abc", "password", "12345678901", "13700000303", "huangxiaomei"],
)
def test_every_password_rule_is_explained_in_chinese(password):
    user = User(phone="+8613700000303", real_name="huangxiaomei", email="")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    for message in refused.value.messages:
        assert not any(c.isascii() and c.isalpha() for c in message), message


@pytest.mark.django_db
def test_a_short_password_at_sign_up_is_refused_in_chinese(client):
    response = client.post(
        reverse("account_signup"),
        {"phone": "13700000304", "real_name": "黄小梅", "password1": "ab1", "password2": "ab1"},
    )
    assert response.status_code == 200
    assert "密码太短，至少需要 8 个字符" in response.content.decode()
