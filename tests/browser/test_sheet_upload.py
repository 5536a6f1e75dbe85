"""Bureau staff on a phone upload the county's registry as the national system exports it
(GBK CSV, 26 columns): they see in Chinese what the import will change, confirm it and
read the result; a file with a bad row is refused with that row named. No uploaded
registry is reachable by URL on the dev server, which serves /media/."""

import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.coverage.test_tasks import member_name, national_csv, person
from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

BUREAU_PHONE = "13800009001"
PASSWORD = "yunfu-demo-2026"
FILE_NAME = "罗定市建档立卡.csv"
# A member of 商务局, the group that may upload the registry (coverage.roles).
SETUP = f"""
from django.contrib.auth.models import Group
from accounts.models import User
user = User.objects.filter(phone="+86{BUREAU_PHONE}").first() or User.objects.create_user(
    "{BUREAU_PHONE}", "{PASSWORD}", real_name="商务局梁科员", phone_verified=True
)
user.groups.add(Group.objects.get(name="商务局"))
"""
ELIGIBLE = re.compile(r"罗定市：计入 50% 指标的人数 (\d+) → (\d+)。")
# The file is the whole county's registry: the demo registry's members it does not list
# (seed_demo's, coverage.demo) are set inactive.
TALLY = re.compile(r"罗定市建档立卡人员：新增 3，更新 0，未变 0(，设为无效 \d+)?。")


def log_in(page):
    page.get_by_label("手机号码").fill(BUREAU_PHONE)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def choose_file(page, content: bytes, name=FILE_NAME):
    page.locator("#id_file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url(re.compile(r"/cms/sheets/upload/\d+/$"))


def status_of(server, url) -> int:
    try:
        with urllib.request.urlopen(server.url + urllib.parse.quote(url), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_bureau_staff_upload_the_registry_on_a_phone(phone, server):
    server.manage("shell", "-c", SETUP)
    # 水摆村 is the registry's name for the seeded 罗定市/罗镜镇/水摆村委会, a provincial
    # poor village of a demonstration county. The third member works outside the county.
    people = [person(901), person(902), person(903, work="省外务工")]
    phone.goto("/cms/")
    phone.wait_for_url(re.compile(r"/accounts/login/\?next=/cms/"))
    log_in(phone)
    phone.wait_for_url("**/cms/")

    # From the CMS menu: 建档立卡 → 上传建档立卡名单.
    phone.get_by_role("button", name=re.compile("侧边栏|菜单")).first.click()
    phone.get_by_role("button", name="建档立卡").click()
    phone.get_by_role("link", name="上传建档立卡名单").click()
    phone.wait_for_url("**/cms/sheets/registry/")
    assert phone.locator(".sheet-columns").get_by_text("证件号码", exact=True).is_visible()
    assert_fits_phone_width(phone)
    screenshot(phone, "sheet-upload-1-form")

    choose_file(phone, national_csv(people, "gbk"))
    assert phone.locator(".sheet-upload-status").inner_text() == "待确认"
    preview = phone.locator(".sheet-upload-preview").inner_text()
    assert TALLY.search(preview), preview
    before, after = map(int, ELIGIBLE.search(preview).groups())
    assert after == 2, "the file's two eligible people are all the county counts now"
    assert phone.get_by_role("button", name="确认导入").is_visible()
    assert phone.get_by_role("button", name="取消").is_visible()
    # The header names the file and leads back to the registry's upload page.
    assert phone.locator("header").get_by_role("link", name=FILE_NAME).is_visible()
    assert phone.locator('header a[href="/cms/sheets/registry/"]').count() == 1
    assert_fits_phone_width(phone)
    screenshot(phone, "sheet-upload-2-preview")

    # While it waits for confirmation, the file is on disk: no URL reaches it.
    stored = server.manage(
        "shell",
        "-c",
        "from sheets.models import SheetUpload; print(SheetUpload.objects.first().stored)",
    ).split()[-1]  # after the shell's own greeting
    assert re.fullmatch(r"[0-9a-f]{32}\.bin", stored), stored
    media = Path(server.env["MEDIA_ROOT"])
    (media / "registry").mkdir(parents=True, exist_ok=True)
    (media / "registry" / "旧名单.csv").write_bytes(b"old")
    assert status_of(server, "/media/registry/旧名单.csv") == 200  # the server serves media
    for url in (
        f"/media/registry/{FILE_NAME}",
        f"/media/{FILE_NAME}",
        f"/media/registry/{stored}",
        f"/media/{stored}",
        f"/media/private/{stored}",
    ):
        assert status_of(server, url) == 404, url

    phone.get_by_role("button", name="确认导入").click()
    phone.wait_for_load_state()
    assert phone.locator(".sheet-upload-status").inner_text() == "已导入"
    report = phone.locator(".sheet-upload-report").inner_text()
    assert TALLY.search(report), report
    assert ELIGIBLE.search(report).groups() == (str(before), str(after))
    assert phone.locator('meta[http-equiv="refresh"]').count() == 0
    # Done: as many steps as it had (the three rows, and the members set inactive).
    assert re.fullmatch(r"(\d+) / \1", phone.locator(".sheet-upload-progress").inner_text())
    assert_fits_phone_width(phone)
    screenshot(phone, "sheet-upload-3-done")

    # A second file with a bad ID-card number in its second row: refused, row named.
    phone.get_by_role("link", name="上传其他文件").click()
    phone.wait_for_url("**/cms/sheets/registry/")
    choose_file(phone, national_csv([person(904), person(905, number="4453811985")], "gbk"))
    assert phone.locator(".sheet-upload-status").inner_text() == "未通过检查"
    problems = phone.locator(".sheet-upload-report").inner_text()
    assert "文件未导入，未写入任何数据：发现 1 个问题。" in problems, problems
    assert f"第 3 行（{member_name(905)}）：“证件号码”" in problems, problems
    assert phone.get_by_role("button", name="确认导入").count() == 0
    assert_fits_phone_width(phone)
    screenshot(phone, "sheet-upload-4-refused")

    counts = server.manage(
        "shell",
        "-c",
        "from coverage.models import RegistryMember as M; "
        "print(M.objects.filter(village__name='水摆村委会', is_active=True).count())",
    )
    assert counts.split()[-1] == "3"
    assert status_of(server, f"/media/registry/{FILE_NAME}") == 404
