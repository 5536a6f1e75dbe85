"""The bureau downloads what a page shows: a town page's figures (that town's villages
alone, with the totals, period and definition) and a village's training records, on a
desktop and on a phone."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from tests.support import PHONE, assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

ADMIN = "13800000000"
PASSWORD = "yunfu-demo-2026"
PLAN = "start=2018-01-01&end=2020-12-31"

# Two towns of one demonstration county; in 导出测试甲村 two of three members attended a
# class on 2019-05-01, one of them a second class on 2019-06-01 (run twice, it adds nothing).
SETUP = """
import datetime
from decimal import Decimal
from accounts.idcard import check_digit, id_number_hash, mask_id_number
from classes.models import Attendance, ClassSession
from courses.models import CoursePage
from coverage.idcrypt import encrypt_id_number
from coverage.models import RegistryMember
from regions.models import County, Town, Village

county, _ = County.objects.get_or_create(name="导出测试示范县", is_demonstration=True)
town, _ = Town.objects.get_or_create(county=county, name="导出测试镇")
other, _ = Town.objects.get_or_create(county=county, name="导出另一镇")
course = CoursePage.objects.live().first()
villages = [
    Village.objects.get_or_create(town=town, name=name, is_provincial_poor=True)[0]
    for name in ("导出测试甲村", "导出测试乙村")
]
Village.objects.get_or_create(town=other, name="导出另一村", is_provincial_poor=True)
sessions = [
    ClassSession.objects.get_or_create(
        course=course, date=day, venue=villages[0],
        defaults=dict(start_time=datetime.time(9), end_time=datetime.time(12), hours=Decimal("3")),
    )[0]
    for day in (datetime.date(2019, 5, 1), datetime.date(2019, 6, 1))
]
for v, village in enumerate(villages):
    for m in range(3):
        first17 = f"445381{1970 + v}0404{m:03d}"
        number = first17 + check_digit(first17)
        person, _ = RegistryMember.objects.get_or_create(
            id_number_hash=id_number_hash(number),
            defaults=dict(
                village=village, household_id=f"E{v}", name=f"陈导出{v}{m}",
                id_number_masked=mask_id_number(number),
                id_number_encrypted=encrypt_id_number(number),
                relation_to_head="户主", labour_category="普通劳动力", work_status="",
            ),
        )
        if v == 0 and m < 2:
            for session in sessions[: 2 - m]:
                Attendance.objects.get_or_create(
                    session=session, id_number_hash=person.id_number_hash,
                    defaults=dict(
                        name=person.name, id_number_masked=person.id_number_masked,
                        method="sheet",
                    ),
                )
print("PKS", town.pk, villages[0].pk)
"""


@pytest.fixture
def desktop(browser, server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="zh-CN",
        base_url=server.url,
        accept_downloads=True,
    )
    page = context.new_page()
    yield page
    context.close()


def log_in(page, path):
    page.goto(path)
    if "/accounts/login/" in page.url:
        page.get_by_label("手机号码").fill(ADMIN)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form").get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(re.escape(path.split("?")[0])))


def set_up(server) -> tuple[str, str]:
    """The data set's town and first village ids (the shell may print more before them)."""
    line = next(x for x in server.manage("shell", "-c", SETUP).splitlines() if x.startswith("PKS"))
    return tuple(line.split()[1:])


def download(page, link_name, within=".coverage-downloads") -> bytes:
    with page.expect_download() as info:
        page.locator(within).get_by_role("link", name=link_name).click()
    return open(info.value.path(), "rb").read()


def test_a_town_pages_download_is_that_towns_villages(desktop, server):
    town_pk, _village_pk = set_up(server)
    log_in(desktop, f"/coverage/town/{town_pk}/?{PLAN}")
    assert desktop.locator(".coverage-table").get_by_text("导出测试甲村").is_visible()

    rows = list(csv.reader(io.StringIO(download(desktop, "CSV").decode("utf-8-sig"))))
    villages = [row[2] for row in rows[1 : rows.index([]) - 1]]
    assert sorted(villages) == ["导出测试乙村", "导出测试甲村"]
    assert rows[rows.index([]) - 1][:6] == ["合计", "", "", "6", "3", "2"]
    assert "统计期间 2018-01-01 至 2020-12-31" in [row[0] for row in rows if row]

    book = load_workbook(io.BytesIO(download(desktop, "Excel (XLSX)")))
    sheet = book.active
    by_place = {row[2].value or row[0].value: row for row in sheet.iter_rows(max_row=4)}
    jia = by_place["导出测试甲村"][6]
    assert jia.value == 1 and jia.number_format == "0.0%"  # 3 of 3
    assert by_place["合计"][6].value == 0.5  # 3 of 6, not a mean of 100% and 0%
    assert "导出另一村" not in {cell.value for cell in sheet["C"]}
    screenshot(desktop, "coverage-exports-1-town-desktop")


def test_a_villages_records_download_on_desktop_and_phone(desktop, browser, server):
    _town_pk, village_pk = set_up(server)
    path = f"/coverage/village/{village_pk}/records/?{PLAN}"
    log_in(desktop, path)
    assert desktop.locator(".unit-list li").count() == 3
    rows = list(csv.reader(io.StringIO(download(desktop, "CSV").decode("utf-8-sig"))))
    assert rows[0] == ["姓名", "身份证号", "培训类型", "课程", "日期", "上课地点"]
    records = rows[1 : rows.index([])]
    # The seeded admin may see names: in full, the ID numbers masked all the same.
    assert sorted(row[0] for row in records) == ["陈导出00", "陈导出00", "陈导出01"]
    assert all(re.fullmatch(r"4453\*{10}\d{3}[\dX]", row[1]) for row in records)
    assert {row[4] for row in records} == {"2019-05-01", "2019-06-01"}
    sheet = load_workbook(io.BytesIO(download(desktop, "Excel (XLSX)"))).active
    assert sheet.max_row >= 4 and sheet["A1"].value == "姓名"
    screenshot(desktop, "coverage-exports-2-records-desktop")

    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", base_url=server.url
    )
    phone = context.new_page()
    try:
        log_in(phone, path)
        assert phone.locator(".coverage-downloads").get_by_role("link", name="CSV").is_visible()
        assert_fits_phone_width(phone)
        screenshot(phone, "coverage-exports-3-records-phone")
        data = download(phone, "Excel (XLSX)")
        assert data[:2] == b"PK"
    finally:
        context.close()
