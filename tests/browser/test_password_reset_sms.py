"""A trainee who forgot their password resets it on the phone with a texted code."""

import re

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

OLD_PASSWORD = "Yunfu-2026-pass"
NEW_PASSWORD = "Qingshan-2027-yun"

MAKE_TRAINEE = f"""
from accounts.models import User
User.objects.filter(phone="+8613700009001").delete()
User.objects.create_user("13700009001", "{OLD_PASSWORD}", real_name="罗秀英", phone_verified=True)
"""


def sms_code_for(server, masked_phone: str) -> str:
    lines = [line for line in server.log_text().splitlines() if f"SMS to {masked_phone}:" in line]
    assert lines, f"no SMS to {masked_phone} in the server log"
    return re.findall(r"\d{6}", lines[-1].split(":", 3)[-1])[-1]


def test_reset_by_sms_on_a_phone(phone, server):
    server.manage("shell", "-c", MAKE_TRAINEE)
    phone.goto("/accounts/login/")
    phone.get_by_role("link", name="忘记密码？用短信验证码重设").click()
    phone.wait_for_url("**/accounts/password/reset/")
    assert_fits_phone_width(phone)
    phone.get_by_label("手机号码").fill("137-0000-9001")
    screenshot(phone, "reset-1-number")
    phone.get_by_role("button", name="发送验证码").click()

    phone.wait_for_url("**/accounts/login/code/confirm/**")
    assert phone.get_by_text("137****9001").first.is_visible()
    phone.get_by_label("验证码").fill(sms_code_for(server, "137****9001"))
    screenshot(phone, "reset-2-code")
    phone.get_by_role("button", name="确认").click()

    phone.wait_for_url("**/accounts/password/reset/new/")
    assert_fits_phone_width(phone)
    phone.locator("#id_new_password1").fill(NEW_PASSWORD)
    phone.locator("#id_new_password2").fill(NEW_PASSWORD)
    screenshot(phone, "reset-3-new-password")
    phone.get_by_role("button", name="保存新密码").click()
    phone.wait_for_url("**/accounts/profile/")
    assert phone.get_by_text("您的新密码已设置好").is_visible()

    phone.locator(".site-header").get_by_role("button").click()
    phone.goto("/accounts/login/")
    phone.get_by_label("手机号码").fill("13700009001")
    phone.locator("#id_password").fill(NEW_PASSWORD)
    phone.locator("main").get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(r"/$"))
    assert phone.locator(".site-header").get_by_text("罗秀英").is_visible()
    screenshot(phone, "reset-4-logged-in")
