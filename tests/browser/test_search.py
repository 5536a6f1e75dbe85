"""A trainee on a phone searches the catalog for a word that is only in a lesson's text and
reaches that lesson, against the site seeded by seed_demo. No login."""

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser


def test_a_word_inside_a_lesson_is_found_from_the_catalog_on_a_phone(phone):
    phone.goto("/courses/")
    # 化肥 appears in the text of one demo lesson only: in no title and no summary.
    phone.get_by_role("searchbox", name="搜索课程").fill("化肥")
    phone.get_by_role("button", name="搜索").click()
    phone.wait_for_url("**/courses/?q=*")

    assert phone.locator(".card h3").all_inner_texts() == ["六分钟学会手机下单"]
    found = phone.get_by_role("region", name="在课时中找到")
    assert found.locator("mark").first.inner_text() == "化肥"
    assert_fits_phone_width(phone)
    screenshot(phone, "search-lesson-text")

    found.get_by_role("link", name="找到商品、看清详情").click()

    assert phone.get_by_role("heading", level=1).inner_text() == "找到商品、看清详情"
    assert "化肥" in phone.locator("main").inner_text()
