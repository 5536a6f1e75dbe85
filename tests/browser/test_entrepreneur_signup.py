"""A returning graduate signs up on a phone and registers as an entrepreneur (带头人)."""

import re

import pytest

from tests.browser.test_signup_phone import sms_code_for
from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

NEXT_JOIN = re.compile(r"\?next=(/|%2F)mentors(/|%2F)join(/|%2F)$")


def options(select):
    return [text.strip() for text in select.locator("option").all_inner_texts()]


def test_a_returning_graduate_signs_up_and_registers_on_a_phone(phone, server):
    phone.goto("/")
    call = phone.locator(".entrepreneur-call")
    assert call.get_by_text("返乡创业？").is_visible()
    screenshot(phone, "entrepreneur-0-home")
    call.get_by_role("link", name="登记成为带头人").click()

    # Not logged in: the login page, whose sign-up link keeps the way back to the form.
    phone.wait_for_url(NEXT_JOIN)
    assert "/accounts/login/" in phone.url
    phone.locator(".card-form.account").get_by_role("link", name="注册").click()
    phone.wait_for_url(NEXT_JOIN)
    assert "/accounts/signup/" in phone.url
    phone.get_by_label("手机号码").fill("139 2345 6789")
    phone.get_by_label("真实姓名").fill("黄小梅")
    phone.locator("#id_password1").fill("Yunfu-2026-pass")
    phone.locator("#id_password2").fill("Yunfu-2026-pass")
    phone.get_by_role("button", name="注册").click()
    phone.wait_for_url("**/accounts/phone/verify/")
    phone.locator("#id_code").fill(sms_code_for(server, "139****6789"))
    phone.get_by_role("button", name="确认").click()

    phone.wait_for_url("**/mentors/join/")
    assert phone.get_by_label("真实姓名").input_value() == "黄小梅"
    assert_fits_phone_width(phone)
    screenshot(phone, "entrepreneur-1-form")

    # School and year only for graduates.
    phone.get_by_label("返乡务工人员").check()
    assert not phone.locator("#id_school").is_visible()
    phone.get_by_label("返乡大学生").check()
    assert phone.locator("#id_school").is_visible()

    # A first try without the school.
    phone.locator("#id_graduation_year").fill("2021")
    phone.get_by_label("沙糖桔").check()
    phone.get_by_label("想法阶段").check()
    phone.get_by_label("抖音").check()
    needs = "想在抖音上卖自家的沙糖桔，不会拍视频，也不懂怎么发快递。"
    phone.locator("#id_needs").fill(needs)
    phone.locator("#id_households_helped").fill("3")
    phone.get_by_role("button", name="保存并登记").click()

    school = phone.locator("#field-school")
    assert school.locator(".errorlist").inner_text() == "请填写毕业院校。"
    assert school.locator("#id_school").is_visible()
    assert phone.locator("#id_needs").input_value() == needs
    assert phone.locator("#id_graduation_year").input_value() == "2021"
    assert phone.get_by_label("沙糖桔").is_checked()
    assert phone.get_by_label("抖音").is_checked()
    assert phone.get_by_label("返乡大学生").is_checked()
    assert_fits_phone_width(phone)
    screenshot(phone, "entrepreneur-2-error")

    phone.locator("#id_school").fill("云浮职业技术学院")

    # The chained pickers: each list narrows to the choice above it.
    county, town, village = (
        phone.locator(f"#id_{level}") for level in ("county", "town", "village")
    )
    county.select_option(label="罗定市")
    towns = options(town)
    assert "罗镜镇" in towns and "六祖镇" not in towns
    town.select_option(label="罗镜镇")
    villages = options(village)
    assert "水摆村委会" in villages and "杨绿村委会" not in villages
    village.select_option(label="水摆村委会")
    # Changing the county empties the choices below it.
    county.select_option(label="新兴县")
    assert town.input_value() == "" and village.input_value() == ""
    assert "罗镜镇" not in options(town)
    county.select_option(label="罗定市")
    town.select_option(label="罗镜镇")
    village.select_option(label="水摆村委会")
    screenshot(phone, "entrepreneur-3-place")
    phone.get_by_role("button", name="保存并登记").click()

    phone.wait_for_url("**/mentors/me/")
    assert phone.get_by_text("资料已填写完整").is_visible()
    assert phone.locator(".steps .current").get_by_text("等待匹配帮带专家").is_visible()
    summary = phone.locator(".entrepreneur-summary")
    for text in (
        "黄小梅",
        "13923456789",
        "返乡大学生",
        "云浮职业技术学院",
        "水摆村委会",
        "沙糖桔",
        needs,
    ):
        assert summary.get_by_text(text).first.is_visible(), text
    assert_fits_phone_width(phone)
    screenshot(phone, "entrepreneur-4-status")

    # The home page now leads back to the profile.
    phone.goto("/")
    phone.locator(".entrepreneur-call").get_by_role("link").click()
    phone.wait_for_url(re.compile(r"/mentors/me/$"))
