"""The four tracks of the Yunfu training curriculum, as the poverty-alleviation plan names them."""

from django.apps import apps as global_apps

# (slug, name, description); listed in this order.
TRACKS = [
    ("basics", "电商基础", "农村电商的基本概念、平台规则与法律常识、农产品上行供应链。"),
    ("online-shops", "开设网店", "在淘宝、拼多多等平台开店，商品拍摄、详情页与店铺日常运营。"),
    ("micro-shops", "微店", "微信小店开店，朋友圈与社群营销，订单处理与售后服务。"),
    ("online-marketing", "网络营销", "抖音短视频、直播带货，讲好云浮农产品的品牌故事。"),
]


def ensure_tracks(apps=global_apps):
    """Create any of the four tracks that is missing; edits made in the admin are kept.

    Takes an ``apps`` registry so the data migration can run it with historical models.
    Returns the tracks by slug.
    """
    Track = apps.get_model("courses", "Track")
    tracks = {}
    for sort_order, (slug, name, description) in enumerate(TRACKS, start=1):
        tracks[slug], _created = Track.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "sort_order": sort_order},
        )
    return tracks
