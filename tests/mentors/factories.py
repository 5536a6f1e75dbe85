"""Experts (讲师团) and entrepreneurs (带头人) with plausible Yunfu data."""

import io
import itertools

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from mentors.models import (
    Background,
    Entrepreneur,
    Expert,
    ExpertiseTag,
    ExpertType,
    OrganisationKind,
    Product,
    SalesChannel,
    Stage,
)
from regions.models import County, Town, Village

_numbers = itertools.count(1)


def make_village(county="罗定市", town="罗镜镇", name="水摆村"):
    county, _ = County.objects.get_or_create(name=county, defaults={"is_demonstration": True})
    town, _ = Town.objects.get_or_create(county=county, name=town)
    village, _ = Village.objects.get_or_create(town=town, name=name)
    return village


def make_expert(name=None, *, tags=("开网店",), counties=("罗定市",), capacity=3, **fields):
    number = next(_numbers)
    fields.setdefault("expert_type", ExpertType.RURAL_ECOMMERCE)
    fields.setdefault("organisation", "云浮市电子商务协会")
    fields.setdefault("organisation_kind", OrganisationKind.ASSOCIATION)
    fields.setdefault("introduction", "从事农村电商培训多年，帮助农户开网店、做直播。")
    fields.setdefault("phone", f"+861390000{number:04d}")
    expert = Expert.objects.create(name=name or f"专家{number}", capacity=capacity, **fields)
    expert.tags.set([ExpertiseTag.objects.get_or_create(name=tag)[0] for tag in tags])
    expert.counties.set([County.objects.get_or_create(name=county)[0] for county in counties])
    return expert


def make_entrepreneur(
    name=None, *, village=None, products=("沙糖桔",), channels=("淘宝",), **fields
):
    number = next(_numbers)
    fields.setdefault("background", Background.MIGRANT)
    fields.setdefault("stage", Stage.IDEA)
    fields.setdefault("needs", "想开网店卖自家的沙糖桔，不会拍照和写商品描述。")
    fields.setdefault("phone", f"+861370000{number:04d}")
    entrepreneur = Entrepreneur.objects.create(
        name=name or f"带头人{number}", village=village or make_village(), **fields
    )
    entrepreneur.products.set([Product.objects.get_or_create(name=p)[0] for p in products])
    entrepreneur.channels.set([SalesChannel.objects.get_or_create(name=c)[0] for c in channels])
    return entrepreneur


def make_photo(title="照片"):
    """A portrait-shaped image in the Wagtail library, as staff upload one for an expert."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 400), "#145c39").save(buffer, format="JPEG")
    image = Image(title=title, file=ImageFile(buffer, name="expert.jpg"))
    image.save()
    return image


def make_mentoring_staff(**fields):
    """A member of 帮带管理员: runs the lecturer team, the entrepreneurs and the matcher."""
    from django.contrib.auth.models import Group

    from mentors.roles import MENTORING_STAFF
    from tests.accounts.factories import UserFactory

    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=MENTORING_STAFF))
    return user
