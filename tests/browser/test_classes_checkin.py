"""An offline class: the instructor creates a session in the CMS and shows its QR code;
a trainee opens the check-in link on a phone, logs in, confirms and is checked in."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from tests.support import PHONE, assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "yunfu-demo-2026"
INSTRUCTOR = "13800000001"
TRAINEE = "13800000003"


def log_in(page, number):
    page.get_by_label("手机号码").fill(number)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def happening_now():
    """Today and a start and end time around now, in the site's time zone."""
    now = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
    start = max(now - datetime.timedelta(hours=1), now.replace(hour=0, minute=0))
    end = min(now + datetime.timedelta(hours=2), now.replace(hour=23, minute=59))
    return f"{now:%Y-%m-%d}", f"{start:%H:%M}", f"{end:%H:%M}"


def test_instructor_shows_a_qr_code_and_a_trainee_checks_in_on_a_phone(browser, server):
    desk = browser.new_context(locale="zh-CN", base_url=server.url)
    instructor = desk.new_page()
    instructor.goto("/cms/classes/sessions/new/")
    instructor.wait_for_url(re.compile(r"/accounts/login/\?next="))
    log_in(instructor, INSTRUCTOR)
    instructor.wait_for_url("**/cms/classes/sessions/new/")

    # An instructor's session is their own: there is no instructor field to fill.
    assert instructor.locator("#id_instructor").count() == 0
    day, start, end = happening_now()
    instructor.locator("#id_course").select_option(index=1)
    for field, value in (("date", day), ("start_time", start), ("end_time", end)):
        instructor.locator(f"#id_{field}").fill(value)
        instructor.locator("#header-title").click()  # closes the field's picker
    instructor.locator("#id_venue").select_option(index=1)
    instructor.locator("#id_hours").fill("2")
    instructor.get_by_role("button", name="创建").click()
    instructor.wait_for_url("**/cms/classes/sessions/", wait_until="domcontentloaded")
    screenshot(instructor, "classes-0-cms-sessions")

    session_ids = [
        int(match.group(1))
        for href in instructor.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        if (match := re.search(r"/classes/sessions/(\d+)/$", href))
    ]
    assert session_ids, "no link to the session page in the CMS listing"
    instructor.goto(f"/classes/sessions/{max(session_ids)}/")
    qr = instructor.locator(".qr svg")
    assert qr.is_visible()
    assert qr.bounding_box()["width"] > 150
    assert instructor.get_by_text("正在签到").is_visible()
    screenshot(instructor, "classes-1-session-qr")
    link = instructor.locator("#checkin-link").get_attribute("data-checkin-link")
    assert link.startswith(server.url + "/classes/checkin/")

    mobile = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", base_url=server.url
    )
    trainee = mobile.new_page()
    trainee.goto(link)
    trainee.wait_for_url(re.compile(r"/accounts/login/\?next=/classes/checkin/"))
    log_in(trainee, TRAINEE)
    trainee.wait_for_url(link)
    assert trainee.get_by_role("heading", name="培训签到").is_visible()
    assert_fits_phone_width(trainee)
    screenshot(trainee, "classes-2-confirm")

    trainee.get_by_role("button", name="确认签到").click()
    assert trainee.get_by_role("heading", name="签到成功").is_visible()
    assert_fits_phone_width(trainee)
    screenshot(trainee, "classes-3-checked-in")

    instructor.reload()
    assert instructor.locator(".attendance-list").get_by_text("李学员").is_visible()
    assert instructor.get_by_text("已签到 1 人").is_visible()
    screenshot(instructor, "classes-4-attended")

    mobile.close()
    desk.close()
