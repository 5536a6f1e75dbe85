"""Staff import the sample experts and entrepreneurs, start a matching run in the CMS,
read the proposals with their reasons and approve one; then the same on a phone."""

import re

import pytest

from tests.support import ROOT, assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

ADMIN = "13800000000"
PASSWORD = "yunfu-demo-2026"
SAMPLES = ROOT / "mentors" / "samples"


def log_in(page):
    page.get_by_label("手机号码").fill(ADMIN)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def test_staff_start_a_run_read_the_reasons_and_approve_a_proposal(browser, server):
    server.manage("import_experts", str(SAMPLES / "experts.csv"))
    server.manage("import_entrepreneurs", str(SAMPLES / "entrepreneurs.csv"))
    desk = browser.new_context(locale="zh-CN", base_url=server.url)
    page = desk.new_page()
    page.goto("/cms/matching/runs/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    log_in(page)
    page.wait_for_url("**/cms/matching/runs/")
    assert page.locator(".matching-weights-panel").get_by_text("默认权重").is_visible()

    page.get_by_role("button", name="开始匹配").click()
    page.wait_for_url(re.compile(r"/cms/matching/runs/\d+/$"))
    assert page.locator(".matching-run-status").inner_text() == "已完成"
    proposals = page.locator("article.proposal")
    assert proposals.count() >= 10
    first = proposals.first
    reasons = first.locator(".proposal-reasons li").all_inner_texts()
    assert reasons, "a proposal without reasons"
    assert any(re.search(r"同在|擅长|简介|适合|熟悉", reason) for reason in reasons), reasons
    entrepreneur = first.locator(".proposal-entrepreneur h3").get_attribute("data-name")
    first.scroll_into_view_if_needed()
    screenshot(page, "matching-1-run")

    first.get_by_role("button", name="批准").click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile(rf"已批准：.+帮带{re.escape(entrepreneur)}")).is_visible()
    assert page.locator("article.proposal").first.get_attribute("data-status") == "approved"
    page.locator("article.proposal").first.scroll_into_view_if_needed()
    screenshot(page, "matching-2-approved")

    # A reject without a reason comes back with the error beside the field.
    open_one = page.locator('article.proposal[data-status="proposed"]').first
    open_one.get_by_role("button", name="拒绝").click()
    page.wait_for_load_state()
    assert page.locator(".proposal .matching-error").get_by_text("请填写拒绝理由").is_visible()

    page.goto("/cms/matching/groups/")
    assert page.locator(".matching-groups tbody tr").count() >= 1
    desk.close()


def test_the_run_page_fits_a_phone(browser, server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN",
        base_url=server.url,
    )  # fmt: skip
    page = context.new_page()
    page.goto("/cms/matching/runs/")
    log_in(page)
    page.wait_for_url("**/cms/matching/runs/")
    assert_fits_phone_width(page)
    page.locator(".matching-runs a").first.click()
    page.wait_for_url(re.compile(r"/cms/matching/runs/\d+/$"))
    assert page.locator("article.proposal").count() >= 1
    assert_fits_phone_width(page)
    page.locator("article.proposal").first.scroll_into_view_if_needed()
    screenshot(page, "matching-3-run-phone")
    page.goto("/cms/matching/groups/")
    assert_fits_phone_width(page)
    context.close()
