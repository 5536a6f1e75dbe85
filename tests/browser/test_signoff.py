"""A county officer submits the plan period's figures on a phone; a class is recorded
after; the bureau, at a desk, sees the row that moved, approves what was submitted, and
prints a clean page. Screenshots at desktop and phone width; no sideways scroll."""

import re

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "yunfu-demo-2026"
OFFICER = "13900000021"
BUREAU_STAFF = "13900000022"
COUNTY = "浏览器审核测试县"

# A demonstration county with three poor villages (long names that must wrap on a
# phone), four members each; in village n, n of them attended a 2019 class. A county
# officer and a bureau member to act.
SETUP = f"""
import datetime
from decimal import Decimal
from accounts.idcard import check_digit, id_number_hash, mask_id_number
from accounts.models import User
from classes.models import Attendance, ClassSession
from courses.models import CoursePage
from coverage.idcrypt import encrypt_id_number
from coverage.models import CountyOfficer, RegistryMember
from coverage.roles import BUREAU, COUNTY_STAFF, ensure_coverage_groups
from regions.models import County, Town, Village

groups = ensure_coverage_groups()
county, _ = County.objects.get_or_create(name="{COUNTY}", is_demonstration=True)
town, _ = Town.objects.get_or_create(county=county, name="审核测试镇")
course = CoursePage.objects.live().first()
for v in range(3):
    village, _ = Village.objects.get_or_create(
        town=town, name=f"名字很长很长的审核测试行政村委会第{{v}}村", is_provincial_poor=True
    )
    session = ClassSession.objects.create(
        course=course, date=datetime.date(2019, 5, 1), start_time=datetime.time(9),
        end_time=datetime.time(12), venue=village, hours=Decimal("3"),
    )
    for m in range(4):
        first17 = f"445381{{1970 + v}}0303{{m:03d}}"
        number = first17 + check_digit(first17)
        person = RegistryMember.objects.create(
            village=village, household_id=f"S{{v}}", name=f"审核{{v}}{{m}}",
            id_number_hash=id_number_hash(number), id_number_masked=mask_id_number(number),
            id_number_encrypted=encrypt_id_number(number),
            relation_to_head="户主", labour_category="普通劳动力", work_status="",
        )
        if m < v:
            Attendance.objects.create(
                session=session, name=person.name, id_number_hash=person.id_number_hash,
                id_number_masked=person.id_number_masked, method="sheet",
            )
officer = User.objects.create_user(
    "{OFFICER}", "{PASSWORD}", real_name="县员李", phone_verified=True
)
officer.groups.add(groups[COUNTY_STAFF])
CountyOfficer.objects.create(user=officer, county=county)
bureau = User.objects.create_user(
    "{BUREAU_STAFF}", "{PASSWORD}", real_name="局长王", phone_verified=True
)
bureau.groups.add(groups[BUREAU])
"""

# After the county submitted: the last untrained member of village 0 attends a class.
LATE_RECORD = f"""
from classes.models import Attendance, ClassSession
from coverage.models import RegistryMember
person = RegistryMember.objects.get(name="审核00", village__town__county__name="{COUNTY}")
session = ClassSession.objects.get(venue=person.village)
Attendance.objects.create(
    session=session, name=person.name, id_number_hash=person.id_number_hash,
    id_number_masked=person.id_number_masked, method="sheet",
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


def log_in(page, phone):
    page.get_by_label("手机号码").fill(phone)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def test_a_county_submits_and_the_bureau_approves_what_was_submitted(phone, desktop, server):
    server.manage("shell", "-c", SETUP)

    # The county officer, on a phone: the plan period is already filled in.
    phone.goto("/coverage/signoff/")
    log_in(phone, OFFICER)
    phone.wait_for_url("**/coverage/signoff/")
    assert phone.locator("#submit-start").input_value() == "2018-01-01"
    assert phone.locator("#submit-end").input_value() == "2020-12-31"
    phone.locator("#submit-comment").fill("请审核2018–2020年数据")
    assert_fits_phone_width(phone)
    screenshot(phone, "signoff-1-submit-phone")
    phone.locator(".signoff-submit button").click()
    phone.wait_for_url(re.compile(r"/coverage/signoff/\d+/$"))
    assert "已上报" in phone.locator(".signoff-state").inner_text()
    assert phone.locator(".signoff-level").count() == 3
    assert phone.locator("tr.changed").count() == 0
    assert_fits_phone_width(phone)
    screenshot(phone, "signoff-2-submitted-phone")
    detail = phone.url.removeprefix(server.url)

    server.manage("shell", "-c", LATE_RECORD)

    # The bureau, at a desk: the submission in the list, the village that moved marked.
    desktop.goto("/coverage/signoff/")
    log_in(desktop, BUREAU_STAFF)
    desktop.wait_for_url("**/coverage/signoff/")
    desktop.locator(".signoff-list tr", has_text=COUNTY).get_by_role("link").click()
    desktop.wait_for_url(f"**{detail}")
    # The county, the town and village 0 moved: submitted 0 of 4, today 1 of 4.
    assert desktop.locator("tr.changed").count() == 3
    moved = desktop.locator("tr.changed", has_text="第0村")
    assert "0.0%" in moved.inner_text() and "25.0%" in moved.inner_text()
    assert "请审核2018–2020年数据" in desktop.locator(".signoff-history").inner_text()
    screenshot(desktop, "signoff-3-review-desktop")
    desktop.get_by_role("button", name="审核通过上报的数据").click()
    desktop.wait_for_url(f"**{detail}")
    assert "已审核通过" in desktop.locator(".signoff-state").inner_text()
    facts = desktop.locator(".signoff-facts").inner_text()
    assert "县员李" in facts and "局长王" in facts
    county_row = desktop.locator(".signoff-level").first.locator("tbody tr")
    # Approved as submitted: 3 person-times of 12 (0 + 1 + 2), not today's 4.
    assert county_row.locator("td").nth(1).inner_text() == "3"
    assert county_row.locator("td.today").nth(1).inner_text() == "4"
    screenshot(desktop, "signoff-4-approved-desktop")

    # On paper: no header, forms or buttons; the signed figures, not today's.
    desktop.emulate_media(media="print")
    assert not desktop.locator(".site-header").is_visible()
    assert not desktop.locator("button").first.is_visible()
    assert not desktop.locator(".signoff-downloads").is_visible()
    assert not county_row.locator("td.today").first.is_visible()
    assert desktop.locator(".signoff-definition").is_visible()
    assert desktop.locator(".signoff-facts").is_visible()
    screenshot(desktop, "signoff-5-print")
    desktop.emulate_media(media="screen")

    # The download of the signed figures answers with a spreadsheet.
    with desktop.expect_download() as download:
        desktop.locator(".signoff-downloads a").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # The county officer sees the approval on the phone too.
    phone.goto(detail)
    assert "已审核通过" in phone.locator(".signoff-state").inner_text()
    assert_fits_phone_width(phone)
    screenshot(phone, "signoff-6-approved-phone")
