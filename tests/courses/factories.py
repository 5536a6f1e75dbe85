"""Build catalog pages the way the CMS does: added to the tree, then published as a revision."""

import io
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.rich_text import RichText

from courses.models import CoursePage, LessonPage

PASSWORD = "Yunfu-2026-pass"
_numbers = itertools.count(1)


def make_course(catalog, track, title, *, summary="", publish=True, **fields):
    fields.setdefault("required_hours", Decimal("6"))
    course = CoursePage(
        title=title,
        slug=f"course-{next(_numbers)}",
        track=track,
        summary=summary or f"{title}：面向云浮农户的实用课程。",
        live=publish,
        **fields,
    )
    catalog.add_child(instance=course)
    revision = course.save_revision()
    if publish:
        revision.publish()
    return course


def make_lesson(course, title, *, html="<p>课时内容</p>", minutes=15, publish=True):
    lesson = LessonPage(
        title=title,
        slug=f"lesson-{next(_numbers)}",
        estimated_minutes=minutes,
        body=[("paragraph", RichText(html))],
        live=publish,
    )
    course.add_child(instance=lesson)
    revision = lesson.save_revision()
    if publish:
        revision.publish()
    return lesson


def make_user(real_name, *, group=None):
    user = get_user_model().objects.create_user(
        phone=f"+861380013{next(_numbers):04d}", password=PASSWORD, real_name=real_name
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_image(title="封面"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 450), "#1f7a4d").save(buffer, format="PNG")
    image = Image(title=title, file=ImageFile(buffer, name="cover.png"))
    image.save()
    return image
