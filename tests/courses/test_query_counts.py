"""Every public page runs at most 8 SQL queries, logged in or not, once the caches are
warm (courses.caching): whole pages for visitors, fragments and the site for trainees,
the site's private sections for Wagtail's privacy checks, the covers' renditions
prefetched with the courses. The bounds are each page's count today; a cache or a
prefetch taken away raises it past the bound."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .page_fixtures import COURSES, build_site

# Statements of the page itself: the test's own transaction turns each request's
# ATOMIC_REQUESTS transaction into a savepoint, which a server does not run.
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")

# Not logged in, every page but the team's comes whole from the cache; logged in, a
# page costs the user, the page itself, and what is the trainee's own (the course page's
# enrolment and progress: 5; the lesson's course and enrolment: 2).
ANONYMOUS = {"home": 0, "catalog": 0, "track": 0, "search": 0, "course": 0, "lesson": 0}
LOGGED_IN = {"home": 2, "catalog": 2, "track": 2, "search": 2, "course": 7, "lesson": 4}
# The team page (mentors) is no Wagtail page and not cached: its own two queries, and
# for a trainee the user and the header's two links by role.
ANONYMOUS["team"] = 2
LOGGED_IN["team"] = 5


def page_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(TRANSACTION_CONTROL)
    ]


@pytest.fixture
def site(db):
    return build_site()


def queries_by_page(client, site) -> dict[str, list[str]]:
    """Each public page's queries, on caches warmed by a first visit."""
    counted = {}
    for name, url in site.pages().items():
        client.get(url)
        counted[name] = page_queries(client, url)
    return counted


def over_bound(counted, bounds) -> dict[str, list[str]]:
    return {
        name: queries
        for name, queries in counted.items()
        if len(queries) > bounds[name] or bounds[name] > 8
    }


@pytest.mark.django_db
def test_every_public_page_runs_few_queries_for_a_visitor(client, site):
    assert over_bound(queries_by_page(client, site), ANONYMOUS) == {}


@pytest.mark.django_db
def test_every_public_page_runs_few_queries_for_a_trainee(client, site):
    client.force_login(site.trainee)

    assert over_bound(queries_by_page(client, site), LOGGED_IN) == {}


@pytest.mark.django_db
def test_the_trainee_sees_their_progress_on_the_cached_course_page(client, site):
    client.force_login(site.trainee)
    client.get(site.course.url)

    html = client.get(site.course.url).content.decode()

    assert "已报名" in html
    # 1,800 seconds of study: half an hour of the course's 6; one lesson of four opened.
    assert "0.5 / 6 学时（8%）" in html
    assert "1 / 4 课已学" in html
    assert "黄学员" in html


@pytest.mark.django_db
def test_the_catalog_reads_every_cover_in_one_query_when_nothing_is_cached(client, site, settings):
    """Cold caches: a card's cover renditions come with the courses (one query for all),
    not one query, or one cache read, per card."""
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(site.trainee)
    client.get("/courses/")  # renders every rendition once
    cache.clear()

    queries = page_queries(client, "/courses/")

    renditions = [sql for sql in queries if "wagtailimages_rendition" in sql]
    assert len(renditions) == 1, "\n".join(queries)
    assert COURSES > 1
