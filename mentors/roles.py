"""Who manages the lecturer team and the entrepreneurs: the 帮带管理员 group.

Bureau staff who run the mentoring programme are put in it; they see every expert and
entrepreneur with full phone numbers, import the county lists and edit the short lists
(expertise, products, sales channels). Superusers can do all of it anyway.

Takes an ``apps`` registry so that the data migration runs the very same code with its
historical models; only adds what is missing, so it is safe to run any number of times.
"""

from django.apps import apps as global_apps

from accounts.grants import grant

# A record in the database, shown as it is in the admin, so stored in Chinese.
MENTORING_STAFF = "帮带管理员"

MODELS = ["expert", "entrepreneur", "expertisetag", "product", "saleschannel"]
PERMISSIONS = [("wagtailadmin", "access_admin")] + [
    ("mentors", f"{action}_{model}")
    for model in MODELS
    for action in ("add", "change", "delete", "view")
]

# The short lists the product starts with; staff extend them in the admin.
EXPERTISE = [
    "开网店",
    "微店运营",
    "直播带货",
    "短视频",
    "农产品品牌",
    "包装设计",
    "冷链物流",
    "种植技术",
    "财务与融资",
    "客服与售后",
]
PRODUCTS = ["沙糖桔", "南药", "肉桂", "无核黄皮", "罗定稻米", "石材工艺品", "禽畜", "其他"]
CHANNELS = ["淘宝", "拼多多", "微信小店/微店", "抖音", "线下"]


def ensure_mentoring_staff(apps=global_apps):
    return grant(MENTORING_STAFF, PERMISSIONS, apps)


def ensure_short_lists(apps=global_apps):
    for model, names in (
        ("ExpertiseTag", EXPERTISE),
        ("Product", PRODUCTS),
        ("SalesChannel", CHANNELS),
    ):
        Model = apps.get_model("mentors", model)
        for order, name in enumerate(names):
            Model.objects.get_or_create(name=name, defaults={"sort_order": order})


def is_mentoring_staff(user) -> bool:
    """Sees every expert and entrepreneur, phone numbers unmasked."""
    return user.is_authenticated and user.is_active and user.has_perm("mentors.view_entrepreneur")
