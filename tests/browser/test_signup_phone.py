import re

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser


def sms_code_for(server, masked_phone: str) -> str:
    """The code as the default SMS backend wrote it to the server's log."""
    lines = [line for line in server.log_text().splitlines() if f"SMS to {masked_phone}:" in line]
    assert lines, f"no SMS to {masked_phone} in the server log"
    return re.findall(r"\d{6}", lines[-1].split(":", 3)[-1])[-1]


def test_sign_up_by_phone_on_a_phone(phone, server):
    phone.goto("/")
    phone.get_by_role("link", name="注册").first.click()
    phone.wait_for_url("**/accounts/signup/")
    assert_fits_phone_width(phone)
    phone.get_by_label("手机号码").fill("139 1234 5678")
    phone.get_by_label("真实姓名").fill("黄小梅")
    phone.locator("#id_password1").fill("Yunfu-2026-pass")
    phone.locator("#id_password2").fill("Yunfu-2026-pass")
    screenshot(phone, "signup-1-form")
    phone.get_by_role("button", name="注册").click()

    phone.wait_for_url("**/accounts/phone/verify/")
    assert_fits_phone_width(phone)
    phone.locator("#id_code").fill(sms_code_for(server, "139****5678"))
    screenshot(phone, "signup-2-code")
    phone.get_by_role("button", name="确认").click()

    phone.wait_for_url(re.compile(r"/$"))
    assert phone.locator(".site-header").get_by_text("黄小梅").is_visible()
    screenshot(phone, "signup-3-done")


def test_a_bad_number_gets_a_chinese_error_and_keeps_what_was_typed(phone):
    phone.goto("/accounts/signup/")
    phone.get_by_label("手机号码").fill("12345")
    phone.get_by_label("真实姓名").fill("黄小梅")
    phone.locator("#id_password1").fill("Yunfu-2026-pass")
    phone.locator("#id_password2").fill("Yunfu-2026-pass")
    phone.get_by_role("button", name="注册").click()
    assert phone.get_by_text("请输入有效的中国大陆手机号码").is_visible()
    assert phone.get_by_label("真实姓名").input_value() == "黄小梅"
    screenshot(phone, "signup-bad-number")
