"""The page where a phone user types the texted code."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts import sms

PASSWORD = "Yunfu-2026-pass"


@pytest.fixture(autouse=True)
def _empty_outbox_and_cache():
    sms.outbox.clear()
    cache.clear()


@pytest.mark.django_db
def test_the_code_page_brings_up_the_number_pad_and_offers_the_texted_code(client):
    client.post(
        reverse("account_signup"),
        {"phone": "13700000201", "real_name": "梁嘉", "password1": PASSWORD, "password2": PASSWORD},
    )
    page = client.get(reverse("account_verify_phone")).content.decode()
    code_input = re.search(r'<input[^>]*name="code"[^>]*>', page).group()
    assert 'inputmode="numeric"' in code_input
    assert 'autocomplete="one-time-code"' in code_input
    assert "验证码" in page
    assert "重新发送验证码" in page
    assert "代码" not in page
    assert "138****" not in page and "137****0201" in page, "the number is shown masked"
    # The first submit button on the page (the one Enter presses) is the primary confirm.
    first_button = re.search(r"<button[^>]*>[^<]*</button>", page[page.index("<main") :]).group()
    assert 'class="primary"' in first_button and "确认" in first_button
    assert "重新发送验证码（__SECONDS__ 秒）" in page, "the countdown's wording"
