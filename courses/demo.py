"""Load the demo catalog: the site's pages, the four tracks and a dozen courses with lessons.

Called by the seed_demo management command. Safe to run again: a course already under
the catalog (matched by slug) is left exactly as it is, lessons and all.
"""

import io
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from .curriculum import ensure_tracks
from .demo_content import COURSES
from .models import CatalogPage, CoursePage, HomePage, LessonPage
from .roles import INSTRUCTORS, ensure_course_roles

DEMO_TAG = "demo"
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FONT_SC_INDEX = 2  # the collection's Simplified Chinese face
COVER_SIZE = (800, 450)
# One colour per track, so covers tell the tracks apart at a glance.
TRACK_COLOURS = {
    "basics": "#1f7a4d",
    "online-shops": "#c2571a",
    "micro-shops": "#2a6f97",
    "online-marketing": "#8e3b8a",
}


@transaction.atomic
def load_demo_courses(instructors=None):
    """Make sure the demo catalog exists; return how many things were created and exist.

    ``instructors`` (users) join the 讲师 group and are shared out over the new
    courses in turn; courses that already exist keep their instructors.
    """
    catalog = ensure_catalog()
    ensure_course_roles(catalog)
    tracks = ensure_tracks()
    instructors = list(instructors or [])
    if instructors:
        Group.objects.get(name=INSTRUCTORS).user_set.add(*instructors)

    created = {"courses_created": 0, "lessons_created": 0, "images_created": 0}
    for number, data in enumerate(COURSES):
        if CoursePage.objects.child_of(catalog).filter(slug=data["slug"]).exists():
            continue
        track = tracks[data["track"]]
        cover, image_created = cover_image(data["title"], data["slug"], track)
        course = CoursePage(
            title=data["title"],
            slug=data["slug"],
            track=track,
            summary=data["summary"],
            required_hours=Decimal(data["hours"]),
            level=data["level"],
            featured=data.get("featured", False),
            cover_image=cover,
            is_demo_data=True,
        )
        if instructors:
            course.instructors = [instructors[number % len(instructors)]]
        catalog.add_child(instance=course)
        course.save_revision().publish()
        for position, lesson in enumerate(data["lessons"], start=1):
            add_lesson(course, position, *lesson)
        created["courses_created"] += 1
        created["lessons_created"] += len(data["lessons"])
        created["images_created"] += image_created

    created["courses"] = CoursePage.objects.child_of(catalog).count()
    created["lessons"] = LessonPage.objects.descendant_of(catalog).count()
    return created


def ensure_catalog():
    """The catalog page, with a home page above it; normally both come from migrations."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        taken = root.get_children().filter(slug="home").exists()
        home = root.add_child(
            instance=HomePage(title="云浮农村电商培训", slug="yunfu-home" if taken else "home")
        )
        Site.objects.filter(is_default_site=True).update(root_page=home)
    catalog = CatalogPage.objects.first()
    if catalog is None:
        catalog = home.add_child(instance=CatalogPage(title="课程目录", slug="courses"))
    return catalog


def add_lesson(course, position, title, minutes, html, handout=None):
    body = [("paragraph", RichText(html))]
    if handout is not None:
        body.append(("download", {"document": handout_document(*handout), "label": ""}))
    lesson = LessonPage(
        title=title, slug=f"lesson-{position}", estimated_minutes=minutes, body=body
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


def handout_document(filename, title, text):
    document = Document.objects.filter(title=title, tags__name=DEMO_TAG).first()
    if document is None:
        content = text.encode("utf-8")
        document = Document(title=title, file_size=len(content))
        document.file.save(filename, ContentFile(content), save=False)
        document.save()
        document.tags.add(DEMO_TAG)
    return document


def cover_image(course_title, course_slug, track):
    """A generated cover for a course (track colour, track name, course title) and whether it
    is new. Demo images are tagged "demo" so they can be found and removed together."""
    title = f"课程封面：{course_title}"
    image = Image.objects.filter(title=title, tags__name=DEMO_TAG).first()
    if image is not None:
        return image, False
    buffer = io.BytesIO()
    draw_cover(course_title, track).save(buffer, format="JPEG", quality=85)
    image = Image(title=title, file=ImageFile(buffer, name=f"demo-cover-{course_slug}.jpg"))
    image.save()
    image.tags.add(DEMO_TAG)
    return image, True


def draw_cover(course_title, track):
    picture = PILImage.new("RGB", COVER_SIZE, TRACK_COLOURS.get(track.slug, "#1f7a4d"))
    draw = ImageDraw.Draw(picture)
    if CJK_FONT.exists():
        large = ImageFont.truetype(str(CJK_FONT), 72, index=CJK_FONT_SC_INDEX)
        small = ImageFont.truetype(str(CJK_FONT), 44, index=CJK_FONT_SC_INDEX)
        lines = [(track.name, large), (course_title, small)]
    else:
        # Pillow's own font has no Chinese glyphs: draw the track's slug instead.
        lines = [(track.slug, ImageFont.load_default(size=64))]
    y = 140
    for text, font in lines:
        draw.text((60, y), text, fill="white", font=font)
        y += font.size + 40
    return picture
