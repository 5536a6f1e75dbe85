"""Bureau staff on a phone: the coverage report, county → town → village, the records
behind a village's person-times, and one member's full data. No sideways scroll."""

import re

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

ADMIN = "13800000000"
PASSWORD = "yunfu-demo-2026"

# A demonstration county with twelve poor villages whose long names must wrap on a
# phone; in village n, n % 4 of its four members attended today's class.
SETUP = """
import datetime
from decimal import Decimal
from accounts.idcard import check_digit, id_number_hash, mask_id_number
from classes.models import Attendance, ClassSession
from courses.models import CoursePage
from coverage.idcrypt import encrypt_id_number
from coverage.models import RegistryMember
from regions.models import County, Town, Village

county, _ = County.objects.get_or_create(name="浏览器测试示范县", is_demonstration=True)
town, _ = Town.objects.get_or_create(county=county, name="覆盖率测试镇")
course = CoursePage.objects.live().first()
for v in range(12):
    village, _ = Village.objects.get_or_create(
        town=town, name=f"很长很长名字的测试行政村第{v}村", is_provincial_poor=True
    )
    session = ClassSession.objects.create(
        course=course, date=datetime.date.today(), start_time=datetime.time(9),
        end_time=datetime.time(12), venue=village, hours=Decimal("3"),
    )
    for m in range(4):
        first17 = f"445302{1980 + v}0101{m:03d}"
        number = first17 + check_digit(first17)
        person, _ = RegistryMember.objects.get_or_create(
            id_number_hash=id_number_hash(number),
            defaults=dict(
                village=village, household_id=f"H{v}", name=f"黄小梅{v}{m}",
                id_number_masked=mask_id_number(number),
                id_number_encrypted=encrypt_id_number(number),
                relation_to_head="户主", labour_category="普通劳动力", work_status="",
            ),
        )
        if m < v % 4:
            Attendance.objects.create(
                session=session, name=person.name, id_number_hash=person.id_number_hash,
                id_number_masked=person.id_number_masked, method="sheet",
            )
"""


def log_in(page):
    page.get_by_label("手机号码").fill(ADMIN)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def test_bureau_drills_down_the_report_on_a_phone(phone, server):
    server.manage("shell", "-c", SETUP)
    phone.goto("/coverage/")
    phone.wait_for_url(re.compile(r"/accounts/login/\?next=/coverage/"))
    log_in(phone)
    phone.wait_for_url("**/coverage/")
    assert phone.get_by_role("heading", name="培训覆盖率", exact=True).is_visible()
    assert phone.locator(".coverage-chart .bars li").count() >= 1
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-1-counties")

    phone.locator(".coverage-table").get_by_role("link", name="浏览器测试示范县").click()
    phone.wait_for_url(re.compile(r"/coverage/county/\d+/\?start="))
    assert_fits_phone_width(phone)
    phone.locator(".coverage-table").get_by_role("link", name="覆盖率测试镇").click()
    phone.wait_for_url(re.compile(r"/coverage/town/\d+/\?start="))
    # Twelve villages, a bar each against the dashed 50% line.
    assert phone.locator(".coverage-chart .bars li").count() == 12
    assert phone.locator(".coverage-chart .target-line").first.is_visible()
    assert phone.get_by_text("未达标").first.is_visible()
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-2-villages")

    # 第3村: three of four trained today, 75%.
    row = phone.locator(".coverage-table tbody tr", has_text="很长很长名字的测试行政村第3村")
    assert "75.0%" in row.inner_text()
    row.locator('td[data-label="培训人次"] a').click()
    phone.wait_for_url(re.compile(r"/coverage/village/\d+/records/\?start="))
    assert phone.locator(".unit-list li").count() == 3
    assert "4453**********" in phone.locator(".unit-list").inner_text()
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-3-records")

    phone.get_by_role("link", name="显示完整姓名和身份证号").first.click()
    phone.wait_for_url(re.compile(r"/coverage/members/\d+/"))
    assert re.search(r"4453021983\d{8}", phone.locator(".member-facts").inner_text())
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-4-member")


def test_the_report_renders_with_a_bad_period_on_a_phone(phone):
    phone.goto("/coverage/?start=2026-06-01&end=2026-05-01")
    if "/accounts/login/" in phone.url:
        log_in(phone)
        phone.wait_for_url("**/coverage/**")
    assert phone.locator("#id_end-error").is_visible()
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-5-bad-period")
