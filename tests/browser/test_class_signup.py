"""A training class signs up together from one address (one village Wi-Fi).

Every browser here reaches the server from 127.0.0.1, as a class behind one hotspot
does; before the limits were keyed on the number, the 4th sign-up in a minute got a 500.
"""

import re

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

CLASS_SIZE = 40
PASSWORD = "Yunfu-2026-pass"


def sms_code_for(server, masked_phone: str) -> str:
    """The code as the default SMS backend wrote it to the server's log."""
    lines = [line for line in server.log_text().splitlines() if f"SMS to {masked_phone}:" in line]
    assert lines, f"no SMS to {masked_phone} in the server log"
    return re.findall(r"\d{6}", lines[-1].split(":", 3)[-1])[-1]


def sign_up_on_a_phone(page, server, number: str, name: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("手机号码").fill(number)
    page.get_by_label("真实姓名").fill(name)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/accounts/phone/verify/")
    page.get_by_label("验证码").fill(sms_code_for(server, f"{number[:3]}****{number[-4:]}"))
    page.get_by_role("button", name="确认").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator(".site-header").get_by_text(name).is_visible(), name


def test_a_class_of_forty_signs_up_from_one_address(browser, server):
    for n in range(CLASS_SIZE):
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
            base_url=server.url,
        )
        page = context.new_page()
        sign_up_on_a_phone(page, server, f"137000010{n:02d}", f"学员{n + 1}号")
        if n == CLASS_SIZE - 1:
            assert_fits_phone_width(page)
            screenshot(page, "class-signup-40th")
        context.close()
    assert "RateLimited" not in server.log_text()
    assert '" 500 ' not in server.log_text()


def test_the_code_page_is_made_for_a_phone(phone, server):
    phone.goto("/accounts/signup/")
    phone.get_by_label("手机号码").fill("13700001100")
    phone.get_by_label("真实姓名").fill("梁嘉")
    phone.locator("#id_password1").fill(PASSWORD)
    phone.locator("#id_password2").fill(PASSWORD)
    phone.get_by_role("button", name="注册").click()
    phone.wait_for_url("**/accounts/phone/verify/")
    code = phone.get_by_label("验证码")
    assert code.get_attribute("inputmode") == "numeric"
    assert code.get_attribute("autocomplete") == "one-time-code"
    resend = phone.locator("#resend-code")
    assert resend.is_disabled()
    assert re.fullmatch(r"重新发送验证码（\d+ 秒）", resend.inner_text())
    assert_fits_phone_width(phone)
    screenshot(phone, "code-page-countdown")
    # Enter in the code field submits the code (the primary button), not a resend.
    code.fill(sms_code_for(server, "137****1100"))
    code.press("Enter")
    phone.wait_for_url(re.compile(r"/$"))
    assert phone.locator(".site-header").get_by_text("梁嘉").is_visible()


def test_texting_one_number_too_often_shows_the_chinese_429_page(browser, server):
    """The number already has an account: each sign-up attempt texts its owner, and a
    second text within 30 s is refused with the wait in Chinese, never a 500."""
    for attempt in range(2):
        context = browser.new_context(locale="zh-CN", base_url=server.url)
        page = context.new_page()
        page.goto("/accounts/signup/")
        page.get_by_label("手机号码").fill("13700001000")
        page.get_by_label("真实姓名").fill("冒名")
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="注册").click()
        if attempt == 1:
            assert posted.value.status == 429
            assert page.get_by_role("heading", name="请求过于频繁").is_visible()
            assert re.search(r"请在 \d+ 秒后再试", page.content())
            screenshot(page, "rate-limited-429")
        context.close()
