"""Chinese search over everything taught: course titles and summaries, lesson titles and text.

Wagtail's database backend cuts text into words at spaces and punctuation, so to it a
sentence of Chinese is one long word and 化肥 in the middle of a lesson is never found.
Here every live course and lesson keeps its plain text in ``PageText``, and a query finds
the pages containing each of its terms as a substring (``LIKE '%化肥%'``, the same on SQLite
and PostgreSQL), so a Chinese word of any length is found wherever it stands.

Why substrings and not an index of character bigrams: a search over 1,000 lessons of about
800 characters takes 25-75 ms on SQLite and PostgreSQL, the check for newly published
pages included (tests/courses/test_search_timings.py prints the figures), and a substring
is exact where bigrams need a second check that the pairs stand side by side.

Why the text catches up when searched, not on Wagtail's publish signals: a search first
writes the text of every course and lesson published since its text was written (by
``last_published_at``), so pages published by the CMS, by scheduled publishing, by
seed_demo or by a shell all count, with no signal handler to connect. Unpublished and
private pages are left out when searching, so their old text is never shown.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from wagtail.models import Page

from .models import CoursePage, LessonPage, PageText

# Letters, digits and Chinese characters; everything else (punctuation, quotes, spaces)
# only separates terms, so nothing a trainee types is syntax to the database.
TERM = re.compile(r"\w+")
# Each term is one more LIKE over every text: a pasted paragraph is cut short.
MAX_QUERY_LENGTH = 100
MAX_TERMS = 5

# A course's own title ranks first, then a lesson title, then a course summary, then the
# text of a lesson: "ranked by title over body".
COURSE_TITLE, LESSON_TITLE, COURSE_TEXT, LESSON_TEXT = 4, 3, 2, 1

LESSONS_SHOWN_PER_COURSE = 3
SNIPPET_BEFORE = 12
SNIPPET_LENGTH = 60


def search_terms(query):
    """The terms of a query, each to be found as a substring: runs of letters and digits."""
    return TERM.findall(query[:MAX_QUERY_LENGTH])[:MAX_TERMS]


def text_of(page):
    """The plain text of a course (its summary) or a lesson (its body, without markup)."""
    if isinstance(page, CoursePage):
        text = page.summary
    else:
        body = LessonPage._meta.get_field("body")
        text = " ".join(body.get_searchable_content(page.body))
    # One space between blocks and lines, so that no term runs across two of them.
    return " ".join(text.split())


def pages_published_since_indexed(model):
    """Live pages of ``model`` whose text was never written, or written before they were
    last published."""
    indexed = PageText.objects.filter(page=OuterRef("pk"))
    current = indexed.filter(published_at=OuterRef("last_published_at"))
    # A page made live without being published (no last_published_at) is written once.
    return (
        model.objects.live()
        .exclude(Exists(current))
        .exclude(Q(last_published_at__isnull=True) & Exists(indexed))
    )


def index_published_pages():
    """Write the text of every course and lesson published since it was last written;
    return how many were written."""
    texts = [
        PageText(
            page_id=page.pk,
            title=page.title,
            text=text_of(page),
            published_at=page.last_published_at,
        )
        for model in (CoursePage, LessonPage)
        for page in pages_published_since_indexed(model)
    ]
    # An upsert: two searches catching up on the same page at once both succeed.
    PageText.objects.bulk_create(
        texts,
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=["title", "text", "published_at"],
    )
    return len(texts)


def texts_containing(terms):
    """Live, public pages' texts that contain every term, in the title or the text; each
    row says whether the title alone holds them all."""
    everywhere, in_title = Q(), Q()
    for term in terms:
        everywhere &= Q(title__icontains=term) | Q(text__icontains=term)
        in_title &= Q(title__icontains=term)
    visible = Page.objects.live().public().values("pk")
    return (
        PageText.objects.filter(everywhere, page__in=visible)
        .annotate(
            title_hit=Case(When(in_title, then=Value(True)), default=False),
            path=F("page__path"),
        )
        .values_list("page_id", "path", "title_hit")
    )


@dataclass
class CatalogSearch:
    """What a catalog search found: courses, best first, and the lessons found in each."""

    terms: list
    courses: list
    lesson_ids_by_course: dict = field(default_factory=dict)


def search_catalog(query, courses):
    """Courses among ``courses`` (a queryset in catalog order) that contain every term of
    ``query``, themselves or in one of their lessons; best ranked first, catalog order
    breaking ties."""
    terms = search_terms(query)
    if not terms:
        return CatalogSearch(terms, [])
    index_published_pages()
    hits = list(texts_containing(terms))
    step = Page.steplen
    # Lessons are the children of their course: a lesson's course path is its path
    # without the last step.
    candidate_paths = {path for _, path, _ in hits} | {path[:-step] for _, path, _ in hits}
    found = {course.path: course for course in courses.filter(path__in=candidate_paths)}
    rank = {}
    lessons = {}
    for page_id, path, title_hit in hits:
        if path in found:
            course, score = found[path], COURSE_TITLE if title_hit else COURSE_TEXT
        elif path[:-step] in found:
            course, score = found[path[:-step]], LESSON_TITLE if title_hit else LESSON_TEXT
            lessons.setdefault(course.pk, []).append((score, path, page_id))
        else:
            continue
        rank[course.pk] = max(rank.get(course.pk, 0), score)
    # found is in catalog order, and sorted() keeps that order among equal ranks.
    ranked = sorted(
        (course for course in found.values() if course.pk in rank), key=lambda c: -rank[c.pk]
    )
    return CatalogSearch(
        terms,
        ranked,
        {
            course_id: [page_id for _, _, page_id in sorted(found_here, key=best_lesson_first)]
            for course_id, found_here in lessons.items()
        },
    )


def best_lesson_first(hit):
    score, path, _ = hit
    return (-score, path)


@dataclass(frozen=True)
class LessonHit:
    lesson: LessonPage
    course: CoursePage
    snippet: str


def lessons_found_in(search, courses_shown):
    """The lessons a search found in the courses shown on this page of results, a few
    per course, each with the passage of its text where the terms stand."""
    shown = {
        course.pk: search.lesson_ids_by_course.get(course.pk, [])[:LESSONS_SHOWN_PER_COURSE]
        for course in courses_shown
    }
    lesson_ids = [page_id for ids in shown.values() for page_id in ids]
    pages = LessonPage.objects.in_bulk(lesson_ids)
    texts = dict(PageText.objects.filter(page__in=lesson_ids).values_list("page_id", "text"))
    return [
        LessonHit(pages[page_id], course, snippet(texts.get(page_id, ""), search.terms))
        for course in courses_shown
        for page_id in shown[course.pk]
        if page_id in pages
    ]


def snippet(text, terms):
    """A short passage of ``text`` around the first term found in it, the terms marked."""
    lowered = text.lower()
    positions = [at for term in terms if (at := lowered.find(term.lower())) >= 0]
    start = max(min(positions, default=0) - SNIPPET_BEFORE, 0)
    end = start + SNIPPET_LENGTH
    passage = text[start:end]
    longest_first = sorted(terms, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, longest_first)), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(passage):
        parts += [escape(passage[last : match.start()]), format_html("<mark>{}</mark>", match[0])]
        last = match.end()
    parts.append(escape(passage[last:]))
    return mark_safe(("…" if start > 0 else "") + "".join(parts) + ("…" if end < len(text) else ""))
