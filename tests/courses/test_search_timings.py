"""How long search takes over 1,000 lessons, printed (``-s`` not needed) rather than asserted:
the figures behind searching text as substrings instead of keeping a bigram index."""

import random
import time

import pytest
from django.utils import timezone
from wagtail.rich_text import RichText

from courses.models import LessonPage
from courses.search import index_published_pages, search_catalog

from .factories import make_course

LESSONS = 1000
WORDS = (
    "网店 上架 发货 运费 直播 短视频 沙糖桔 肉桂 评价 售后 包装 物流 客服 品牌 拍照 标题".split()
)


def lesson_text(rng):
    """About 800 characters of lesson-like Chinese, in paragraphs."""
    paragraphs = ("".join(rng.choices(WORDS, k=60)) + "。" for _ in range(5))
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, (time.perf_counter() - started) * 1000


@pytest.mark.django_db
def test_search_timings_over_a_thousand_lessons(client, catalog, tracks, capsys, settings):
    # Wagtail's own search index is not what is timed, and on PostgreSQL its update
    # reads the whole index on every save: 1,000 lessons would take minutes to build.
    default = settings.WAGTAILSEARCH_BACKENDS["default"]
    settings.WAGTAILSEARCH_BACKENDS = {"default": default | {"AUTO_UPDATE": False}}
    rng = random.Random(12)
    courses = [make_course(catalog, tracks["basics"], f"课程{n:02d}") for n in range(20)]
    now = timezone.now()
    for number in range(LESSONS):
        html = lesson_text(rng)
        if number == LESSONS // 2:
            html += "<p>春耕前买化肥，比一比运费。</p>"
        # Made live directly, as a quick stand-in for publishing 1,000 revisions.
        courses[number % len(courses)].add_child(
            instance=LessonPage(
                title=f"第{number}课",
                slug=f"lesson-{number}",
                body=[("paragraph", RichText(html))],
                live=True,
                last_published_at=now,
            )
        )

    written, first_catch_up = timed(index_published_pages)
    _, steady_catch_up = timed(index_published_pages)
    courses_in_catalog = catalog.get_courses()
    timings = {}
    for query in ["化肥", "店", "沙糖桔 运费", "无人机植保"]:
        search, timings[query] = timed(search_catalog, query, courses_in_catalog)
        if query == "化肥":
            assert sum(map(len, search.lesson_ids_by_course.values())) == 1
    client.get("/courses/")  # Templates and translations load on the first request.
    started = time.perf_counter()
    response = client.get("/courses/", {"q": "化肥"})
    page_view = (time.perf_counter() - started) * 1000

    assert written == LESSONS + len(courses)
    assert [hit.lesson.title for hit in response.context["found_lessons"]] == [
        f"第{LESSONS // 2}课"
    ]
    with capsys.disabled():
        print(f"\nSearch over {LESSONS} lessons of about 800 characters:")
        print(f"  writing the text of {written} pages the first time: {first_catch_up:.0f} ms")
        print(f"  checking for newly published pages, none new: {steady_catch_up:.1f} ms")
        for query, milliseconds in timings.items():
            print(f"  search_catalog({query!r}): {milliseconds:.1f} ms")
        print(f"  GET /courses/?q=化肥 (whole page): {page_view:.1f} ms")
