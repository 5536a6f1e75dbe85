"""Bureau staff on a phone: the coverage report, county → town → village, the records
behind a village's person-times, and one member's full data. No sideways scroll."""

import re

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

ADMIN = "13800000000"
PASSWORD = "yunfu-demo-2026"

# A demonstration county with twelve poor villages whose long names must wrap on a
# phone; in village n, n % 4 of its four members attended a class in June 2019, in the
# plan's period (the report's default).
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
        course=course, date=datetime.date(2019, 6, 1), start_time=datetime.time(9),
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

    # 第3村: three of four trained, 75%.
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


# The dashboard over the plan (2018–2020): a demonstration county whose three poor
# villages trained unevenly across the three years (one online completion among the
# classes), and a fourth poor village whose registry was never imported.
DASHBOARD_SETUP = """
import datetime
from decimal import Decimal
from django.utils import timezone
from accounts.idcard import check_digit, id_number_hash, mask_id_number
from accounts.models import User
from classes.models import Attendance, ClassSession
from courses.models import CoursePage
from coverage.idcrypt import encrypt_id_number
from coverage.models import RegistryMember
from learning.completion import new_certificate_code
from learning.models import Completion
from regions.models import County, Town, Village

if not County.objects.filter(name="看板测试示范县").exists():
    county = County.objects.create(name="看板测试示范县", is_demonstration=True)
    town = Town.objects.create(county=county, name="看板测试镇")
    courses = list(CoursePage.objects.live()[:2])
    Village.objects.create(town=town, name="看板测试空白村", is_provincial_poor=True)
    # (village, members, trained), each trained member at one class.
    for v, (name, members, trained) in enumerate(
        [("看板测试一村", 10, 6), ("看板测试二村", 20, 2), ("看板测试三村", 8, 0)]
    ):
        village = Village.objects.create(town=town, name=name, is_provincial_poor=True)
        for m in range(members):
            first17 = f"445381{1970 + v}0202{m:03d}"
            number = first17 + check_digit(first17)
            person = RegistryMember.objects.create(
                village=village, household_id=f"K{v}{m}", name=f"看板{v}{m}",
                id_number_hash=id_number_hash(number), id_number_masked=mask_id_number(number),
                id_number_encrypted=encrypt_id_number(number), relation_to_head="户主",
                labour_category="普通劳动力", work_status="",
            )
            if m < trained:
                session = ClassSession.objects.create(
                    course=courses[m % 2], date=datetime.date(2018 + m % 3, 1 + 2 * m, 15),
                    start_time=datetime.time(9), end_time=datetime.time(12),
                    venue=village, hours=Decimal("3"),
                )
                Attendance.objects.create(
                    session=session, name=person.name, id_number_hash=person.id_number_hash,
                    id_number_masked=person.id_number_masked, method="sheet",
                )
            if v == 0 and m == trained:
                user = User.objects.create_user(f"1390000{m:04d}", None, real_name=person.name)
                User.objects.filter(pk=user.pk).update(id_number_hash=person.id_number_hash)
                Completion.objects.create(
                    user=user, course=courses[0], hours=Decimal("6"),
                    completed_at=timezone.make_aware(datetime.datetime(2019, 6, 15, 10)),
                    online_completed_on=datetime.date(2019, 6, 15),
                    certificate_code=new_certificate_code(),
                )
"""


@pytest.fixture
def desktop(browser, server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=server.url
    )
    page = context.new_page()
    yield page
    context.close()


def open_dashboard(page):
    page.goto("/coverage/")
    if "/accounts/login/" in page.url:
        log_in(page)
        page.wait_for_url("**/coverage/")


def check_dashboard(page):
    """The main page over the plan: the gap, the lagging list, missing data, the trend."""
    assert page.get_by_role("heading", name="培训覆盖率", exact=True).is_visible()
    row = page.locator(".coverage-table tbody tr", has_text="看板测试示范县")
    # 38 eligible, 9 person-times (8 classes, 1 online): 19 are needed, 10 more.
    assert "还差 10 人次" in row.inner_text()
    lagging = page.locator(".coverage-lagging")
    assert lagging.get_by_role("heading", name="未达标的行政村").is_visible()
    text = lagging.inner_text()
    # 看板测试二村: 20 eligible, 2 trained, 8 to go; 三村: 8 eligible, none trained, 4.
    assert text.index("看板测试二村") < text.index("看板测试三村")
    assert "还差 8 人次" in text and "还差 4 人次" in text
    assert "看板测试一村" not in text  # 7 of 10: met
    missing = page.locator(".coverage-missing")
    assert "看板测试空白村" in missing.inner_text()
    assert "缺少建档立卡数据" in missing.inner_text()
    trend = page.locator(".coverage-trend")
    assert trend.locator("svg.trend-chart").is_visible()
    assert trend.locator("svg.trend-chart g.month").count() == 36
    assert trend.locator("svg.trend-chart rect").count() >= 1
    assert "在线学习结业" in trend.inner_text()
    funnel = page.locator(".coverage-denominator .funnel")
    assert "应培训人数" in funnel.inner_text()


def test_the_dashboard_at_desktop_width(desktop, server):
    server.manage("shell", "-c", DASHBOARD_SETUP)
    open_dashboard(desktop)
    check_dashboard(desktop)
    screenshot(desktop, "coverage-6-dashboard-desktop")
    desktop.locator(".coverage-lagging").get_by_role("link", name="看板测试二村").click()
    desktop.wait_for_url(re.compile(r"/coverage/village/\d+/records/\?start=2018-01-01"))
    assert desktop.locator(".unit-list li").count() == 2


def test_the_dashboard_on_a_phone(phone, server):
    server.manage("shell", "-c", DASHBOARD_SETUP)
    open_dashboard(phone)
    check_dashboard(phone)
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-7-dashboard-phone")
    # Down to the town: its villages' gaps, and a download of the town alone.
    phone.locator(".coverage-table").get_by_role("link", name="看板测试示范县").click()
    phone.wait_for_url(re.compile(r"/coverage/county/\d+/\?start="))
    assert_fits_phone_width(phone)
    phone.locator(".coverage-table").get_by_role("link", name="看板测试镇").click()
    phone.wait_for_url(re.compile(r"/coverage/town/(\d+)/\?start="))
    town = re.search(r"/coverage/town/(\d+)/", phone.url).group(1)
    row = phone.locator(".coverage-table tbody tr", has_text="看板测试二村")
    assert "还差 8 人次" in row.inner_text()
    assert f"town={town}" in phone.get_by_role("link", name="CSV").get_attribute("href")
    assert "看板测试空白村" in phone.locator(".coverage-missing").inner_text()
    assert_fits_phone_width(phone)
    screenshot(phone, "coverage-8-dashboard-town-phone")
