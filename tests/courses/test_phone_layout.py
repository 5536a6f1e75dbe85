"""The catalog on a 390px phone in Chromium, against the site seeded by seed_demo."""

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "catalog": "/courses/",
    "catalog-track": "/courses/?track=online-marketing",
    "catalog-empty": "/courses/?q=无人机植保",
    "course": "/courses/live-streaming-sales/",
    "lesson": "/courses/taobao-shop-setup/lesson-1/",
}


@pytest.mark.parametrize("name", PAGES)
def test_catalog_pages_fit_a_phone_screen(phone, name):
    response = phone.goto(PAGES[name])
    assert response.status == 200
    assert_fits_phone_width(phone)
    screenshot(phone, f"courses-{name}")


def test_covers_load_as_renditions_sized_for_the_phone(phone):
    phone.goto("/courses/")
    cover = phone.locator(".card img").first
    cover.scroll_into_view_if_needed()
    loaded = "img => img.complete && img.naturalWidth > 0"
    phone.wait_for_function(loaded, arg=cover.element_handle())
    source, right_edge = cover.evaluate(
        "img => [img.currentSrc, img.getBoundingClientRect().right]"
    )

    assert "fill-" in source
    assert right_edge <= 390


def test_searching_in_chinese_on_a_phone(phone):
    phone.goto("/courses/")
    phone.get_by_role("searchbox", name="搜索课程").fill("直播")
    phone.get_by_role("button", name="搜索").click()
    phone.wait_for_url("**/courses/?q=*")
    assert_fits_phone_width(phone)
    # Lesson text is searched too: the course with 直播 in its title comes first.
    assert phone.locator(".card h3").all_inner_texts()[0] == "直播带货实务"
