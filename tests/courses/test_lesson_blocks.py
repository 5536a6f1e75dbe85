"""Lesson bodies: text, pictures, online and uploaded video, downloads."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.rich_text import RichText

from courses.blocks import VideoFileBlock
from courses.models import LessonPage
from courses.roles import INSTRUCTORS

from .factories import make_course, make_image, make_user

VIDEO_PAGE = "https://www.bilibili.com/video/BV1yunfu2026"


def make_document(title, filename, content=b"demo"):
    document = Document(title=title, file_size=len(content))
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


@pytest.mark.django_db
def test_an_uploaded_video_must_be_a_video_file():
    block = VideoFileBlock()
    handout = make_document("开店资料清单", "checklist.pdf")
    video = make_document("拍摄演示", "shooting.mp4")

    with pytest.raises(ValidationError):
        block.clean(block.to_python({"video": handout.pk, "poster": None, "caption": ""}))
    assert block.clean(block.to_python({"video": video.pk, "poster": None, "caption": ""}))


@pytest.mark.django_db
def test_a_lesson_renders_every_kind_of_block(client, catalog, tracks):
    # A cached embed, so that rendering needs no network.
    Embed.objects.create(
        url=VIDEO_PAGE,
        max_width=960,
        hash=get_embed_hash(VIDEO_PAGE, 960),
        type="video",
        html='<iframe src="https://player.bilibili.com/player.html?bvid=BV1yunfu2026"></iframe>',
        width=640,
        height=360,
    )
    video = make_document("拍摄演示", "shooting.mp4")
    handout = make_document("开店资料清单", "checklist.pdf", b"x" * 2048)
    course = make_course(catalog, tracks["online-shops"], "商品拍摄与详情页")
    lesson = LessonPage(
        title="用手机拍好农产品",
        slug="photos",
        body=[
            ("paragraph", RichText("<p>光线是关键。</p>")),
            ("image", {"image": make_image(), "caption": "自然光下的沙糖桔"}),
            ("video_embed", {"video": VIDEO_PAGE, "caption": "拍摄示范"}),
            ("video_file", {"video": video, "poster": None, "caption": "手机拍摄演示"}),
            ("download", {"document": handout, "label": ""}),
        ],
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()

    html = client.get(lesson.url).content.decode()

    assert "光线是关键。" in html
    assert "自然光下的沙糖桔" in html and "<picture>" in html
    assert "player.bilibili.com" in html
    assert f'src="{video.url}"' in html and 'preload="none"' in html
    assert f'href="{handout.url}"' in html
    assert "下载：开店资料清单" in html
    assert "PDF · 2.0\xa0KB" in html


# What each block's preview in the block picker shows, from its Meta.preview_value.
PREVIEW_TEXT = {
    "paragraph": "选好一款有特色的本地农产品",
    "image": "云浮沙糖桔果园",
    "video_embed": "直播带货实操演示",
    "video_file": "商品拍摄：自然光下拍沙糖桔",
    "download": "网店开店资料清单",
}


@pytest.mark.django_db
def test_every_lesson_block_has_a_preview_in_the_block_picker(client):
    client.force_login(make_user("陈讲师", group=INSTRUCTORS))
    blocks = LessonPage._meta.get_field("body").stream_block.child_blocks
    assert set(blocks) == set(PREVIEW_TEXT)

    for name, block in blocks.items():
        response = client.get(
            reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
        )
        assert response.status_code == 200, name
        assert PREVIEW_TEXT[name] in response.content.decode(), name
        assert "css/site.css" in response.content.decode(), name
        assert block.get_description(), name
