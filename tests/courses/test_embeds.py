"""Bilibili videos embed in lessons without oEmbed (see courses/embeds.py)."""

import pytest
from wagtail.embeds import embeds
from wagtail.embeds.finders import get_finders

from courses.embeds import BilibiliFinder


@pytest.mark.parametrize(
    ("url", "player_query"),
    [
        ("https://www.bilibili.com/video/BV1GJ411x7h7", "bvid=BV1GJ411x7h7"),
        ("https://m.bilibili.com/video/BV1GJ411x7h7/?share_source=copy", "bvid=BV1GJ411x7h7"),
        ("https://www.bilibili.com/video/av170001", "aid=170001"),
    ],
)
def test_a_bilibili_video_page_becomes_its_player(url, player_query):
    finder = BilibiliFinder()

    assert finder.accept(url)
    html = finder.find_embed(url)["html"]
    assert html.startswith('<iframe src="https://player.bilibili.com/player.html?')
    assert player_query in html
    assert "autoplay=0" in html


@pytest.mark.parametrize(
    "url",
    [
        "https://www.bilibili.com/",
        "https://space.bilibili.com/12345",
        "https://www.bilibili.com.evil.example/video/BV1GJ411x7h7",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    ],
)
def test_other_addresses_are_left_to_the_other_finders(url):
    assert not BilibiliFinder().accept(url)


@pytest.mark.django_db
def test_with_the_finder_configured_wagtail_embeds_bilibili(settings):
    settings.WAGTAILEMBEDS_FINDERS = [
        {"class": "courses.embeds"},
        {"class": "wagtail.embeds.finders.oembed"},
    ]
    get_finders.cache_clear()
    try:
        embed = embeds.get_embed("https://www.bilibili.com/video/BV1GJ411x7h7", max_width=960)
    finally:
        get_finders.cache_clear()

    assert embed.provider_name == "Bilibili"
    assert "bvid=BV1GJ411x7h7" in embed.html
    assert (embed.width, embed.height) == (640, 360)
