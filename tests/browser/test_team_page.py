"""The public 讲师团 page on a phone, after staff imported the sample team of 50 experts:
cards with photo or initial, free places, masked phones, the county filter. No sideways scroll."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import ROOT, assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

# The sample sheet's first expert gets a photo from the image library, as staff give one.
PHOTO = """
import io
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from mentors.models import Expert

buffer = io.BytesIO()
PILImage.new("RGB", (300, 400), "#145c39").save(buffer, format="JPEG")
photo = Image.objects.create(title="邓志强", file=ImageFile(buffer, name="expert.jpg"))
Expert.objects.filter(phone="+8613907660001").update(photo=photo)
"""


@pytest.fixture(scope="module")
def team(server):
    server.manage("import_experts", str(ROOT / "mentors" / "samples" / "experts.csv"))
    server.manage("shell", "-c", PHOTO)
    return server


def test_the_team_page_on_a_phone(phone, team):
    phone.goto("/mentors/team/")
    assert phone.get_by_role("heading", level=1).inner_text() == "讲师团"
    # Other browser tests share the server and may have added an expert or two.
    count = "from mentors.models import Expert; print(Expert.objects.active().count())"
    active = int(team.manage("shell", "-c", count).split()[-1])
    assert active >= 50
    cards = phone.locator(".expert-card")
    assert cards.count() == active

    photo = phone.locator("img.expert-photo")
    assert photo.count() == 1
    assert "fill-160x160" in photo.get_attribute("src")
    photo.scroll_into_view_if_needed()
    # Not wait_for_function: a string evaluated in the page is refused by the CSP.
    expect(photo).to_have_js_property("naturalWidth", 160)
    assert phone.locator(".expert-photo.placeholder").count() == active - 1

    html = phone.content()
    assert "139****0001" in html
    assert "13907660001" not in html
    assert phone.get_by_text(re.compile(r"剩余 \d+ 个名额（共 \d+ 个）|名额已满")).count() == active
    assert_fits_phone_width(phone)
    screenshot(phone, "team-page-phone")


def test_choosing_a_county_narrows_the_team(phone, team):
    phone.goto("/mentors/team/")
    phone.get_by_label("服务县区").select_option(label="郁南县")
    phone.get_by_role("button", name="筛选").click()
    phone.wait_for_url(re.compile(r"county=\d+"))
    cards = phone.locator(".expert-card")
    assert 0 < cards.count() < 50
    for text in cards.locator(".expert-facts dd:first-of-type").all_inner_texts():
        assert "郁南县" in text
    assert_fits_phone_width(phone)
    screenshot(phone, "team-page-county-phone")
