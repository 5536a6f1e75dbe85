"""Embedding Bilibili (哔哩哔哩) videos in lessons.

Wagtail finds embeds through oEmbed, but the video sites trainees can reach in China
offer no oEmbed endpoint, and the ones Wagtail knows are mostly unreachable there.
Bilibili's player address is built from the video's id, so no request is needed.
Enabled by listing ``courses.embeds`` in the WAGTAILEMBEDS_FINDERS setting.
"""

import re
from urllib.parse import urlencode

from django.utils.html import format_html
from wagtail.embeds.finders.base import EmbedFinder

# www.bilibili.com/video/BV1xx411c7mD or /video/av170001, also on the mobile site.
VIDEO_PAGE = re.compile(
    r"^https?://(?:www\.|m\.)?bilibili\.com/video/"
    r"(?:(?P<bvid>BV[0-9A-Za-z]{10})|av(?P<aid>\d+))(?:[/?#]|$)"
)
PLAYER = "https://player.bilibili.com/player.html"
# 16:9; the site's CSS scales the player to the width of the screen.
WIDTH, HEIGHT = 640, 360


class BilibiliFinder(EmbedFinder):
    def accept(self, url):
        return VIDEO_PAGE.match(url) is not None

    def find_embed(self, url, max_width=None, max_height=None):
        match = VIDEO_PAGE.match(url)
        video = {"bvid": match["bvid"]} if match["bvid"] else {"aid": match["aid"]}
        # autoplay=0: a lesson page must not start spending a trainee's mobile data.
        player = f"{PLAYER}?{urlencode({'isOutside': 'true', **video, 'p': 1, 'autoplay': 0})}"
        return {
            "title": "",
            "author_name": "",
            "provider_name": "Bilibili",
            "type": "video",
            "thumbnail_url": "",
            "width": WIDTH,
            "height": HEIGHT,
            "html": format_html(
                '<iframe src="{}" width="{}" height="{}" frameborder="0" scrolling="no" '
                "allowfullscreen></iframe>",
                player,
                WIDTH,
                HEIGHT,
            ),
        }


embed_finder_class = BilibiliFinder
