"""Finding the coverage report in a real browser: the header's link for county staff on
a phone (and none for a trainee), the period presets, and the bureau's personal-data
audit log at desktop and phone width. No sideways scroll on a phone."""

import re

import pytest

from tests.support import PHONE, assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

ADMIN = "13800000000"
TRAINEE = "13800000003"
OFFICER = "13900000011"
PASSWORD = "yunfu-demo-2026"
DESKTOP = {"width": 1280, "height": 800}

# A county officer of 罗定市, and sixty audit entries by the admin: a member's page
# opened, and a village's records with names, one a minute (two pages of the log).
SETUP = f"""
import datetime
from django.contrib.auth.models import Group
from django.utils import timezone
from accounts.idcard import check_digit, id_number_hash, mask_id_number
from accounts.models import User
from coverage.idcrypt import encrypt_id_number
from coverage.models import CountyOfficer, PersonalDataView, RegistryMember
from coverage.roles import COUNTY_STAFF
from regions.models import County, Village

officer = User.objects.filter(phone="+86{OFFICER}").first()
if officer is None:
    officer = User.objects.create_user("{OFFICER}", "{PASSWORD}", real_name="罗定县专员",
                                       phone_verified=True)
    officer.groups.add(Group.objects.get(name=COUNTY_STAFF))
    CountyOfficer.objects.create(user=officer, county=County.objects.get(name="罗定市"))

admin = User.objects.get(phone="+86{ADMIN}")
village = Village.objects.filter(town__county__name="罗定市").first()
first17 = "44538119850707123"
number = first17 + check_digit(first17)
person, _ = RegistryMember.objects.get_or_create(
    id_number_hash=id_number_hash(number),
    defaults=dict(
        village=village, household_id="H-AUDIT", name="欧阳晓梅",
        id_number_masked=mask_id_number(number), id_number_encrypted=encrypt_id_number(number),
        relation_to_head="户主", labour_category="普通劳动力", work_status="",
    ),
)
# Other browser tests add today's views of their own: these are the ones of 2019-06-01.
if not PersonalDataView.objects.filter(viewer=admin, viewed_at__year=2019).exists():
    start = timezone.make_aware(datetime.datetime(2019, 6, 1, 9))
    for n in range(60):
        member = n % 3
        entry = PersonalDataView.objects.create(
            viewer=admin,
            record_type="coverage.registrymember" if member else "regions.village",
            record_id=person.pk if member else village.pk,
            context="coverage member page" if member
            else "names of the training records 2018-01-01–2020-12-31",
        )
        PersonalDataView.objects.filter(pk=entry.pk).update(
            viewed_at=start + datetime.timedelta(minutes=n)
        )
print(number)
"""


@pytest.fixture(scope="module")
def full_id_number(server):
    return server.manage("shell", "-c", SETUP).strip().splitlines()[-1]


def log_in(page, phone_number):
    page.goto("/accounts/login/?next=/courses/")
    page.get_by_label("手机号码").fill(phone_number)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()
    page.wait_for_url("**/courses/")


@pytest.fixture
def desktop(browser, server):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=server.url)
    page = context.new_page()
    yield page
    context.close()


def header_link(page):
    return page.locator("header .site-nav").get_by_role("link", name="培训覆盖率", exact=True)


def test_county_staff_find_the_report_from_the_header_on_a_phone(phone, full_id_number):
    log_in(phone, OFFICER)
    link = header_link(phone)
    assert link.is_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-nav-1-header-phone")

    link.click()
    phone.wait_for_url("**/coverage/")
    assert header_link(phone).get_attribute("aria-current") == "page"
    presets = phone.locator(".period-presets")
    assert presets.get_by_role("link", name="整个规划期").get_attribute("aria-current") == "true"
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-nav-2-presets-phone")

    presets.get_by_role("link", name="2019年").click()
    phone.wait_for_url(re.compile(r"/coverage/\?start=2019-01-01&end=2019-12-31$"))
    assert presets.get_by_role("link", name="2019年").get_attribute("aria-current") == "true"
    assert presets.get_by_role("link", name="整个规划期").get_attribute("aria-current") is None
    assert phone.locator("#id_start").input_value() == "2019-01-01"
    assert_fits_phone_width(phone)

    # The custom range: the two date fields, as before.
    phone.locator("#id_start").fill("2019-03-01")
    phone.locator("#id_end").fill("2019-09-30")
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_url(re.compile(r"start=2019-03-01&end=2019-09-30"))
    assert phone.locator(".period-custom").get_attribute("aria-current") == "true"
    assert phone.locator(".period-presets [aria-current]").count() == 0
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-nav-3-custom-phone")

    # The audit log is the bureau's.
    response = phone.goto("/coverage/audit/")
    assert response.status == 403


def test_a_trainee_has_no_report_link(phone, full_id_number):
    log_in(phone, TRAINEE)
    assert phone.locator("header .site-nav").get_by_role("link").count() >= 3
    assert header_link(phone).count() == 0


def test_the_bureau_reads_the_audit_log_on_a_desktop(desktop, full_id_number):
    log_in(desktop, ADMIN)
    header_link(desktop).click()
    desktop.wait_for_url("**/coverage/")
    presets = desktop.locator(".period-presets")
    assert presets.get_by_role("link", name="整个规划期").get_attribute("aria-current") == "true"
    screenshot(desktop, "coverage-nav-4-presets-desktop")

    # The day of this test's sixty views (other tests' views are of today).
    desktop.goto("/coverage/audit/?start=2019-06-01&end=2019-06-01")
    assert desktop.get_by_role("heading", name="个人信息查看记录").is_visible()
    rows = desktop.locator(".coverage-table tbody tr")
    assert rows.count() == 50
    first = rows.first.inner_text()
    assert "2019-06-01 09:59" in first and "系统管理员" in first
    table = desktop.locator(".coverage-table").inner_text()
    assert "欧**梅" in table and "4453**********" in table
    assert full_id_number not in desktop.content() and "欧阳晓梅" not in desktop.content()
    screenshot(desktop, "coverage-nav-5-audit-desktop")

    desktop.locator(".pagination").get_by_role("link", name="下一页").click()
    desktop.wait_for_url("**/coverage/audit/?*page=2*")
    assert rows.count() == 10
    desktop.locator("#id_start").fill("2019-06-01")
    desktop.locator("#id_end").fill("2019-05-01")
    desktop.get_by_role("button", name="筛选").click()
    assert desktop.locator("#id_end-error").inner_text() == "结束日期不能早于开始日期。"
    screenshot(desktop, "coverage-nav-6-audit-bad-filter-desktop")


def test_the_audit_log_fits_a_phone(phone, full_id_number):
    log_in(phone, ADMIN)
    assert header_link(phone).is_visible()
    phone.goto("/coverage/audit/?start=2019-06-01&end=2019-06-01")
    assert phone.locator(".coverage-table tbody tr").count() == 50
    assert phone.locator(".coverage-table thead").is_hidden()
    assert phone.locator(".pagination").get_by_role("link", name="下一页").is_visible()
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-nav-7-audit-phone")
