"""A trainee on a phone: home → catalog → one track → a course → its first lesson."""

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser


def test_from_home_to_a_lesson_on_a_phone(phone):
    phone.goto("/")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert_fits_phone_width(phone)
    screenshot(phone, "journey-1-home")

    phone.get_by_role("link", name="浏览全部课程").click()
    phone.wait_for_url("**/courses/")
    assert phone.locator(".card").count() >= 12
    screenshot(phone, "journey-2-catalog")

    phone.locator(".filters").get_by_role("link", name="微店").click()
    phone.wait_for_url("**/courses/?track=micro-shops")
    titles = phone.locator(".card h3").all_inner_texts()
    assert len(titles) >= 3
    tracks = phone.eval_on_selector_all(
        ".card", "cards => cards.map(card => card.querySelector('.tag').textContent.trim())"
    )
    assert tracks == ["微店"] * len(titles)
    assert_fits_phone_width(phone)
    screenshot(phone, "journey-3-track")

    phone.locator(".card h3").first.click()
    phone.wait_for_url("**/courses/*/")
    assert phone.locator("h1").inner_text() == titles[0]
    assert_fits_phone_width(phone)
    screenshot(phone, "journey-4-course")

    lessons = phone.locator(".lessons a")
    first_lesson = lessons.first.inner_text()
    lessons.first.click()
    phone.wait_for_url("**/lesson-*/")
    assert phone.locator("h1").inner_text() == first_lesson
    assert len(phone.locator(".lesson-body").inner_text().strip()) > 50
    assert_fits_phone_width(phone)
    screenshot(phone, "journey-5-lesson")
