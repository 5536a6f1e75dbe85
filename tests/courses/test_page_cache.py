"""Visitors who are not logged in get the public pages from the cache (courses.caching),
in their language, until something the pages show changes; nobody gets anyone else's."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses import caching
from courses.caching import GENERATION_KEY
from courses.models import CoursePage, Track
from courses.roles import INSTRUCTORS
from courses.templatetags import page_cache
from learning.models import Enrollment

from .factories import make_course, make_lesson, make_user


@pytest.fixture
def course(catalog, tracks):
    course = make_course(catalog, tracks["basics"], "农产品网店入门")
    make_lesson(course, "拍好商品照片")
    return course


def served(client, url):
    """The response, and how many queries it took."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(captured)


@pytest.mark.django_db
def test_a_visitor_gets_each_public_page_from_the_cache_without_a_cookie(client, course):
    lesson = course.get_children().get().specific
    for url in ["/", "/courses/", "/courses/?q=网店", course.url, lesson.url]:
        first, _ = served(client, url)
        again, queries = served(client, url)

        assert queries == 0, url
        assert again.content == first.content
        # No CSRF token (the pages have no form that posts), no session: nothing that
        # would set the cookie of one visitor in a page kept for all.
        assert not first.cookies and not again.cookies, url
        assert "csrfmiddlewaretoken" not in first.content.decode()


@pytest.mark.django_db
def test_publishing_a_change_shows_it_on_every_page_at_once(client, course):
    for url in ["/", "/courses/", course.url]:
        client.get(url)

    course.title = "农产品网店开店实操"
    course.save_revision().publish()

    for url in ["/", "/courses/", course.url]:
        assert "农产品网店开店实操" in client.get(url).content.decode(), url


@pytest.mark.django_db
def test_unpublishing_or_deleting_a_page_removes_it_from_the_cached_pages(client, course):
    lesson = course.get_children().get().specific
    client.get(course.url)
    client.get(lesson.url)

    lesson.unpublish()
    assert "拍好商品照片" not in client.get(course.url).content.decode()
    assert client.get(lesson.url).status_code == 404

    client.get("/courses/")
    course.delete()
    assert "农产品网店入门" not in client.get("/courses/").content.decode()


@pytest.mark.django_db
def test_moving_a_lesson_renumbers_the_cached_lessons(client, course):
    second = make_lesson(course, "写好商品标题")
    client.get(course.url)

    second.move(course, pos="first-child")

    html = client.get(course.url).content.decode()
    assert html.index("写好商品标题") < html.index("拍好商品照片")


@pytest.mark.django_db
def test_renaming_a_track_shows_on_the_cached_catalog(client, course):
    client.get("/courses/")

    track = Track.objects.get(slug="basics")
    track.name = "电商入门"
    track.save()

    assert "电商入门" in client.get("/courses/").content.decode()


@pytest.mark.django_db
def test_a_page_made_private_is_no_longer_served_from_the_cache(client, course):
    client.get(course.url)

    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(course.url).status_code == 302


@pytest.mark.django_db
def test_each_language_has_its_own_cached_pages(course):
    chinese, english = Client(), Client()
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})

    for _ in range(2):
        assert "浏览全部课程" in chinese.get("/").content.decode()
        html = english.get("/").content.decode()
        assert 'lang="en"' in html
        assert "Browse all courses" in html


@pytest.mark.django_db
def test_the_language_switch_needs_no_csrf_token(course):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/")

    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/courses/"})

    assert response.status_code == 302
    assert 'lang="en"' in visitor.get("/courses/").content.decode()


@pytest.mark.django_db
def test_a_logged_in_page_is_never_kept_for_visitors(client, course):
    trainee = make_user("梁学员")
    client.force_login(trainee)
    assert "梁学员" in client.get(course.url).content.decode()

    visitor = Client()
    html = visitor.get(course.url).content.decode()

    assert "梁学员" not in html


@pytest.mark.django_db
def test_a_page_showing_a_message_is_not_kept(client, course):
    client.force_login(make_user("梁学员"))
    response = client.post("/accounts/logout/", follow=True)
    shown = response.content.decode()
    assert 'class="messages"' in shown

    assert 'class="messages"' not in Client().get(response.request["PATH_INFO"]).content.decode()


@pytest.mark.django_db
def test_another_process_starting_a_generation_renews_the_pages(client, course):
    """The generation lives in the shared cache (Redis in production), not in a process:
    a publish in another web worker is a new number there."""
    client.get(course.url)
    _, cached = served(client, course.url)
    assert cached == 0

    cache.incr(GENERATION_KEY)

    _, fresh = served(client, course.url)
    assert fresh > 0


@pytest.mark.django_db
def test_a_lost_generation_starts_from_a_number_no_old_page_carries(client, course):
    client.get(course.url)
    cache.delete(GENERATION_KEY)

    course.title = "改过的标题"
    course.save_revision().publish()
    cache.delete(GENERATION_KEY)

    assert "改过的标题" in client.get(course.url).content.decode()


@pytest.mark.django_db
def test_a_preview_shows_the_draft_and_leaves_the_public_page_as_published(client, course):
    """A preview renders the draft under the live page's pk: it must neither read the
    published fragments nor leave its own for the public page."""
    client.force_login(make_user("梁学员"))
    client.get(course.url)
    draft = course.get_latest_revision_as_object()
    draft.summary = "草稿里的新简介"
    draft.save_revision()

    preview = draft.make_preview_request()

    assert "草稿里的新简介" in preview.content.decode()
    for reader in (client, Client()):
        assert "草稿里的新简介" not in reader.get(course.url).content.decode()


@pytest.mark.django_db
def test_the_userbar_is_for_those_who_may_use_the_cms(client, course):
    client.force_login(make_user("陈讲师", group=INSTRUCTORS))
    assert "wagtail-userbar" in client.get(course.url).content.decode()

    client.force_login(make_user("梁学员"))
    assert "wagtail-userbar" not in client.get(course.url).content.decode()


@pytest.mark.django_db
def test_a_page_shown_after_its_password_is_never_kept_for_others(client, course):
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="yunfu2026"
    )
    form = client.get(course.url)
    action = form.context["action_url"]
    client.post(action, {"password": "yunfu2026", "return_url": course.url})
    assert "农产品网店入门：面向云浮农户的实用课程。" in client.get(course.url).content.decode()
    client.get(course.url)

    other = Client().get(course.url).content.decode()

    assert "农产品网店入门：面向云浮农户的实用课程。" not in other
    assert 'name="password"' in other


class CacheCalls:
    """The shared cache, noting what the page cache asks of it."""

    def __init__(self, cache):
        self._cache = cache
        self.calls = []

    def __getattr__(self, name):
        method = getattr(self._cache, name)

        def call(key=None, *args, **kwargs):
            self.calls.append((name, key))
            return method(key, *args, **kwargs)

        return call

    def keys_set(self, prefix) -> list[str]:
        return [key for name, key in self.calls if name == "set" and key.startswith(prefix)]


@pytest.fixture
def cache_calls(monkeypatch):
    calls = CacheCalls(cache)
    monkeypatch.setattr(caching, "cache", calls)
    monkeypatch.setattr(page_cache, "cache", calls)
    return calls


@pytest.mark.django_db
def test_only_wagtail_pages_ask_the_page_cache(client, course, cache_calls):
    """The health check, the logins and other views are no pages: no round trip to the
    cache for them (the lookup used to run on every visitor's request)."""
    for url in ["/healthz/", "/cms/login/", "/i18n/setlang/"]:
        client.get(url)
    assert cache_calls.calls == []

    client.get(course.url)
    assert ("get", None) not in cache_calls.calls
    assert cache_calls.keys_set("pages:page:")


@pytest.mark.django_db
def test_made_up_parameters_neither_fill_the_cache_nor_get_another_address_page(
    client, course, cache_calls
):
    for n in range(3):
        made_up = [f"/?a={n}", f"/courses/?a={n}", course.url + f"?a={n}"]
        for url in [*made_up, f"/courses/?q=shop&q={n}"]:
            html = served(client, url)[0].content.decode()
            # Every page writes its own address into the language switch, so a page for
            # one address is not the page for another.
            assert f'name="next" type="hidden" value="{url.replace("&", "&amp;")}"' in html

    assert cache_calls.keys_set("pages:page:") == []
    # The catalog's listing is keyed by the parameters, and its links repeat them.
    assert [key for key in cache_calls.keys_set("pages:fragment:") if ":catalog:" in key] == []


@pytest.mark.django_db
def test_a_page_keeps_no_entry_for_the_catalogs_parameters(client, course, cache_calls):
    """Only the catalog reads q, track and page: the home page with them is the home page."""
    for n in range(3):
        served(client, f"/?q={n}")
        served(client, course.url + f"?page={n}")

    assert cache_calls.keys_set("pages:page:") == []


@pytest.mark.django_db
def test_the_catalogs_parameters_in_any_order_are_one_cached_page(client, course):
    first, _ = served(client, "/courses/?track=basics&q=网店")

    again, queries = served(client, "/courses/?q=网店&track=basics")

    assert queries == 0
    assert "农产品网店入门" in again.content.decode()


@pytest.mark.django_db
def test_saving_what_no_page_shows_calls_no_page_cache_receiver(course):
    """post_save is connected per page type, not for every model's saves."""

    def receivers(model):
        return [receiver for group in post_save._live_receivers(model) for receiver in group]

    assert caching._page_saved in receivers(CoursePage)
    assert caching._page_saved not in receivers(get_user_model())
    assert caching._page_saved not in receivers(Enrollment)

    before = caching.generation()
    make_lesson(course, "写好商品标题")
    assert caching.generation() != before
