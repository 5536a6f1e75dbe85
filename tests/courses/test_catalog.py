"""The catalog at /courses/: filter by track, search in Chinese, pages of twelve."""

import pytest

from courses.models import CatalogPage

from .factories import make_course


def titles(response):
    return sorted(course.title for course in response.context["courses"])


@pytest.fixture
def courses(catalog, tracks):
    # The searched words sit mid-title and mid-summary on purpose: the database backend
    # matches the start of a word, and a run of Chinese characters is one word to it.
    return {
        "shatangju": make_course(
            catalog,
            tracks["online-shops"],
            "云浮沙糖桔网店运营",
            summary="教你把郁南的沙糖桔卖到全国，从上架到发货。",
        ),
        "cinnamon": make_course(
            catalog,
            tracks["online-marketing"],
            "直播带货实务",
            summary="在罗定的肉桂林里开直播，讲清产地和品质。",
        ),
        "law": make_course(
            catalog,
            tracks["basics"],
            "电商平台规则与法律常识",
            summary="开店前必须知道的法律和平台规则。",
        ),
    }


@pytest.mark.django_db
def test_the_catalog_lists_every_live_course_with_the_track_filters(client, catalog, courses):
    make_course(catalog, courses["law"].track, "草稿课程", publish=False)

    response = client.get("/courses/")

    assert response.status_code == 200
    assert titles(response) == ["云浮沙糖桔网店运营", "电商平台规则与法律常识", "直播带货实务"]
    html = response.content.decode()
    assert "全部方向" in html
    assert 'href="?track=online-shops"' in html


@pytest.mark.django_db
def test_filtering_by_track_shows_only_that_tracks_courses(client, courses):
    response = client.get("/courses/", {"track": "online-marketing"})

    assert titles(response) == ["直播带货实务"]
    assert response.context["current_track"].slug == "online-marketing"
    html = response.content.decode()
    assert "云浮沙糖桔网店运营" not in html
    assert 'class="active" aria-current="true">网络营销' in html


@pytest.mark.django_db
def test_an_unknown_track_shows_every_course(client, courses):
    response = client.get("/courses/", {"track": "no-such-track"})

    assert response.status_code == 200
    assert len(titles(response)) == 3


@pytest.mark.django_db
def test_a_chinese_word_in_a_title_finds_that_course_only(client, courses):
    response = client.get("/courses/", {"q": "沙糖桔"})

    assert titles(response) == ["云浮沙糖桔网店运营"]
    assert "找到 1 门课程" in response.content.decode()


@pytest.mark.django_db
def test_a_chinese_word_in_a_summary_finds_that_course_only(client, courses):
    assert titles(client.get("/courses/", {"q": "肉桂"})) == ["直播带货实务"]


@pytest.mark.django_db
def test_every_word_of_a_query_must_match(client, courses):
    assert titles(client.get("/courses/", {"q": "郁南 发货"})) == ["云浮沙糖桔网店运营"]
    assert titles(client.get("/courses/", {"q": "郁南 肉桂"})) == []


@pytest.mark.django_db
def test_search_stays_within_the_chosen_track(client, courses):
    in_track = client.get("/courses/", {"q": "规则", "track": "basics"})
    other_track = client.get("/courses/", {"q": "规则", "track": "online-shops"})

    assert titles(in_track) == ["电商平台规则与法律常识"]
    assert titles(other_track) == []


@pytest.mark.django_db
def test_a_search_without_results_says_so_in_chinese(client, courses):
    response = client.get("/courses/", {"q": "无人机植保"})

    assert response.status_code == 200
    assert titles(response) == []
    assert "没有找到与“无人机植保”相关的课程" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ['"', '"沙糖桔', "沙糖桔*", "(AND"], ids=["quote", "open-quote", "star", "operator"]
)
def test_punctuation_in_a_query_is_not_an_error(client, courses, query):
    """A lone quote is a syntax error to SQLite's full-text engine behind the search backend."""
    response = client.get("/courses/", {"q": query})

    assert response.status_code == 200
    expected = ["云浮沙糖桔网店运营"] if "沙糖桔" in query else []
    assert titles(response) == expected


@pytest.mark.django_db
def test_the_catalog_pages_twelve_courses_at_a_time_keeping_the_filter(client, catalog, tracks):
    for number in range(CatalogPage.PER_PAGE + 1):
        make_course(catalog, tracks["micro-shops"], f"微店课程{number:02d}")
    make_course(catalog, tracks["basics"], "其他方向的课程")

    first = client.get("/courses/", {"track": "micro-shops"})
    second = client.get("/courses/", {"track": "micro-shops", "page": 2})
    beyond = client.get("/courses/", {"track": "micro-shops", "page": 99})

    assert len(first.context["courses"]) == CatalogPage.PER_PAGE
    assert titles(second) == ["微店课程12"]
    assert titles(beyond) == ["微店课程12"]
    assert 'href="?track=micro-shops&amp;page=2"' in first.content.decode()
    assert "第 1 页，共 2 页" in first.content.decode()
